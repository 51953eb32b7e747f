import type { FastifyInstance } from 'fastify';
import type { PipedriveApi } from '../api.js';
import { badRequest } from '../errors.js';
import { PIPELINE, STAGES } from '../facts.js';
import { customFromV1, customFromV2 } from '../fields.js';
import { checkRefs } from '../input.js';
import type { DealRow, DealStatus } from '../model.js';
import { score, wants } from '../search.js';
import { dealV1 } from '../views-v1.js';
import { dealV2 } from '../views-v2.js';
import { registerEntity, type EntitySpec } from './entity.js';

const STATUSES: DealStatus[] = ['open', 'won', 'lost'];

export const dealSpec: EntitySpec<DealRow> = {
  object: 'deal',
  plural: 'deals',
  table: (a) => a.state.deals,
  notFound: 'Deal not found',
  input: (a, r, { userId, current }) => {
    const out: Partial<DealRow> = {};
    if (!current || r.has('title')) out.title = r.requiredString('title', 'Title must be given.');
    // v1 names the owner user_id, v2 owner_id.
    const ownerKey = r.version === 1 ? 'user_id' : 'owner_id';
    const refs = checkRefs(a.state, r, { user: [ownerKey], person: ['person_id'], org: ['org_id'] });
    if (refs[ownerKey] !== undefined) out.owner_id = refs[ownerKey] ?? userId;
    if (refs.person_id !== undefined) out.person_id = refs.person_id;
    if (refs.org_id !== undefined) out.org_id = refs.org_id;
    const value = r.number('value');
    if (value !== undefined) out.value = value ?? 0;
    const currency = r.string('currency');
    if (currency !== undefined && currency !== null) {
      if (!/^[A-Za-z]{3}$/.test(currency)) throw r.invalid('currency', 'Expected a 3-letter currency code');
      out.currency = currency.toUpperCase();
    }
    const stage = r.int('stage_id');
    if (stage !== undefined && stage !== null) {
      if (!STAGES.some((s) => s.id === stage)) throw badRequest(r.version === 2 ? `Validation failed: stage_id: Stage with id ${stage} does not exist` : 'Stage not found');
      out.stage_id = stage;
    }
    const pipeline = r.int('pipeline_id');
    if (pipeline !== undefined && pipeline !== null && pipeline !== PIPELINE.id)
      throw badRequest(r.version === 2 ? `Validation failed: pipeline_id: Pipeline with id ${pipeline} does not exist` : 'Pipeline not found');
    const status = r.string('status');
    if (status !== undefined && status !== null) {
      if (!STATUSES.includes(status as DealStatus)) throw r.invalid('status', `Expected one of ${STATUSES.join(', ')}`);
      out.status = status as DealStatus;
      if (status !== current?.status) {
        out.won_time = status === 'won' ? Date.now() : null;
        out.lost_time = status === 'lost' ? Date.now() : null;
      }
    }
    const probability = r.number('probability');
    if (probability !== undefined) out.probability = probability;
    const lost = r.string('lost_reason');
    if (lost !== undefined) out.lost_reason = lost;
    const close = r.date('expected_close_date');
    if (close !== undefined) out.expected_close_date = close;
    const visible = r.visibleTo();
    if (visible !== undefined) out.visible_to = visible;
    const labels = r.intList('label_ids');
    if (labels) out.label_ids = labels;
    const custom = r.version === 1 ? customFromV1(a.state, 'deal', r.body) : customFromV2(a.state, 'deal', r.body.custom_fields);
    out.custom = { ...(current?.custom ?? {}), ...custom };
    if (current) return out;
    return {
      creator_user_id: userId, owner_id: userId, person_id: null, org_id: null, pipeline_id: PIPELINE.id, stage_id: STAGES[0]!.id,
      value: 0, currency: 'EUR', status: 'open', probability: null, lost_reason: null, expected_close_date: null, visible_to: 3,
      label_ids: [], won_time: null, lost_time: null, ...out,
    } as DealRow;
  },
  v1: (a, row) => dealV1(a.state, row),
  v2: (a, row) => dealV2(a.state, row),
  filters: ['owner_id', 'person_id', 'org_id', 'stage_id', 'pipeline_id'],
  searchFields: ['custom_fields', 'notes', 'title'],
  searchScore: (a, d, s) =>
    Math.max(
      wants(s, 'title') ? score(s, [d.title]) : 0,
      wants(s, 'custom_fields') ? score(s, Object.values(d.custom).filter((v) => typeof v === 'string').map(String)) : 0,
      wants(s, 'notes') ? score(s, a.state.notes.filter((n) => n.deal_id === Number(d.id)).map((n) => n.content)) : 0,
    ),
  searchItem: (a, d) => {
    const person = d.person_id === null ? undefined : a.state.persons.get(String(d.person_id));
    const org = d.org_id === null ? undefined : a.state.organizations.get(String(d.org_id));
    const stage = STAGES.find((s) => s.id === d.stage_id);
    return {
      id: Number(d.id),
      type: 'deal',
      title: d.title,
      value: d.value,
      currency: d.currency,
      status: d.status,
      visible_to: d.visible_to,
      owner: { id: d.owner_id },
      stage: stage ? { id: stage.id, name: stage.name } : null,
      person: person ? { id: Number(person.id), name: person.name } : null,
      organization: org ? { id: Number(org.id), name: org.name, address: org.address } : null,
      custom_fields: [],
      notes: [],
    };
  },
};

export function dealRoutes(app: FastifyInstance, api: PipedriveApi): void {
  registerEntity(app, api, dealSpec);
}
