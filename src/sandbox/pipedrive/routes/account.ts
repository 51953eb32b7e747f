import type { FastifyInstance } from 'fastify';
import { callerOf } from '../access.js';
import { idParam, mustGet, query, v1Route, type PipedriveApi } from '../api.js';
import { ok, pageV1, v1Time } from '../envelope.js';
import { badRequest } from '../errors.js';
import { COMPANY, PIPELINE, STAGES } from '../facts.js';
import { addCustomField, fieldView } from '../fields.js';
import type { FieldEntity } from '../model.js';
import { userV1 } from '../views-v1.js';

const FIELD_PATHS: Record<string, FieldEntity> = { personFields: 'person', organizationFields: 'organization', dealFields: 'deal' };

/** Users, activity types, pipelines and stages, and the field metadata of persons, organizations and deals. */
export function accountRoutes(app: FastifyInstance, api: PipedriveApi): void {
  const { state } = api;

  v1Route(app, 'GET', '/users', async (req) => ok(state.users.all().map((u) => userV1(u, callerOf(req).userId))));
  v1Route(app, 'GET', '/users/me', async (req) => {
    const me = mustGet(state.users, String(callerOf(req).userId), 'User not found');
    return ok({ ...userV1(me, Number(me.id)), company_id: COMPANY.id, company_name: COMPANY.name, company_domain: COMPANY.domain, company_country: 'EE' });
  });
  v1Route(app, 'GET', '/users/find', async (req) => {
    const q = query(req);
    const term = typeof q.term === 'string' ? q.term.trim().toLowerCase() : '';
    if (term === '') throw badRequest('term is required');
    const byEmail = q.search_by_email === '1' || q.search_by_email === 'true';
    const found = state.users.filter((u) => (byEmail ? u.email.toLowerCase().includes(term) : u.name.toLowerCase().includes(term)));
    return ok(found.map((u) => userV1(u, callerOf(req).userId)));
  });
  v1Route(app, 'GET', '/users/:id', async (req) => ok(userV1(mustGet(state.users, idParam(req), 'User not found'), callerOf(req).userId)));

  v1Route(app, 'GET', '/activityTypes', async () =>
    ok(state.activityTypes.all().map((t) => ({
      id: Number(t.id), order_nr: t.order_nr, name: t.name, key_string: t.key_string, icon_key: t.icon_key, active_flag: true,
      color: null, is_custom_flag: t.is_custom_flag, add_time: v1Time(t.createdAt), update_time: v1Time(t.updatedAt),
    }))),
  );
  v1Route(app, 'GET', '/pipelines', async () => ok([{ id: PIPELINE.id, name: PIPELINE.name, url_title: 'default', order_nr: 0, active: true, deal_probability: true, selected: true }]));
  v1Route(app, 'GET', '/stages', async () => ok(STAGES.map((s) => ({ ...s, active_flag: true, pipeline_id: PIPELINE.id, pipeline_name: PIPELINE.name, rotten_flag: false, rotten_days: null }))));

  for (const [path, entity] of Object.entries(FIELD_PATHS)) {
    v1Route(app, 'GET', `/${path}`, async (req) => {
      const page = pageV1(state.fields.filter((f) => f.entity === entity), query(req));
      return ok(page.items.map(fieldView), page.additional);
    });
    v1Route(app, 'GET', `/${path}/:id`, async (req) => {
      const field = state.fields.get(idParam(req));
      if (!field || field.entity !== entity) throw badRequest('The field is not found');
      return ok(fieldView(field));
    });
    v1Route(app, 'POST', `/${path}`, async (req) => {
      const body = req.body && typeof req.body === 'object' ? (req.body as Record<string, unknown>) : {};
      return ok(fieldView(addCustomField(state, entity, body)));
    });
  }
}
