import type { CrmProperty, OutboundContext } from '../outbound.js';
import { failure, fetchParsed, send } from './api.js';
import { CLIENT_ID_PROPERTY, SYNC_KEY_PROPERTIES, type EngagementObject } from './facts.js';
import { PropertiesAnswer, type PropertyDefinition } from './schemas.js';
import type { z } from 'zod';

/**
 * Makes sure the custom property that holds crm-sync's key exists on this object, once per
 * portal (remembered in the connection's cache). 409 means someone (or an earlier attempt)
 * created it already.
 */
export async function ensureSyncKeyProperty(ctx: OutboundContext, object: 'contacts' | EngagementObject): Promise<void> {
  const def = SYNC_KEY_PROPERTIES[object];
  const cacheKey = `hubspot:property:${object}:${def.name}`;
  if (ctx.cache.get(cacheKey) === true) return;
  const res = await send(ctx, {
    method: 'POST',
    path: `/crm/v3/properties/${object}`,
    body: {
      name: def.name,
      label: def.label,
      type: 'string',
      fieldType: 'text',
      groupName: def.groupName,
      hasUniqueValue: true,
      formField: false,
      description: 'Written by crm-sync: the key that makes its writes idempotent. Do not edit.',
    },
  });
  if (res.status !== 201 && res.status !== 200 && res.status !== 409) throw failure(res);
  ctx.cache.set(cacheKey, true);
}

/** The contact properties, mapped for field mapping and picklist checks. */
export async function describeContactProperties(ctx: OutboundContext): Promise<CrmProperty[]> {
  const answer = await fetchParsed(ctx, { path: '/crm/v3/properties/contacts' }, PropertiesAnswer);
  return answer.results.filter((p) => !p.archived).map(toCrmProperty);
}

function toCrmProperty(p: z.infer<typeof PropertyDefinition>): CrmProperty {
  // Our own key must never be a mapping target: changing it would break idempotency.
  const readOnly = p.modificationMetadata?.readOnlyValue === true || p.calculated === true || p.name === CLIENT_ID_PROPERTY;
  const base = { name: p.name, label: p.label || p.name, readOnly };
  if (p.type === 'bool' || p.fieldType === 'booleancheckbox') return { ...base, type: 'boolean' };
  if (p.type === 'enumeration') {
    // Owners and other external options are not listed in the definition: nothing to check against.
    if (p.externalOptions || p.referencedObjectType) return { ...base, type: 'other' };
    return { ...base, type: 'picklist', options: p.options.filter((o) => !o.hidden).map((o) => o.value) };
  }
  if (p.type === 'number') return { ...base, type: 'number' };
  if (p.type === 'date') return { ...base, type: 'date' };
  if (p.type === 'datetime') return { ...base, type: 'datetime' };
  if (p.type === 'string' || p.type === 'phone_number') return { ...base, type: 'string' };
  return { ...base, type: 'other' };
}
