import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { USERS, type SandboxUser } from '../account.js';
import { HubSpotError, notFound } from '../errors.js';
import type { PropertyDefinition, PropertyRegistry } from '../properties.js';
import { intParam, parseBody } from '../validation.js';
import { objectTypeOf } from './common.js';

const SEEDED_AT = '2024-01-15T09:00:00.000Z';

const owner = (u: SandboxUser) => ({
  id: u.ownerId,
  email: u.email,
  type: 'PERSON',
  firstName: u.firstName,
  lastName: u.lastName,
  userId: u.userId,
  userIdIncludingInactive: u.userId,
  createdAt: SEEDED_AT,
  updatedAt: SEEDED_AT,
  archived: false,
});

const PropertyCreate = z.object({
  name: z.string().regex(/^[a-z][a-z0-9_]*$/, 'must start with a lowercase letter and use only a-z, 0-9 and _'),
  label: z.string().min(1),
  type: z.enum(['bool', 'date', 'datetime', 'enumeration', 'number', 'phone_number', 'string']),
  fieldType: z.enum(['booleancheckbox', 'calculation_equation', 'checkbox', 'date', 'file', 'html', 'number', 'phonenumber', 'radio', 'select', 'text', 'textarea']),
  groupName: z.string().min(1),
  description: z.string().optional(),
  displayOrder: z.number().int().optional(),
  hasUniqueValue: z.boolean().optional(),
  hidden: z.boolean().optional(),
  formField: z.boolean().optional(),
  options: z
    .array(z.object({ label: z.string(), value: z.string(), description: z.string().optional(), displayOrder: z.number().int().optional(), hidden: z.boolean().default(false) }))
    .optional(),
});

/** Owners (`/crm/v3/owners`) and property metadata (`/crm/v3/properties/{objectType}`). */
export function registerMetadataRoutes(app: FastifyInstance, properties: PropertyRegistry): void {
  app.get('/crm/v3/owners', async (req) => {
    const q = req.query as { email?: string; limit?: string; after?: string; archived?: string };
    const limit = Math.min(intParam(q.limit, 'limit', 100), 500);
    const offset = intParam(q.after, 'after', 0);
    const all = q.archived === 'true' ? [] : USERS.filter((u) => !q.email || u.email.toLowerCase() === q.email.toLowerCase());
    const page = all.slice(offset, offset + limit);
    return {
      results: page.map(owner),
      ...(offset + limit < all.length ? { paging: { next: { after: String(offset + limit), link: `?after=${offset + limit}` } } } : {}),
    };
  });

  app.get('/crm/v3/owners/:ownerId', async (req) => {
    const { ownerId } = req.params as { ownerId: string };
    const byUser = (req.query as { idProperty?: string }).idProperty === 'userId';
    const u = USERS.find((x) => (byUser ? String(x.userId) : x.ownerId) === ownerId);
    if (!u) throw notFound();
    return owner(u);
  });

  app.get('/crm/v3/properties/:objectType', async (req) => ({ results: properties.list(objectTypeOf(req)) }));

  app.get('/crm/v3/properties/:objectType/:propertyName', async (req) => {
    const type = objectTypeOf(req);
    const { propertyName } = req.params as { propertyName: string };
    const def = properties.get(type, propertyName);
    if (!def) throw HubSpotError.of(404, `Property ${propertyName} does not exist`, { context: { propertyName: [propertyName] } });
    return def;
  });

  app.post('/crm/v3/properties/:objectType', async (req, reply) => {
    const type = objectTypeOf(req);
    const body = parseBody(PropertyCreate, req.body);
    if (properties.get(type, body.name)) throw HubSpotError.of(409, `Property named '${body.name}' already exists.`, { category: 'OBJECT_ALREADY_EXISTS' });
    if (body.type === 'enumeration' && !body.options?.length) throw HubSpotError.of(400, 'Enumeration properties need at least one option', { errors: [{ message: 'options is required', in: 'options' }] });
    const at = new Date().toISOString();
    const def: PropertyDefinition = {
      name: body.name,
      label: body.label,
      type: body.type,
      fieldType: body.fieldType,
      description: body.description ?? '',
      groupName: body.groupName,
      options: (body.options ?? []).map((o, i) => ({ label: o.label, value: o.value, description: o.description ?? '', displayOrder: o.displayOrder ?? i, hidden: o.hidden })),
      displayOrder: body.displayOrder ?? -1,
      calculated: false,
      externalOptions: false,
      hasUniqueValue: body.hasUniqueValue ?? false,
      hidden: body.hidden ?? false,
      formField: body.formField ?? false,
      modificationMetadata: { archivable: true, readOnlyDefinition: false, readOnlyValue: false },
      createdAt: at,
      updatedAt: at,
      archived: false,
    };
    properties.add(type, def);
    return reply.code(201).send(def);
  });
}
