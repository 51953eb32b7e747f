import type { FastifyInstance } from 'fastify';
import { CRM_IDS, CRM_NAMES, isCrmId } from '../domain/crm.js';
import { escapeHtml, page } from './kit/html.js';
import type { Sandbox } from './runtime.js';

const MAX_ROWS = 500;

/** Read-only HTML pages showing what arrived in each fake CRM. */
export async function registerRecordViews(app: FastifyInstance, sandbox: Sandbox): Promise<void> {
  app.get('/sandbox', async (_req, reply) => {
    const items = CRM_IDS.map((id) => {
      const total = Object.values(sandbox.crm(id).dump()).reduce((n, rows) => n + rows.length, 0);
      return `<li><a href="/sandbox/__view/${id}">${escapeHtml(CRM_NAMES[id])}</a> (${total} records)</li>`;
    }).join('');
    return reply
      .type('text/html')
      .send(page('CRM sandbox', `<h1>CRM sandbox</h1><p>Seven fake CRMs, in memory. Connection details: <a href="/sandbox/__control">/sandbox/__control</a>.</p><ul>${items}</ul>`));
  });

  app.get('/sandbox/__view/:crm', async (req, reply) => {
    const { crm } = req.params as { crm: string };
    if (!isCrmId(crm)) return reply.code(404).type('text/html').send(page('Not found', `<h1>No sandbox CRM named ${escapeHtml(crm)}</h1>`));
    const sections = Object.entries(sandbox.crm(crm).dump())
      .map(([object, rows]) => `<h2>${escapeHtml(object)} (${rows.length})</h2>${table(rows.slice(-MAX_ROWS).reverse())}`)
      .join('');
    return reply.type('text/html').send(page(`${CRM_NAMES[crm]} sandbox`, `<p><a href="/sandbox">All CRMs</a></p><h1>${escapeHtml(CRM_NAMES[crm])} (sandbox)</h1>${sections}`));
  });
}

function table(rows: unknown[]): string {
  if (rows.length === 0) return '<p>None yet.</p>';
  const objects = rows.map((r) => (r && typeof r === 'object' ? (r as Record<string, unknown>) : { value: r }));
  const columns = [...new Set(objects.flatMap((o) => Object.keys(o)))].slice(0, 12);
  const head = columns.map((c) => `<th scope="col">${escapeHtml(c)}</th>`).join('');
  const body = objects
    .map((o) => `<tr>${columns.map((c) => `<td>${escapeHtml(cell(o[c]))}</td>`).join('')}</tr>`)
    .join('');
  return `<table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

function cell(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'object') return JSON.stringify(value).slice(0, 200);
  return String(value);
}
