import type { FastifyInstance, FastifyRequest } from 'fastify';
import { apiKeyOf, idempotent } from '../access.js';
import type { AutoChatApi } from '../api.js';
import { AutoChatError, notFound, validation } from '../errors.js';
import { ACTIVITY_TYPES, IDEMPOTENCY_KEY_MAX, MAX_BATCH } from '../facts.js';
import type { ActivityRow, ActivityType } from '../model.js';
import { page } from '../pagination.js';
import type { AutoChatState } from '../state.js';
import { BodyCheck } from '../validate.js';
import { activityView } from '../views.js';

/** Activities hang on a client: notes, tasks, calls, meetings and messages. */
export function activityRoutes(app: FastifyInstance, api: AutoChatApi): void {
  const { state } = api;
  const client = (id: string) => state.clients.get(id) ?? (() => { throw notFound('client', id); })();

  const create = (req: FastifyRequest, clientId: string, fields: ActivityFields, key: string | null) => {
    const row = state.insertActivity({ id: state.nextId('act'), client_id: clientId, ...fields, idempotency_key: key });
    api.emit('activity.created', apiKeyOf(req).id, activityView(row));
    return row;
  };

  // The Idempotency-Key header, when given, is also stored as the activity's key, so a batch
  // replay of the same activity finds it, and a create after the 24 hours of the header still does.
  app.post('/api/v1/clients/:id/activities', (req, reply) =>
    idempotent(state, req, reply, () => {
      const owner = client((req.params as { id: string }).id);
      const c = BodyCheck.of(req.body);
      c.only(FIELDS);
      const fields = readActivity(state, c);
      c.done();
      const header = req.headers['idempotency-key'];
      const key = typeof header === 'string' ? header : null;
      const known = key === null ? undefined : state.activityByKey(key);
      if (known) return { status: 200, body: activityView(known) };
      return { status: 201, body: activityView(create(req, owner.id, fields, key)) };
    }),
  );

  // Each item carries its client and its own key; items are read alone, so a bad one fails
  // alone, and a known key answers the activity it made: a replayed batch creates nothing.
  app.post('/api/v1/activities/batch', async (req) => {
    const body = BodyCheck.of(req.body);
    body.only(['activities']);
    const list = body.body.activities;
    if (!Array.isArray(list) || list.length === 0) body.fail('activities', 'must be a non-empty array');
    else if (list.length > MAX_BATCH) body.fail('activities', `must contain at most ${MAX_BATCH} items`);
    body.done();
    const firstWithKey = new Map<string, number>();
    const results = (list as unknown[]).map((item, index) => {
      try {
        const c = BodyCheck.of(item);
        c.only(['client_id', 'idempotency_key', ...FIELDS]);
        const key = c.body.idempotency_key;
        if (typeof key !== 'string' || key.length === 0 || key.length > IDEMPOTENCY_KEY_MAX) c.fail('idempotency_key', `is required: a string of 1 to ${IDEMPOTENCY_KEY_MAX} characters`);
        else if ((firstWithKey.get(key) ?? index) !== index) c.fail('idempotency_key', `repeats the key of item ${firstWithKey.get(key)}`);
        else firstWithKey.set(key, index);
        const clientId = c.string('client_id', { required: true });
        const fields = readActivity(state, c);
        c.done();
        const known = state.activityByKey(key as string);
        if (known) return { index, status: 'existing', activity: activityView(known) };
        const owner = state.clients.get(clientId!);
        if (!owner) throw new AutoChatError(404, 'not_found', `No client with id ${clientId}`, [{ field: 'client_id', message: `no client with id ${clientId}` }]);
        return { index, status: 'created', activity: activityView(create(req, owner.id, fields, key as string)) };
      } catch (err) {
        if (!(err instanceof AutoChatError)) throw err;
        return { index, status: 'failed', ...err.body() };
      }
    });
    const count = (status: string) => results.filter((r) => r.status === status).length;
    return { data: results, created: count('created'), existing: count('existing'), failed: count('failed') };
  });

  app.get('/api/v1/clients/:id/activities', async (req) => {
    const owner = client((req.params as { id: string }).id);
    const q = req.query as Record<string, string | undefined>;
    if (q.type !== undefined && !(ACTIVITY_TYPES as readonly string[]).includes(q.type)) throw validation([{ field: 'type', message: `must be one of: ${ACTIVITY_TYPES.join(', ')}` }]);
    return page(state.activities.filter((a) => a.client_id === owner.id && (q.type === undefined || a.type === q.type)), q, activityView);
  });

  const mustGet = (id: string) => state.activities.get(id) ?? (() => { throw notFound('activity', id); })();

  app.get('/api/v1/activities/:id', async (req) => activityView(mustGet((req.params as { id: string }).id)));

  // Only the given properties change; null clears an optional one. The type and the client stay.
  app.patch('/api/v1/activities/:id', async (req) => {
    const current = mustGet((req.params as { id: string }).id);
    const c = BodyCheck.of(req.body);
    for (const fixed of ['type', 'client_id']) if (c.has(fixed)) c.fail(fixed, 'cannot be changed');
    c.only(['type', 'client_id', ...EDITABLE]);
    const changes: Partial<ActivityRow> = {};
    if ('title' in c.body) {
      const title = c.string('title', { required: true, max: 200 });
      if (title) changes.title = title;
    }
    if ('body' in c.body) changes.body = c.string('body', { max: 10_000 }) ?? null;
    for (const key of ['due_at', 'occurred_at'] as const) if (key in c.body) changes[key] = c.timestamp(key) ?? null;
    if ('assignee_id' in c.body) changes.assignee_id = c.userRef(state, 'assignee_id') ?? null;
    c.done();
    const row = state.activities.update(current.id, changes)!;
    const before = activityView(current) as Record<string, unknown>;
    const after = activityView(row) as Record<string, unknown>;
    const previous = Object.fromEntries(EDITABLE.filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k])).map((k) => [k, before[k]]));
    if (Object.keys(previous).length) api.emit('activity.updated', apiKeyOf(req).id, after, previous);
    return after;
  });
}

const EDITABLE = ['title', 'body', 'due_at', 'occurred_at', 'assignee_id'];
const FIELDS = ['type', ...EDITABLE];

type ActivityFields = Pick<ActivityRow, 'type' | 'title' | 'body' | 'due_at' | 'occurred_at' | 'assignee_id'>;

/** An activity's own properties, as a create takes them; problems are collected in `c`. */
function readActivity(state: AutoChatState, c: BodyCheck): ActivityFields {
  const type = c.string('type', { required: true });
  if (type && !(ACTIVITY_TYPES as readonly string[]).includes(type)) c.fail('type', `must be one of: ${ACTIVITY_TYPES.join(', ')}`);
  const title = c.string('title', { required: true, max: 200 });
  const body = c.string('body', { max: 10_000 });
  const due_at = c.timestamp('due_at');
  const occurred_at = c.timestamp('occurred_at');
  const assignee_id = c.userRef(state, 'assignee_id');
  return { type: type as ActivityType, title: title!, body: body ?? null, due_at: due_at ?? null, occurred_at: occurred_at ?? null, assignee_id: assignee_id ?? null };
}
