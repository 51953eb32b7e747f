import type { FastifyInstance } from 'fastify';
import { callerOf } from '../access.js';
import { idParam, intFilter, mustGet, notify, query, v1Route, type PipedriveApi } from '../api.js';
import { ok, pageV1 } from '../envelope.js';
import { badRequest } from '../errors.js';
import { BodyReader, checkRefs } from '../input.js';
import type { NoteRow } from '../model.js';
import { noteV1 } from '../views-v1.js';

const PINS = ['pinned_to_person_flag', 'pinned_to_deal_flag', 'pinned_to_organization_flag', 'pinned_to_lead_flag'] as const;

/** Notes exist only in API v1; a note must hang on a deal, person, organization or lead. */
function noteInput(api: PipedriveApi, raw: unknown, userId: number, current?: NoteRow): Partial<NoteRow> {
  const r = new BodyReader(raw, 1);
  const out: Partial<NoteRow> = {};
  if (!current || r.has('content')) out.content = r.requiredString('content', 'Content must be given.');
  const refs = checkRefs(api.state, r, { user: ['user_id'], person: ['person_id'], deal: ['deal_id'], org: ['org_id'] });
  if (refs.user_id !== undefined) out.user_id = refs.user_id ?? userId;
  if (refs.person_id !== undefined) out.person_id = refs.person_id;
  if (refs.deal_id !== undefined) out.deal_id = refs.deal_id;
  if (refs.org_id !== undefined) out.org_id = refs.org_id;
  const lead = r.string('lead_id');
  if (lead !== undefined) out.lead_id = lead;
  for (const pin of PINS) {
    const v = r.flag(pin);
    if (v !== undefined) out[pin] = v;
  }
  const merged = { person_id: null, deal_id: null, org_id: null, lead_id: null, ...current, ...out };
  if (merged.person_id === null && merged.deal_id === null && merged.org_id === null && merged.lead_id === null)
    throw badRequest('Note must be attached to a deal, person, organization or lead.');
  if (current) return out;
  return {
    user_id: userId, person_id: null, deal_id: null, org_id: null, lead_id: null,
    pinned_to_person_flag: false, pinned_to_deal_flag: false, pinned_to_organization_flag: false, pinned_to_lead_flag: false, ...out,
  };
}

export function noteRoutes(app: FastifyInstance, api: PipedriveApi): void {
  const notes = api.state.notes;
  const emit = (action: 'create' | 'change' | 'delete', userId: number, before: NoteRow | null, after: NoteRow | null) => {
    const view = (n: NoteRow | null) => n && (noteV1(api.state, n) as Record<string, unknown>);
    const id = Number((after ?? before)!.id);
    notify(api, { object: 'note', action, id, userId, v1: { current: view(after), previous: view(before) }, v2: { current: view(after), previous: view(before) } });
  };

  v1Route(app, 'GET', '/notes', async (req) => {
    const q = query(req);
    const filters = ['user_id', 'person_id', 'deal_id', 'org_id'] as const;
    const rows = notes.filter(
      (n) =>
        filters.every((f) => intFilter(q, f) === undefined || n[f] === intFilter(q, f)) &&
        PINS.every((p) => q[p] === undefined || n[p] === (q[p] === '1' || q[p] === 'true')),
    );
    const page = pageV1(rows, q);
    return ok(page.items.map((n) => noteV1(api.state, n)), page.additional);
  });
  v1Route(app, 'GET', '/notes/:id', async (req) => ok(noteV1(api.state, mustGet(notes, idParam(req), 'Note not found'))));
  v1Route(app, 'POST', '/notes', async (req) => {
    const { userId } = callerOf(req);
    const row = notes.insert({ ...(noteInput(api, req.body, userId) as NoteRow), id: api.state.nextId('notes') });
    emit('create', userId, null, row);
    return ok(noteV1(api.state, row));
  });
  v1Route(app, 'PUT', '/notes/:id', async (req) => {
    const { userId } = callerOf(req);
    const current = mustGet(notes, idParam(req), 'Note not found');
    const row = notes.update(current.id, noteInput(api, req.body, userId, current))!;
    emit('change', userId, current, row);
    return ok(noteV1(api.state, row));
  });
  v1Route(app, 'DELETE', '/notes/:id', async (req) => {
    const current = mustGet(notes, idParam(req), 'Note not found');
    notes.delete(current.id);
    emit('delete', callerOf(req).userId, current, null);
    return ok(true);
  });
}
