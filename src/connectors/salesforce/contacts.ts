import { CrmError } from '../errors.js';
import type { CanonicalContact, CrmRef, OutboundContext, RecordOutcome } from '../outbound.js';
import { SALESFORCE } from './api.js';
import { writeCollection, type SObjectRecord, type WriteResult } from './collections.js';
import { newLead, personUpdate, type PersonObject } from './person-fields.js';

type Item = { contact: CanonicalContact; existing?: CrmRef; allowCreate: boolean };

const isPerson = (object: string): object is PersonObject => object === 'Lead' || object === 'Contact';

/**
 * Matched Leads and Contacts are updated by id (Collections update, only the fields we know);
 * new clients become Leads through an upsert on CrmSync_Id__c = client id, so a replay after
 * an uncertain outcome (the call timed out after Salesforce saved) updates the Lead it made
 * instead of creating a second one.
 */
export async function upsertContacts(ctx: OutboundContext, items: Item[]): Promise<RecordOutcome[]> {
  const outcomes: (RecordOutcome | undefined)[] = items.map(() => undefined);
  const updates: { index: number; record: SObjectRecord }[] = [];
  const creates: { index: number; record: SObjectRecord }[] = [];
  items.forEach(({ contact, existing, allowCreate }, index) => {
    if (existing && isPerson(existing.object)) {
      updates.push({ index, record: { object: existing.object, values: { id: existing.id, ...personUpdate(contact, existing.object) } } });
    } else if (existing) {
      outcomes[index] = { ok: false, error: new CrmError('invalid', `Salesforce ${existing.object} ${existing.id} is not a Lead or Contact; crm-sync only writes clients to those.`) };
    } else if (allowCreate) {
      creates.push({ index, record: { object: 'Lead', values: { ...newLead(contact), [SALESFORCE.externalIdField]: contact.clientId } } });
    } else {
      outcomes[index] = {
        ok: false,
        error: new CrmError('not_found', `No Salesforce Contact or Lead matches client ${contact.clientId}, and this connection only updates existing records.`),
      };
    }
  });
  const apply = (batch: { index: number; record: SObjectRecord }[], results: WriteResult[]) =>
    batch.forEach(({ index, record }, i) => {
      const r = results[i] as WriteResult;
      outcomes[index] = r.ok ? { ok: true, ref: { object: record.object, id: r.id }, created: r.created } : r;
    });
  apply(updates, await writeCollection(ctx, { kind: 'update' }, updates.map((u) => u.record)));
  apply(creates, await writeCollection(ctx, { kind: 'upsert', object: 'Lead', externalIdField: SALESFORCE.externalIdField }, creates.map((c) => c.record)));
  return outcomes as RecordOutcome[];
}
