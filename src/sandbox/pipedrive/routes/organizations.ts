import type { FastifyInstance } from 'fastify';
import type { PipedriveApi } from '../api.js';
import { customFromV1, customFromV2 } from '../fields.js';
import { checkRefs } from '../input.js';
import type { OrganizationRow } from '../model.js';
import { score, wants } from '../search.js';
import { organizationV1 } from '../views-v1.js';
import { organizationV2 } from '../views-v2.js';
import { registerEntity, type EntitySpec } from './entity.js';

export const organizationSpec: EntitySpec<OrganizationRow> = {
  object: 'organization',
  plural: 'organizations',
  table: (a) => a.state.organizations,
  notFound: 'Organization not found',
  input: (a, r, { userId, current }) => {
    const out: Partial<OrganizationRow> = {};
    if (!current || r.has('name')) out.name = r.requiredString('name', 'Name must be given.');
    const refs = checkRefs(a.state, r, { user: ['owner_id'] });
    if (refs.owner_id !== undefined) out.owner_id = refs.owner_id ?? userId;
    if (r.has('address')) {
      // v1 takes the address as a string, v2 as {value, ...components}.
      const raw = r.body.address;
      const value = r.version === 2 && raw && typeof raw === 'object' ? (raw as { value?: unknown }).value : raw;
      if (value !== null && typeof value !== 'string') throw r.invalid('address', r.version === 2 ? 'Expected object with value' : 'Expected string');
      out.address = value === '' ? null : value;
    }
    const visible = r.visibleTo();
    if (visible !== undefined) out.visible_to = visible;
    const labels = r.intList('label_ids');
    if (labels) out.label_ids = labels;
    const custom = r.version === 1 ? customFromV1(a.state, 'organization', r.body) : customFromV2(a.state, 'organization', r.body.custom_fields);
    out.custom = { ...(current?.custom ?? {}), ...custom };
    if (current) return out;
    return { owner_id: userId, address: null, visible_to: 3, label_ids: [], ...out } as OrganizationRow;
  },
  v1: (a, row) => organizationV1(a.state, row),
  v2: (a, row) => organizationV2(a.state, row),
  filters: ['owner_id'],
  searchFields: ['address', 'custom_fields', 'notes', 'name'],
  searchScore: (a, o, s) =>
    Math.max(
      wants(s, 'name') ? score(s, [o.name]) : 0,
      wants(s, 'address') && o.address ? score(s, [o.address]) : 0,
      wants(s, 'custom_fields') ? score(s, Object.values(o.custom).filter((v) => typeof v === 'string').map(String)) : 0,
      wants(s, 'notes') ? score(s, a.state.notes.filter((n) => n.org_id === Number(o.id)).map((n) => n.content)) : 0,
    ),
  searchItem: (_a, o) => ({
    id: Number(o.id),
    type: 'organization',
    name: o.name,
    address: o.address,
    visible_to: o.visible_to,
    owner: { id: o.owner_id },
    custom_fields: [],
    notes: [],
  }),
};

export function organizationRoutes(app: FastifyInstance, api: PipedriveApi): void {
  registerEntity(app, api, organizationSpec);
}
