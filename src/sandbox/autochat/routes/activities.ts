import type { FastifyInstance } from 'fastify';
import { apiKeyOf, idempotent } from '../access.js';
import type { AutoChatApi } from '../api.js';
import { notFound, validation } from '../errors.js';
import { ACTIVITY_TYPES } from '../facts.js';
import type { ActivityRow, ActivityType } from '../model.js';
import { page } from '../pagination.js';
import { BodyCheck } from '../validate.js';
import { activityView } from '../views.js';

/** Activities hang on a client: notes, tasks, calls, meetings and messages. */
export function activityRoutes(app: FastifyInstance, api: AutoChatApi): void {
  const { state } = api;
  const client = (id: string) => state.clients.get(id) ?? (() => { throw notFound('client', id); })();

  app.post('/api/v1/clients/:id/activities', (req, reply) =>
    idempotent(state, req, reply, () => {
      const owner = client((req.params as { id: string }).id);
      const c = BodyCheck.of(req.body);
      c.only(['type', 'title', 'body', 'due_at', 'occurred_at', 'assignee_id']);
      const type = c.string('type', { required: true });
      if (type && !(ACTIVITY_TYPES as readonly string[]).includes(type)) c.fail('type', `must be one of: ${ACTIVITY_TYPES.join(', ')}`);
      const title = c.string('title', { required: true, max: 200 });
      const body = c.string('body', { max: 10_000 });
      const due_at = c.timestamp('due_at');
      const occurred_at = c.timestamp('occurred_at');
      const assignee_id = c.userRef(state, 'assignee_id');
      c.done();
      const row = state.activities.insert({
        id: state.nextId('act'), client_id: owner.id, type: type as ActivityType, title: title!, body: body ?? null,
        due_at: due_at ?? null, occurred_at: occurred_at ?? null, assignee_id: assignee_id ?? null,
      } as ActivityRow);
      api.emit('activity.created', apiKeyOf(req).id, activityView(row));
      return { status: 201, body: activityView(row) };
    }),
  );

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
