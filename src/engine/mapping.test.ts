import { describe, expect, it } from 'vitest';
import type { ClientBody } from '../domain/client.js';
import { activeMappings, mapFields } from './mapping.js';

const client: ClientBody = { id: 'c1', emails: [], phones: [], segments: [], properties: { score: '87', vip: 'yes', stage: 'warm', seen: '2026-11-20T10:00:00Z' } };
const props = new Map([
  ['score__c', { name: 'score__c', label: 'Score', type: 'number' as const, readOnly: false }],
  ['stage__c', { name: 'stage__c', label: 'Stage', type: 'picklist' as const, options: ['Cold', 'Warm', 'Hot'], readOnly: false }],
  ['vip__c', { name: 'vip__c', label: 'VIP', type: 'boolean' as const, readOnly: false }],
  ['seen__c', { name: 'seen__c', label: 'Seen', type: 'date' as const, readOnly: false }],
  ['budget__c', { name: 'budget__c', label: 'Budget', type: 'number' as const, readOnly: false }],
]);

describe('field mapping', () => {
  it('coerces numbers, booleans, dates and picklist values (matching case)', () => {
    const r = mapFields(
      client,
      { budget: '50,000' },
      [
        { source: 'score', target: 'score__c', type: 'number' },
        { source: 'properties.vip', target: 'vip__c', type: 'boolean' },
        { source: 'stage', target: 'stage__c', type: 'picklist' },
        { source: 'seen', target: 'seen__c', type: 'date' },
        { source: 'specificFields.budget', target: 'budget__c', type: 'number' },
      ],
      props,
    );
    expect(r).toEqual({ ok: true, values: { score__c: 87, vip__c: true, stage__c: 'Warm', seen__c: '2026-11-20', budget__c: 50000 } });
  });

  it('names the field and the value that does not fit', () => {
    const r = mapFields({ ...client, properties: { stage: 'lukewarm' } }, {}, [{ source: 'stage', target: 'stage__c', type: 'picklist' }], props);
    expect(r).toEqual({ ok: false, error: 'stage = "lukewarm" does not fit stage__c: not one of the allowed values (Cold, Warm, Hot)' });
  });

  it('leaves out empty sources instead of blanking the CRM field', () => {
    expect(mapFields(client, {}, [{ source: 'specificFields.budget', target: 'budget__c', type: 'number' }], props)).toEqual({ ok: true, values: {} });
  });

  it('drops the mappings of specific fields while "Specific fields as CRM properties" is off, not those of client properties', () => {
    const fieldMappings = [
      { source: 'specificFields.budget', target: 'budget__c', type: 'number' as const },
      { source: 'stage', target: 'stage__c', type: 'picklist' as const },
    ];
    const objects = (properties: boolean) => ({ contacts: true, notes: true, tasks: true, activities: true, transcripts: false, companies: true, properties });
    expect(activeMappings({ objects: objects(false), fieldMappings }).map((m) => m.target)).toEqual(['stage__c']);
    expect(activeMappings({ objects: objects(true), fieldMappings }).map((m) => m.target)).toEqual(['budget__c', 'stage__c']);
  });
});
