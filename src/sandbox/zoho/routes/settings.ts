import type { FastifyInstance } from 'fastify';
import type { ZohoRouteConfig } from '../context.js';
import { invalidModule, requiredParamMissing, sendError } from '../errors.js';
import { currentUser } from '../guard.js';
import { findModule, MODULES, type ZohoField, type ZohoModule } from '../metadata.js';
import { fullName, ORG_ID, USERS, type ZohoUser } from '../state.js';

/** Metadata: modules, fields (with picklist values and custom flags), users and the org. */
const cfg = (family: ZohoRouteConfig['scope']['family']): { config: { zoho: ZohoRouteConfig } } => ({ config: { zoho: { scope: { family, op: 'READ' } } } });

const JSON_TYPES: Record<string, string> = { integer: 'integer', currency: 'double', boolean: 'boolean', lookup: 'jsonobject', ownerlookup: 'jsonobject' };

function fieldView(f: ZohoField, moduleId: string, index: number) {
  return {
    api_name: f.api_name,
    field_label: f.label,
    display_label: f.label,
    data_type: f.data_type,
    json_type: JSON_TYPES[f.data_type] ?? 'string',
    id: `${moduleId.slice(0, -6)}${String(700_000 + index)}`,
    custom_field: f.custom ?? false,
    system_mandatory: f.mandatory ?? false,
    read_only: f.readOnly ?? false,
    length: f.length ?? (f.data_type === 'email' || f.data_type === 'website' ? 255 : 9),
    unique: f.unique ? { casesensitive: false } : {},
    pick_list_values: (f.picklist ?? []).map((v, i) => ({ display_value: v, actual_value: v, id: `${moduleId.slice(0, -6)}${String(800_000 + index * 50 + i)}`, sequence_number: i + 1, type: 'used' })),
    lookup: f.data_type === 'lookup' && f.lookup !== 'any' ? { module: { api_name: f.lookup, id: findModule(f.lookup!)?.id } } : {},
  };
}

export const userView = (u: ZohoUser) => ({
  id: u.id,
  zuid: u.zuid,
  first_name: u.first_name,
  last_name: u.last_name,
  full_name: fullName(u),
  email: u.email,
  status: 'active',
  confirm: true,
  role: { name: u.role, id: `${u.id.slice(0, -1)}9` },
  profile: { name: u.profile, id: `${u.id.slice(0, -1)}8` },
  time_zone: 'Etc/UTC',
  locale: 'en_US',
  country: 'US',
});

const moduleView = (m: ZohoModule) => ({
  api_name: m.api_name,
  module_name: m.module_name,
  singular_label: m.singular_label,
  plural_label: m.plural_label,
  id: m.id,
  generated_type: m.custom ? 'custom' : 'default',
  api_supported: true,
  creatable: true,
  editable: true,
  deletable: true,
  viewable: true,
});

export async function registerSettingsRoutes(app: FastifyInstance): Promise<void> {
  app.get('/crm/v8/settings/modules', cfg('settings'), async () => ({ modules: MODULES.map(moduleView) }));

  // One module by API name (case-insensitive, as record URLs) or by id; the list's summary plus
  // the field that names its records. An unknown one is INVALID_MODULE, naming the path segment.
  app.get<{ Params: { module: string } }>('/crm/v8/settings/modules/:module', cfg('settings'), async (req, reply) => {
    const mod = findModule(req.params.module) ?? MODULES.find((m) => m.id === req.params.module);
    if (!mod) return sendError(reply, 400, 'INVALID_MODULE', 'the module name given seems to be invalid', { resource_path_index: 2 });
    return { modules: [{ ...moduleView(mod), display_field: { api_name: mod.nameField } }] };
  });

  app.get('/crm/v8/settings/fields', cfg('settings'), async (req, reply) => {
    const name = (req.query as { module?: string }).module;
    if (!name) return requiredParamMissing(reply, 'module');
    const mod = findModule(name);
    if (!mod) return invalidModule(reply);
    return { fields: mod.fields.map((f, i) => fieldView(f, mod.id, i)) };
  });

  app.get('/crm/v8/users', cfg('users'), async (req, reply) => {
    const type = (req.query as { type?: string }).type ?? 'AllUsers';
    if (type === 'DeactiveUsers' || type === 'NotConfirmedUsers') return reply.code(204).send();
    const users = type === 'CurrentUser' ? [currentUser(req)] : USERS;
    return { users: users.map(userView), info: { per_page: 200, count: users.length, page: 1, more_records: false } };
  });

  app.get<{ Params: { id: string } }>('/crm/v8/users/:id', cfg('users'), async (req, reply) => {
    const user = USERS.find((u) => u.id === req.params.id);
    if (!user) return sendError(reply, 400, 'INVALID_DATA', 'the id given seems to be invalid', { resource_path_index: 0 });
    return { users: [userView(user)] };
  });

  // Search users: `{criteria:{field:"email", comparator:"equal", value}}`.
  app.post('/crm/v8/users/search', cfg('users'), async (req, reply) => {
    const c = (req.body as { criteria?: { field?: unknown; comparator?: unknown; value?: unknown } } | undefined)?.criteria;
    if (!c || typeof c.field !== 'string' || typeof c.value !== 'string') return requiredParamMissing(reply, 'criteria');
    const key = c.field as keyof ZohoUser;
    if (!['email', 'first_name', 'last_name', 'id'].includes(c.field)) return sendError(reply, 400, 'INVALID_DATA', 'invalid data', { api_name: c.field });
    const value = c.value.toLowerCase();
    const hits = USERS.filter((u) => (c.comparator === 'starts_with' ? u[key].toLowerCase().startsWith(value) : u[key].toLowerCase() === value));
    if (hits.length === 0) return reply.code(204).send();
    return { users: hits.map(userView), info: { per_page: 200, count: hits.length, page: 1, more_records: false } };
  });

  app.get('/crm/v8/org', cfg('org'), async () => ({
    org: [
      {
        id: ORG_ID,
        company_name: 'Sandbox Motors',
        primary_email: USERS[0]!.email,
        primary_zuid: USERS[0]!.zuid,
        zgid: '70045001',
        domain_name: 'org60045000001',
        country_code: 'US',
        time_zone: 'Etc/UTC',
        currency: 'US Dollar - USD',
        currency_symbol: '$',
        iso_code: 'USD',
        type: 'production',
        license_details: { paid: true, paid_type: 'enterprise', users_license_purchased: 3, trial_expiry: null },
      },
    ],
  }));
}
