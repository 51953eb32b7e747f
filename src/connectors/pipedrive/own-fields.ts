import type { OutboundContext } from '../outbound.js';
import { callPipedrive, listV1, v1 } from './api.js';
import { OwnField } from './schemas.js';

type Entity = 'organization' | 'deal';
const PATH: Record<Entity, string> = { organization: '/organizationFields', deal: '/dealFields' };
/** Custom fields are keyed by a 40-character hash; standard ones by their name. */
const HASH_KEY = /^[0-9a-f]{40}$/;

/** The custom fields of organizations or deals (metadata), read once per connection. */
export async function fieldsOf(ctx: OutboundContext, entity: Entity, fresh = false): Promise<{ key: string; name: string }[]> {
  const cacheKey = `pipedrive:${entity}Fields`;
  const cached = ctx.cache.get(cacheKey) as { key: string; name: string }[] | undefined;
  if (cached && !fresh) return cached;
  const fields = (await listV1(ctx, PATH[entity], OwnField)).filter((f) => HASH_KEY.test(f.key));
  ctx.cache.set(cacheKey, fields);
  return fields;
}

/**
 * The key of a text field crm-sync keeps its own values in (a company id, a deal key), created
 * the first time. A create that timed out is found by name on the next call, not made twice.
 */
export async function ownFieldKey(ctx: OutboundContext, entity: Entity, name: string): Promise<string> {
  const byName = (fields: { key: string; name: string }[]) => fields.find((f) => f.name.toLowerCase() === name.toLowerCase());
  let field = byName(await fieldsOf(ctx, entity)) ?? byName(await fieldsOf(ctx, entity, true));
  if (!field) {
    field = (await callPipedrive(ctx, { method: 'POST', url: v1(ctx, PATH[entity]), body: { name, field_type: 'varchar' } }, OwnField)).data;
    await fieldsOf(ctx, entity, true);
  }
  return field.key;
}
