import { CrmError } from '../errors.js';
import type { OutboundContext, RecordOutcome } from '../outbound.js';
import { chunk, failure, isSuccess, send } from './api.js';
import type { ContactWrite } from './contact-write.js';
import { BATCH_SIZE } from './facts.js';

/**
 * Associates written contacts with their companies (v4 default association, in batches). It
 * is idempotent, so a contact updated again is simply associated again. When HubSpot refuses
 * or fails, the contacts of that batch carry the failure, so the engine retries or reports them.
 */
export async function associateWithCompanies(ctx: OutboundContext, outcomes: Map<ContactWrite, RecordOutcome>): Promise<void> {
  const pairs = [...outcomes].flatMap(([w, o]) => (o.ok && w.contact.companyRef?.object === 'companies' ? [{ write: w, contactId: o.ref.id, companyId: w.contact.companyRef.id }] : []));
  for (const part of chunk(pairs, BATCH_SIZE)) {
    let error: CrmError | undefined;
    try {
      const res = await send(ctx, {
        method: 'POST',
        path: '/crm/v4/associations/contacts/companies/batch/associate/default',
        body: { inputs: part.map((p) => ({ from: { id: p.contactId }, to: { id: p.companyId } })) },
      });
      if (!isSuccess(res)) error = failure(res);
    } catch (err) {
      if (!(err instanceof CrmError)) throw err;
      error = err;
    }
    if (error) for (const p of part) outcomes.set(p.write, { ok: false, error: new CrmError(error.kind, `The contact was written but not associated with its company: ${error.message}`, error.details) });
  }
}
