import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZohoDeps, ZohoRouteConfig } from '../context.js';
import { invalidModule, invalidParam, requiredParamMissing, sendError } from '../errors.js';
import { currentUser } from '../guard.js';
import { writeCredits } from '../limits.js';
import { findModule, type ZohoModule } from '../metadata.js';
import type { ZohoRecord } from '../state.js';
import { decodePageToken, DISCRETE_LIMIT, encodePageToken, fullView, MAX_PER_PAGE, parseFieldList, selectView, sortRecords } from '../views.js';
import { bulkStatus, deleteMany, insertMany, updateMany, upsertMany, type WriteContext } from '../writes.js';

/** Records of any module: list, get, insert, update, upsert, delete, and the Notes related list. */
type Params = { module: string; id: string };
const MAX_WRITE = 100;
const cfg = (op: ZohoRouteConfig['scope']['op'], credits?: ZohoRouteConfig['credits']): { config: { zoho: ZohoRouteConfig } } => ({
  config: { zoho: { scope: { family: 'modules', op }, credits } },
});
const bodyCredits = (body: unknown) => writeCredits(Array.isArray((body as { data?: unknown })?.data) ? (body as { data: unknown[] }).data.length : 1);

export async function registerRecordRoutes(app: FastifyInstance, deps: ZohoDeps, writeContext: (user: ReturnType<typeof currentUser>) => WriteContext): Promise<void> {
  app.get<{ Params: Params }>('/crm/v8/:module', cfg('READ'), async (req, reply) => {
    const mod = findModule(req.params.module);
    if (!mod) return invalidModule(reply);
    return listPage(reply, mod, deps.store.table(mod).all(), req.query as Record<string, string>);
  });

  app.get<{ Params: Params }>('/crm/v8/:module/:id', cfg('READ'), async (req, reply) => {
    const mod = findModule(req.params.module);
    if (!mod) return invalidModule(reply);
    const rec = deps.store.table(mod).get(req.params.id);
    if (!rec) return reply.code(204).send();
    return { data: [fullView(mod, rec)] };
  });

  app.post<{ Params: Params }>('/crm/v8/:module', cfg('CREATE', bodyCredits), async (req, reply) => {
    const mod = findModule(req.params.module);
    if (!mod) return invalidModule(reply);
    const data = dataArray(reply, req.body);
    if (!data) return reply;
    const results = insertMany(writeContext(currentUser(req)), mod, data);
    return reply.code(bulkStatus(results, 201)).send({ data: results });
  });

  app.put<{ Params: Params }>('/crm/v8/:module', cfg('UPDATE', bodyCredits), async (req, reply) => {
    const mod = findModule(req.params.module);
    if (!mod) return invalidModule(reply);
    const data = dataArray(reply, req.body);
    if (!data) return reply;
    const results = updateMany(writeContext(currentUser(req)), mod, data);
    return reply.code(bulkStatus(results, 200)).send({ data: results });
  });

  app.put<{ Params: Params }>('/crm/v8/:module/:id', cfg('UPDATE'), async (req, reply) => {
    const mod = findModule(req.params.module);
    if (!mod) return invalidModule(reply);
    const data = dataArray(reply, req.body);
    if (!data) return reply;
    const results = updateMany(writeContext(currentUser(req)), mod, data.slice(0, 1), req.params.id);
    return reply.code(bulkStatus(results, 200)).send({ data: results });
  });

  app.post<{ Params: Params }>('/crm/v8/:module/upsert', cfg('CREATE', bodyCredits), async (req, reply) => {
    const mod = findModule(req.params.module);
    if (!mod) return invalidModule(reply);
    const data = dataArray(reply, req.body);
    if (!data) return reply;
    const requested = (req.body as { duplicate_check_fields?: unknown }).duplicate_check_fields;
    // Zoho checks duplicates only on the module's system duplicate-check fields and fields marked
    // unique ("Do not allow duplicate values"); any other field, Phone in a default org included, is refused.
    if (requested !== undefined && (!Array.isArray(requested) || requested.some((f) => typeof f !== 'string' || !duplicateCheckable(mod, f))))
      return sendError(reply, 400, 'INVALID_DATA', 'invalid data', { api_name: 'duplicate_check_fields', json_path: '$.duplicate_check_fields' });
    const checkFields = (requested as string[] | undefined) ?? mod.duplicateCheck;
    const results = upsertMany(writeContext(currentUser(req)), mod, data, checkFields);
    return reply.code(bulkStatus(results, 200)).send({ data: results });
  });

  app.delete<{ Params: Params }>('/crm/v8/:module', cfg('DELETE'), async (req, reply) => {
    const mod = findModule(req.params.module);
    if (!mod) return invalidModule(reply);
    const ids = parseFieldList((req.query as { ids?: string }).ids);
    if (ids.length === 0) return requiredParamMissing(reply, 'ids');
    if (ids.length > MAX_WRITE) return sendError(reply, 400, 'LIMIT_EXCEEDED', 'Record count exceeded', { limit: MAX_WRITE, param: 'ids' });
    const results = deleteMany(writeContext(currentUser(req)), mod, ids);
    return reply.code(bulkStatus(results, 200)).send({ data: results });
  });

  app.delete<{ Params: Params }>('/crm/v8/:module/:id', cfg('DELETE'), async (req, reply) => {
    const mod = findModule(req.params.module);
    if (!mod) return invalidModule(reply);
    const results = deleteMany(writeContext(currentUser(req)), mod, [req.params.id]);
    return reply.code(bulkStatus(results, 200)).send({ data: results });
  });

  app.get<{ Params: Params }>('/crm/v8/:module/:id/Notes', cfg('READ'), async (req, reply) => {
    const mod = findModule(req.params.module);
    const notes = findModule('Notes')!;
    if (!mod || !deps.store.table(mod).get(req.params.id)) return invalidModule(reply);
    const rows = deps.store.table(notes).filter((n) => (n.fields.Parent_Id as { id?: string } | null)?.id === req.params.id);
    return listPage(reply, notes, rows, req.query as Record<string, string>);
  });

  app.post<{ Params: Params }>('/crm/v8/:module/:id/Notes', cfg('CREATE', bodyCredits), async (req, reply) => {
    const mod = findModule(req.params.module);
    if (!mod) return invalidModule(reply);
    const data = dataArray(reply, req.body);
    if (!data) return reply;
    const parent = { module: { api_name: mod.api_name }, id: req.params.id };
    const withParent = data.map((d) => (d && typeof d === 'object' ? { ...d, Parent_Id: parent } : d));
    const results = insertMany(writeContext(currentUser(req)), findModule('Notes')!, withParent);
    return reply.code(bulkStatus(results, 201)).send({ data: results });
  });
}

const duplicateCheckable = (mod: ZohoModule, name: string) => mod.duplicateCheck.includes(name) || mod.fields.some((f) => f.api_name === name && f.unique);

/** `{data:[...]}` with 1 to 100 records, or Zoho's error already sent. */
function dataArray(reply: FastifyReply, body: unknown): unknown[] | undefined {
  const data = body && typeof body === 'object' ? (body as { data?: unknown }).data : undefined;
  if (!Array.isArray(data) || data.length === 0) {
    void sendError(reply, 400, 'MANDATORY_NOT_FOUND', 'required field not found', { api_name: 'data', json_path: '$.data' });
    return undefined;
  }
  if (data.length > MAX_WRITE) {
    void sendError(reply, 400, 'LIMIT_EXCEEDED', 'Record count exceeded', { limit: MAX_WRITE, json_path: '$.data' });
    return undefined;
  }
  return data;
}

/** One page of a record list, as GET /{module} answers it; also used by search and related lists. */
export function listPage(reply: FastifyReply, mod: ZohoModule, rows: ZohoRecord[], q: Record<string, string | undefined>, requireFields = true) {
  const fields = parseFieldList(q.fields);
  if (requireFields && fields.length === 0) return requiredParamMissing(reply, 'fields');
  if (fields.length > 50) return sendError(reply, 400, 'LIMIT_EXCEEDED', 'Max field limit exceeded', { limit: 50, param: 'fields' });
  const sortBy = q.sort_by ?? 'id';
  if (!['id', 'Created_Time', 'Modified_Time'].includes(sortBy)) return invalidParam(reply, 'sort_by', { supported_values: ['id', 'Created_Time', 'Modified_Time'] });
  const sortOrder = q.sort_order === 'desc' ? 'desc' : 'asc';
  const key = `${mod.api_name}|${sortBy}|${sortOrder}|${q.criteria ?? ''}|${q.email ?? ''}|${q.phone ?? ''}|${q.word ?? ''}`;
  let perPage = Math.min(MAX_PER_PAGE, Math.max(1, Number(q.per_page ?? MAX_PER_PAGE) || MAX_PER_PAGE));
  let offset: number;
  let usedToken = false;
  if (q.page_token) {
    const state = decodePageToken(q.page_token, key);
    if (!state) return sendError(reply, 400, 'INVALID_DATA', 'invalid data', { param: 'page_token' });
    ({ offset, perPage } = state);
    usedToken = true;
  } else {
    const page = Math.max(1, Number(q.page ?? 1) || 1);
    offset = (page - 1) * perPage;
    if (offset + perPage > DISCRETE_LIMIT)
      return sendError(reply, 400, 'DISCRETE_PAGINATION_LIMIT_EXCEEDED', 'The limit of 2000 records for discrete pagination has been exceeded. Use page_token to fetch more records', { limit: DISCRETE_LIMIT });
  }
  const sorted = sortRecords(rows, sortBy, sortOrder);
  const slice = sorted.slice(offset, offset + perPage);
  if (slice.length === 0) return reply.code(204).send();
  const more = offset + perPage < sorted.length;
  const token = (o: number) => encodePageToken({ offset: o, perPage, key });
  return {
    data: slice.map((r) => (fields.length ? selectView(r, fields) : fullView(mod, r))),
    info: {
      per_page: perPage,
      next_page_token: more ? token(offset + perPage) : null,
      count: slice.length,
      sort_by: sortBy,
      page: Math.floor(offset / perPage) + 1,
      previous_page_token: usedToken && offset > 0 ? token(Math.max(0, offset - perPage)) : null,
      page_token_expiry: more ? new Date(Date.now() + 86_400_000).toISOString().replace(/\.\d{3}Z$/, '+00:00') : null,
      sort_order: sortOrder,
      more_records: more,
    },
  };
}
