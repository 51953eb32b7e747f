import type { FastifyInstance, FastifyRequest } from 'fastify';
import { callerOf } from '../access.js';
import { idParam, intFilter, mustGet, notify, query, v1Route, type PipedriveApi } from '../api.js';
import { listPageV2, ok, pageV1 } from '../envelope.js';
import { BodyReader, checkRefs, type ApiVersion } from '../input.js';
import type { ActivityRow } from '../model.js';
import { activityV1 } from '../views-v1.js';
import { activityV2 } from '../views-v2.js';

/** v1 names the owner user_id and the busy flag busy_flag; v2 owner_id, busy, and links people through participants. */
function activityInput(api: PipedriveApi, r: BodyReader, userId: number, current?: ActivityRow): Partial<ActivityRow> {
  const out: Partial<ActivityRow> = {};
  const type = r.string('type');
  if (type !== undefined && type !== null) {
    if (!api.state.activityTypes.find((t) => t.key_string === type)) throw r.invalid('type', `Unknown activity type "${type}"`);
    out.type = type;
  }
  const subject = r.string('subject');
  if (subject !== undefined) out.subject = subject ?? '';
  const ownerKey = r.version === 1 ? 'user_id' : 'owner_id';
  if (r.version === 2 && Array.isArray(r.body.participants)) {
    const primary = (r.body.participants as { person_id?: unknown; primary?: unknown }[]).find((p) => p.primary) ?? r.body.participants[0];
    r.body.person_id = (primary as { person_id?: unknown } | undefined)?.person_id ?? null;
  }
  const refs = checkRefs(api.state, r, { user: [ownerKey], person: ['person_id'], deal: ['deal_id'], org: ['org_id'] });
  if (refs[ownerKey] !== undefined) out.owner_id = refs[ownerKey] ?? userId;
  for (const key of ['person_id', 'deal_id', 'org_id'] as const) if (refs[key] !== undefined) out[key] = refs[key];
  const dueDate = r.date('due_date');
  if (dueDate !== undefined) out.due_date = dueDate;
  const dueTime = r.clock('due_time');
  if (dueTime !== undefined) out.due_time = dueTime;
  const duration = r.clock('duration');
  if (duration !== undefined) out.duration = duration;
  const done = r.flag('done');
  if (done !== undefined) {
    out.done = done;
    if (done !== current?.done) out.marked_as_done_time = done ? Date.now() : null;
  }
  const busy = r.flag(r.version === 1 ? 'busy_flag' : 'busy');
  if (busy !== undefined) out.busy = busy;
  for (const key of ['note', 'public_description'] as const) {
    const v = r.string(key);
    if (v !== undefined) out[key] = v;
  }
  if (current) return out;
  const finalType = out.type ?? 'call';
  const typeName = api.state.activityTypes.find((t) => t.key_string === finalType)?.name ?? finalType;
  return {
    owner_id: userId, creator_user_id: userId, due_date: null, due_time: null, duration: null, person_id: null, deal_id: null, org_id: null,
    done: false, marked_as_done_time: null, busy: false, note: null, public_description: null, ...out, type: finalType,
    subject: out.subject || typeName,
  };
}

export function activityRoutes(app: FastifyInstance, api: PipedriveApi): void {
  const acts = api.state.activities;
  const views = (a: ActivityRow | null) => ({ v1: a && activityV1(api.state, a), v2: a && activityV2(api.state, a) });
  const emit = (action: 'create' | 'change' | 'delete', userId: number, before: ActivityRow | null, after: ActivityRow | null) => {
    const b = views(before);
    const c = views(after);
    notify(api, { object: 'activity', action, id: Number((after ?? before)!.id), userId, v1: { current: c.v1, previous: b.v1 }, v2: { current: c.v2, previous: b.v2 } });
  };
  const list = (q: Record<string, unknown>, version: ApiVersion) => {
    const owner = intFilter(q, version === 1 ? 'user_id' : 'owner_id');
    const done = q.done === undefined || q.done === '' ? undefined : q.done === '1' || q.done === 'true';
    return acts.filter(
      (a) =>
        (owner === undefined || owner === 0 || a.owner_id === owner) &&
        (done === undefined || a.done === done) &&
        (q.type === undefined || a.type === q.type) &&
        (['deal_id', 'person_id', 'org_id'] as const).every((f) => intFilter(q, f) === undefined || a[f] === intFilter(q, f)),
    );
  };
  const create = (req: FastifyRequest, version: ApiVersion) => {
    const { userId } = callerOf(req);
    const row = acts.insert({ ...(activityInput(api, new BodyReader(req.body, version), userId) as ActivityRow), id: api.state.nextId('activities') });
    emit('create', userId, null, row);
    return row;
  };
  const update = (req: FastifyRequest, version: ApiVersion) => {
    const { userId } = callerOf(req);
    const current = mustGet(acts, idParam(req), 'Activity not found');
    const row = acts.update(current.id, activityInput(api, new BodyReader(req.body, version), userId, current))!;
    emit('change', userId, current, row);
    return row;
  };
  const remove = (req: FastifyRequest) => {
    const current = mustGet(acts, idParam(req), 'Activity not found');
    acts.delete(current.id);
    emit('delete', callerOf(req).userId, current, null);
    return { id: Number(current.id) };
  };

  v1Route(app, 'GET', '/activities', async (req) => {
    const page = pageV1(list(query(req), 1), query(req));
    return ok(page.items.map((a) => activityV1(api.state, a)), page.additional);
  });
  v1Route(app, 'GET', '/activities/:id', async (req) => ok(activityV1(api.state, mustGet(acts, idParam(req), 'Activity not found'))));
  v1Route(app, 'POST', '/activities', async (req, reply) => reply.code(201).send(ok(activityV1(api.state, create(req, 1)))));
  v1Route(app, 'PUT', '/activities/:id', async (req) => ok(activityV1(api.state, update(req, 1))));
  v1Route(app, 'DELETE', '/activities/:id', async (req) => ok(remove(req)));

  app.get('/api/v2/activities', async (req) => {
    const page = listPageV2(list(query(req), 2), query(req));
    return ok(page.items.map((a) => activityV2(api.state, a)), page.additional);
  });
  app.get('/api/v2/activities/:id', async (req) => ok(activityV2(api.state, mustGet(acts, idParam(req), 'Activity not found'))));
  app.post('/api/v2/activities', async (req) => ok(activityV2(api.state, create(req, 2))));
  app.patch('/api/v2/activities/:id', async (req) => ok(activityV2(api.state, update(req, 2))));
  app.delete('/api/v2/activities/:id', async (req) => ok(remove(req)));
}
