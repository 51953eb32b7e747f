import type { FastifyInstance } from 'fastify';
import type { PipedriveApi } from '../api.js';
import { customFromV1, customFromV2 } from '../fields.js';
import { checkRefs, splitName } from '../input.js';
import type { PersonRow } from '../model.js';
import { score, wants } from '../search.js';
import { personV1 } from '../views-v1.js';
import { personV2 } from '../views-v2.js';
import { registerEntity, type EntitySpec } from './entity.js';

export const personSpec: EntitySpec<PersonRow> = {
  object: 'person',
  plural: 'persons',
  table: (a) => a.state.persons,
  notFound: 'Person not found',
  input: (a, r, { userId, current }) => {
    const out: Partial<PersonRow> = {};
    if (!current || r.has('name')) {
      const name = r.requiredString('name', 'Name must be given.');
      Object.assign(out, { name, ...splitName(name) });
    }
    const refs = checkRefs(a.state, r, { user: ['owner_id'], org: ['org_id'] });
    if (refs.owner_id !== undefined) out.owner_id = refs.owner_id ?? userId;
    if (refs.org_id !== undefined) out.org_id = refs.org_id;
    const emails = r.contacts(r.version === 1 ? 'email' : 'emails', 'work');
    const phones = r.contacts(r.version === 1 ? 'phone' : 'phones', 'work');
    if (emails) out.emails = emails;
    if (phones) out.phones = phones;
    const visible = r.visibleTo();
    if (visible !== undefined) out.visible_to = visible;
    const labels = r.intList('label_ids');
    if (labels) out.label_ids = labels;
    const custom = r.version === 1 ? customFromV1(a.state, 'person', r.body) : customFromV2(a.state, 'person', r.body.custom_fields);
    out.custom = { ...(current?.custom ?? {}), ...custom };
    if (current) return out;
    return { owner_id: userId, org_id: null, emails: [], phones: [], visible_to: 3, label_ids: [], ...out } as PersonRow;
  },
  v1: (a, row) => personV1(a.state, row),
  v2: (a, row) => personV2(a.state, row),
  filters: ['owner_id', 'org_id'],
  searchFields: ['custom_fields', 'email', 'notes', 'phone', 'name'],
  searchScore: (a, p, s) =>
    Math.max(
      wants(s, 'name') ? score(s, [p.name]) : 0,
      wants(s, 'email') ? score(s, p.emails.map((e) => e.value)) : 0,
      wants(s, 'phone') ? score(s, p.phones.map((e) => e.value), true) : 0,
      wants(s, 'custom_fields') ? score(s, Object.values(p.custom).filter((v) => typeof v === 'string' || typeof v === 'number').map(String)) : 0,
      wants(s, 'notes') ? score(s, a.state.notes.filter((n) => n.person_id === Number(p.id)).map((n) => n.content)) : 0,
    ),
  searchItem: (a, p) => {
    const org = p.org_id === null ? undefined : a.state.organizations.get(String(p.org_id));
    return {
      id: Number(p.id),
      type: 'person',
      name: p.name,
      phones: p.phones.map((e) => e.value),
      emails: p.emails.map((e) => e.value),
      visible_to: p.visible_to,
      owner: { id: p.owner_id },
      organization: org ? { id: Number(org.id), name: org.name, address: org.address } : null,
      custom_fields: [],
      notes: [],
    };
  },
};

export function personRoutes(app: FastifyInstance, api: PipedriveApi): void {
  registerEntity(app, api, personSpec);
}
