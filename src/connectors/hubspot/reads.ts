import type { OutboundContext } from '../outbound.js';
import { chunk, failure, parse, send } from './api.js';
import { BATCH_SIZE } from './facts.js';
import { BatchAnswer, type HubSpotObject } from './schemas.js';

/**
 * Records by the value of a unique property (`batch/read` with `idProperty`). This reads the
 * records themselves, not the search index, so a record written a moment ago (even by an
 * attempt whose answer we never got) is found: this is what makes replays safe under search lag.
 * Values no record has come back as a 207 OBJECT_NOT_FOUND, which is simply "not written yet".
 */
export async function readByUniqueProperty(
  ctx: OutboundContext,
  object: string,
  property: string,
  values: string[],
  properties: string[] = [],
): Promise<Map<string, HubSpotObject>> {
  const found = new Map<string, HubSpotObject>();
  for (const part of chunk([...new Set(values)], BATCH_SIZE)) {
    const res = await send(ctx, {
      method: 'POST',
      path: `/crm/v3/objects/${object}/batch/read`,
      body: { idProperty: property, inputs: part.map((id) => ({ id })), properties: [property, ...properties], propertiesWithHistory: [] },
    });
    if (res.status !== 200 && res.status !== 207) throw failure(res);
    for (const record of parse(BatchAnswer, res.body).results) {
      const value = record.properties[property];
      if (value) found.set(value, record);
    }
  }
  return found;
}
