import { CrmError } from '../connectors/errors.js';
import type { CrmRef } from '../connectors/outbound.js';
import { loadDeals } from '../store/deals.js';
import { findLinks } from '../store/links.js';
import type { SyncItemTable } from '../store/schema.js';
import { clientItemStates } from '../store/sync-items.js';
import { loadClients } from '../store/sync-reads.js';
import { dealFromBody } from './canonical.js';
import { actionFor, type SyncRun } from './run.js';

/** How long a deal waits for its client's contact before it is tried again. */
const WAIT_FOR_CLIENT_MS = 2_000;

/**
 * Creates the deals the platform asked for (PRODUCT.md S8), once each: for the client's
 * contact (a deal waits while the client is still being synced), with its company when that
 * is linked, owned by the CRM user with the deal's owner e-mail. The link ('deal') is the
 * ledger: a deal linked here is never created again. crm-sync creates deals; it does not edit
 * them, so a later PUT of a created deal is logged as skipped.
 */
export async function syncDeals(run: SyncRun, items: SyncItemTable[]): Promise<void> {
  if (!items.length) return;
  const ws = run.connection.workspace_id;
  const deals = await loadDeals(run.store.db, ws, items.map((i) => i.entity_id));
  const created = await findLinks(run.store.db, run.connection.id, 'deal', [...deals.keys()]);
  const clientIds = [...new Set([...deals.values()].map((d) => d.body.clientId))];
  const contacts = await findLinks(run.store.db, run.connection.id, 'client', clientIds);
  const clients = await loadClients(run.store.db, ws, clientIds);
  const companyIds = [...new Set([...clients.values()].flatMap((c) => (c.body.companyId ? [c.body.companyId] : [])))];
  const companies = await findLinks(run.store.db, run.connection.id, 'company', companyIds);
  const stateOf = await clientItemStates(run.store.db, run.connection.id, clientIds);

  for (const item of items) {
    const deal = deals.get(item.entity_id);
    if (!deal) {
      run.settle(item, item.pending_version, 'skipped', 'the deal no longer exists');
      continue;
    }
    const { body } = deal;
    const base = { operation: 'create_deal', entity_type: 'deal', entity_id: body.id, client_id: body.clientId } as const;
    const skip = (why: string, crmRecordId: string | null = null) => {
      run.log({ ...base, status: 'skipped', crm_record_id: crmRecordId, message: why, action: null });
      run.settle(item, deal.version, 'skipped', why);
    };
    if (!run.connector.createDeal) {
      skip(`${run.crmName} has no deals`);
      continue;
    }
    const done = created.get(body.id);
    if (done) {
      skip('already created; crm-sync creates deals, it does not edit them', done.crmId);
      continue;
    }
    const link = contacts.get(body.clientId);
    if (!link) {
      const state = stateOf.get(body.clientId);
      if (clients.has(body.clientId) && (state?.state ?? 'pending') === 'pending') {
        run.defer(item, new CrmError('unavailable', `waiting for client ${body.clientId} to be synced first`, { retryAfterMs: WAIT_FOR_CLIENT_MS }));
      } else {
        const why = clients.has(body.clientId) ? `client ${body.clientId} is not in ${run.crmName}: ${state?.last_error ?? 'not synced'}` : `no client ${body.clientId} in this workspace`;
        skip(`${why}; send the deal again once the client is synced`);
      }
      continue;
    }
    const contact: CrmRef = { object: link.crmObject, id: link.crmId };
    const companyId = clients.get(body.clientId)?.body.companyId;
    const companyLink = companyId ? companies.get(companyId) : undefined;
    const company = companyLink && { object: companyLink.crmObject, id: companyLink.crmId };
    const owner = await run.ownerOrDefer(item, body.ownerEmail);
    if (owner.deferred) continue;
    const outcome = await run.connector.createDeal(run.ctx, dealFromBody(body, contact, company, owner.ownerId));
    if (outcome.ok) {
      run.rememberOpenDeal(contact, outcome.ref);
      run.link(item, { entityType: 'deal', entityId: body.id, crmObject: outcome.ref.object, crmId: outcome.ref.id });
      run.log({ ...base, status: 'success', crm_record_id: outcome.ref.id, message: outcome.created ? null : 'found the deal an earlier attempt created', action: null });
      run.settle(item, deal.version, 'synced', null);
    } else if (outcome.error.retryable) {
      run.defer(item, outcome.error);
    } else {
      run.log({ ...base, status: 'failed', crm_record_id: null, message: outcome.error.message, action: actionFor(outcome.error, run.crmName) });
      run.settle(item, deal.version, 'failed', outcome.error.message);
    }
    // The link is the ledger that keeps a deal from being created twice: on record before the next deal goes out.
    await run.commit();
  }
}
