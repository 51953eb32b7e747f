import type { FastifyInstance } from 'fastify';
import type { Stamped } from '../../kit/table.js';
import { query, searchable, v1Route, type PipedriveApi } from '../api.js';
import { ok, pageV1, pageV2 } from '../envelope.js';
import { badRequest } from '../errors.js';
import { parseSearch } from '../search.js';
import { dealSpec } from './deals.js';
import type { EntitySpec } from './entity.js';
import { organizationSpec } from './organizations.js';
import { personSpec } from './persons.js';

const SPECS = { deal: dealSpec, person: personSpec, organization: organizationSpec } as unknown as Record<string, EntitySpec<Stamped>>;

/** Search across deals, persons and organizations at once (`/itemSearch`), best score first. */
export function itemSearchRoutes(app: FastifyInstance, api: PipedriveApi): void {
  const search = (q: Record<string, unknown>) => {
    const types = typeof q.item_types === 'string' && q.item_types !== '' ? q.item_types.split(',').map((t) => t.trim()) : Object.keys(SPECS);
    const unknown = types.find((t) => !(t in SPECS));
    if (unknown) throw badRequest(`Invalid item type "${unknown}". Supported here: ${Object.keys(SPECS).join(', ')}`);
    const allowed = [...new Set(types.flatMap((t) => SPECS[t]!.searchFields))];
    const s = parseSearch(q, allowed);
    return types
      .flatMap((t) => {
        const spec = SPECS[t]!;
        const narrowed = s.fields ? { ...s, fields: new Set([...s.fields].filter((f) => spec.searchFields.includes(f))) } : s;
        if (narrowed.fields && narrowed.fields.size === 0) return [];
        return spec
          .table(api)
          .filter((row) => searchable(api, row))
          .map((row) => ({ result_score: spec.searchScore(api, row, narrowed), item: spec.searchItem(api, row) }));
      })
      .filter((m) => m.result_score > 0)
      .sort((a, b) => b.result_score - a.result_score);
  };
  v1Route(app, 'GET', '/itemSearch', async (req) => {
    const page = pageV1(search(query(req)), query(req));
    return ok({ items: page.items, related_items: [] }, page.additional);
  });
  app.get('/api/v2/itemSearch', async (req) => {
    const numbered = search(query(req)).map((r, i) => ({ ...r, id: String(i + 1) }));
    const page = pageV2(numbered, query(req));
    return ok({ items: page.items.map(({ id: _id, ...r }) => r), related_items: [] }, page.additional);
  });
}
