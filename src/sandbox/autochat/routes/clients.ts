import type { FastifyInstance, FastifyRequest } from 'fastify';
import { apiKeyOf, idempotent } from '../access.js';
import { AutoChatError, notFound, validation, type ErrorDetail } from '../errors.js';
import { MAX_BATCH, MAX_LOOKUP } from '../facts.js';
import type { ClientRow } from '../model.js';
import { page } from '../pagination.js';
import type { AutoChatApi } from '../api.js';
import { BodyCheck } from '../validate.js';
import { clientView } from '../views.js';

const PROPS = ['name', 'email', 'phone', 'company', 'owner_id', 'external_id', 'fields'];

/** Reads a client body; `current` is the row being changed (then nothing is required). */
function readClient(api: AutoChatApi, raw: unknown, current?: ClientRow, prefix = ''): Partial<ClientRow> {
  const c = BodyCheck.of(raw, prefix);
  c.only(PROPS);
  const out: Partial<ClientRow> = {};
  const name = c.string('name', { required: !current, max: 200 });
  if (name) out.name = name;
  for (const [key, value] of [['email', c.email('email')], ['phone', c.phone('phone')], ['company', c.string('company', { max: 200 })], ['owner_id', c.userRef(api.state, 'owner_id')], ['external_id', c.string('external_id', { max: 255 })]] as const)
    if (value !== undefined) out[key] = value;
  const fields = c.customFields(api.state);
  if (fields) out.fields = Object.fromEntries(Object.entries({ ...(current?.fields ?? {}), ...fields }).filter(([, v]) => v !== null));
  c.done();
  return out;
}

/** A lookup body: up to 500 e-mails (compared lower-cased) and up to 500 E.164 phones, at least one term. */
function readLookup(raw: unknown): { emails: string[]; phones: string[] } {
  const c = BodyCheck.of(raw);
  c.only(['emails', 'phones']);
  const list = (key: 'emails' | 'phones', check: (v: string) => string | undefined): string[] => {
    const v = c.body[key];
    if (v === undefined) return [];
    if (!Array.isArray(v)) {
      c.fail(key, 'must be an array of strings');
      return [];
    }
    if (v.length > MAX_LOOKUP) c.fail(key, `must contain at most ${MAX_LOOKUP} items`);
    return v.flatMap((term: unknown, i) => {
      const problem = typeof term !== 'string' ? 'must be a string' : check(term);
      if (problem) c.fail(`${key}[${i}]`, problem);
      return problem ? [] : [(term as string).trim().toLowerCase()];
    });
  };
  const emails = list('emails', (e) => (e.trim() === '' || e.length > 254 ? 'must be an e-mail address' : undefined));
  const phones = list('phones', (p) => (/^\+[1-9]\d{6,14}$/.test(p) ? undefined : 'must be in E.164 format, e.g. +14155550123'));
  if (c.details.length === 0 && emails.length + phones.length === 0) c.fail('body', 'must hold at least one e-mail or phone');
  c.done();
  return { emails, phones };
}

function assertExternalIdFree(api: AutoChatApi, externalId: string | null | undefined, selfId?: string): void {
  if (!externalId) return;
  const other = api.state.clients.find((c) => c.external_id === externalId && c.id !== selfId);
  if (other) throw new AutoChatError(409, 'duplicate_external_id', `A client with external_id "${externalId}" already exists`, [{ field: 'external_id', message: `already used by client ${other.id}` }]);
}

/** The changed attributes' previous values, for client.updated events. */
function previousOf(before: ClientRow, after: ClientRow): Record<string, unknown> {
  const b = clientView(before) as Record<string, unknown>;
  const a = clientView(after) as Record<string, unknown>;
  return Object.fromEntries(Object.keys(b).filter((k) => k !== 'updated_at' && JSON.stringify(b[k]) !== JSON.stringify(a[k])).map((k) => [k, b[k]]));
}

export function clientRoutes(app: FastifyInstance, api: AutoChatApi): void {
  const { state } = api;
  const create = (req: FastifyRequest, fields: Partial<ClientRow>) => {
    assertExternalIdFree(api, fields.external_id);
    const row = state.clients.insert({ company: null, email: null, phone: null, owner_id: null, external_id: null, fields: {}, ...fields, id: state.nextId('cli') } as ClientRow);
    api.emit('client.created', apiKeyOf(req).id, clientView(row));
    return row;
  };
  const update = (req: FastifyRequest, current: ClientRow, fields: Partial<ClientRow>) => {
    assertExternalIdFree(api, fields.external_id, current.id);
    const row = state.clients.update(current.id, fields)!;
    const previous = previousOf(current, row);
    if (Object.keys(previous).length) api.emit('client.updated', apiKeyOf(req).id, clientView(row), previous);
    return row;
  };
  const mustGet = (id: string) => state.clients.get(id) ?? (() => { throw notFound('client', id); })();
  const upsert = (req: FastifyRequest, externalId: string, raw: unknown, prefix = '') => {
    const existing = state.clients.find((c) => c.external_id === externalId);
    const fields = readClient(api, raw, existing, prefix);
    if (fields.external_id !== undefined && fields.external_id !== externalId) throw validation([{ field: `${prefix}external_id`, message: 'must match the external id of the path' }]);
    fields.external_id = externalId;
    return existing ? { status: 'updated' as const, row: update(req, existing, fields) } : { status: 'created' as const, row: create(req, fields) };
  };

  app.post('/api/v1/clients', (req, reply) => idempotent(state, req, reply, () => ({ status: 201, body: clientView(create(req, readClient(api, req.body))) })));

  app.get('/api/v1/clients', async (req) => {
    const q = req.query as Record<string, string | undefined>;
    const problems: ErrorDetail[] = [];
    if (q.phone !== undefined && !/^\+[1-9]\d{6,14}$/.test(q.phone)) problems.push({ field: 'phone', message: 'must be in E.164 format' });
    const since = q.updated_since === undefined ? undefined : Date.parse(q.updated_since);
    if (since !== undefined && Number.isNaN(since)) problems.push({ field: 'updated_since', message: 'must be an ISO 8601 date-time' });
    if (problems.length) throw validation(problems);
    const rows = state.clients.filter(
      (c) =>
        (q.email === undefined || c.email === q.email.trim().toLowerCase()) &&
        (q.phone === undefined || c.phone === q.phone) &&
        (q.external_id === undefined || c.external_id === q.external_id) &&
        (since === undefined || c.updatedAt >= since),
    );
    return page(rows, q, clientView);
  });

  // Matching many clients in one call: each term answers the oldest client holding it.
  app.post('/api/v1/clients/lookup', async (req) => {
    const { emails, phones } = readLookup(req.body);
    const byEmail = new Map<string, ClientRow>();
    const byPhone = new Map<string, ClientRow>();
    const wantedEmails = new Set(emails);
    const wantedPhones = new Set(phones);
    for (const c of state.clients.all()) {
      if (c.email !== null && wantedEmails.has(c.email) && !byEmail.has(c.email)) byEmail.set(c.email, c);
      if (c.phone !== null && wantedPhones.has(c.phone) && !byPhone.has(c.phone)) byPhone.set(c.phone, c);
    }
    const view = (row: ClientRow | undefined) => (row ? clientView(row) : null);
    return { emails: emails.map((email) => ({ email, client: view(byEmail.get(email)) })), phones: phones.map((phone) => ({ phone, client: view(byPhone.get(phone)) })) };
  });

  app.get('/api/v1/clients/:id', async (req) => clientView(mustGet((req.params as { id: string }).id)));

  app.patch('/api/v1/clients/:id', async (req) => {
    const current = mustGet((req.params as { id: string }).id);
    return clientView(update(req, current, readClient(api, req.body, current)));
  });

  app.delete('/api/v1/clients/:id', async (req, reply) => {
    const current = mustGet((req.params as { id: string }).id);
    state.clients.delete(current.id);
    for (const a of state.activities.filter((x) => x.client_id === current.id)) state.activities.delete(a.id);
    api.emit('client.deleted', apiKeyOf(req).id, clientView(current));
    return reply.code(204).send();
  });

  app.put('/api/v1/clients/by-external-id/:externalId', async (req, reply) => {
    const externalId = decodeURIComponent((req.params as { externalId: string }).externalId);
    const result = upsert(req, externalId, req.body);
    return reply.code(result.status === 'created' ? 201 : 200).send(clientView(result.row));
  });

  app.post('/api/v1/clients/batch', (req, reply) =>
    idempotent(state, req, reply, () => {
      const body = BodyCheck.of(req.body);
      body.only(['clients']);
      const list = body.body.clients;
      if (!Array.isArray(list) || list.length === 0) body.fail('clients', 'must be a non-empty array');
      else if (list.length > MAX_BATCH) body.fail('clients', `must contain at most ${MAX_BATCH} items`);
      body.done();
      const results = (list as unknown[]).map((item, index) => {
        try {
          // An item with an id updates that client, as PATCH would; one without, upserts on external_id.
          const id = item && typeof item === 'object' ? (item as { id?: unknown }).id : undefined;
          if (id !== undefined) {
            if (typeof id !== 'string' || id === '') throw validation([{ field: 'id', message: 'must be a client id' }]);
            const current = mustGet(id);
            const { id: _id, ...changes } = item as Record<string, unknown>;
            return { index, status: 'updated', client: clientView(update(req, current, readClient(api, changes, current))) };
          }
          const externalId = item && typeof item === 'object' ? (item as { external_id?: unknown }).external_id : undefined;
          if (typeof externalId !== 'string' || externalId.trim() === '') throw validation([{ field: 'external_id', message: 'is required for a batch upsert (or an id to update)' }]);
          const { status, row } = upsert(req, externalId.trim(), item);
          return { index, status, client: clientView(row) };
        } catch (err) {
          if (!(err instanceof AutoChatError)) throw err;
          return { index, status: 'failed', ...err.body() };
        }
      });
      return { status: 200, body: { data: results, created: results.filter((r) => r.status === 'created').length, updated: results.filter((r) => r.status === 'updated').length, failed: results.filter((r) => r.status === 'failed').length } };
    }),
  );
}
