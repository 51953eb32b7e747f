import { CrmError } from '../connectors/errors.js';
import type { CanonicalContact, CrmProperty, CrmRef } from '../connectors/outbound.js';
import { findLinks } from '../store/links.js';
import type { SyncItemTable } from '../store/schema.js';
import { conversationFacts, loadClients } from '../store/sync-reads.js';
import { contactFromClient } from './canonical.js';
import { withoutTakeovers } from './contact-claims.js';
import { skipReason } from './filters.js';
import { activeMappings, mapFields } from './mapping.js';
import { actionFor, type SyncRun } from './run.js';
import { clientCompanies, WAIT_FOR_COMPANY_MS } from './sync-companies.js';

const PROPERTIES_CACHE = 'engine:contactProperties';
const COMPANY_WAIT_TRIES = 5;

/**
 * Syncs clients as contacts or leads: filters, link or match, owner, mapped fields, then the
 * connector's batched upsert. Every client ends synced, skipped (with why), failed (with what
 * to fix) or deferred to a retry.
 */
export async function syncClients(run: SyncRun, items: SyncItemTable[]): Promise<void> {
  const ws = run.connection.workspace_id;
  const clients = await loadClients(run.store.db, ws, items.map((i) => i.entity_id));
  const facts = await conversationFacts(run.store.db, ws, [...clients.keys()]);
  const links = await findLinks(run.store.db, run.connection.id, 'client', [...clients.keys()]);
  const mappings = activeMappings(run.settings);
  const properties = mappings.length ? await contactProperties(run) : new Map<string, CrmProperty>();
  const companies = await clientCompanies(run, new Map([...clients.values()].flatMap((c) => (c.body.companyId ? [[c.body.id, c.body.companyId] as const] : []))));

  const ready: { item: SyncItemTable; version: number; contact: CanonicalContact; existing?: CrmRef }[] = [];
  for (const item of items) {
    const client = clients.get(item.entity_id);
    if (!client) {
      run.settle(item, item.pending_version, 'skipped', 'the client no longer exists');
      continue;
    }
    const f = facts.get(client.body.id);
    const why = skipReason(client.body, f?.qualified ?? false, run.settings);
    if (why) {
      run.log({ operation: 'sync_contact', entity_type: 'client', entity_id: client.body.id, client_id: client.body.id, status: 'skipped', crm_record_id: null, message: why, action: null });
      run.settle(item, client.version, 'skipped', why);
      continue;
    }
    const mapped = mapFields(client.body, f?.specificFields ?? {}, mappings, properties);
    if (!mapped.ok) {
      run.log({ operation: 'set_properties', entity_type: 'client', entity_id: client.body.id, client_id: client.body.id, status: 'failed', crm_record_id: null, message: mapped.error, action: 'Fix the value or the field mapping; the client syncs again when it changes.' });
      run.settle(item, client.version, 'failed', mapped.error);
      continue;
    }
    const company = companies.get(client.body.id);
    // A company that keeps failing for a moment does not hold its clients back for long: after a few tries they go without it.
    if (company?.waitFor && item.attempts < COMPANY_WAIT_TRIES) {
      run.defer(item, new CrmError('unavailable', `waiting for company ${company.waitFor} to be synced first`, { retryAfterMs: WAIT_FOR_COMPANY_MS }));
      continue;
    }
    const link = links.get(client.body.id);
    const owner = await run.ownerOrDefer(item, client.body.ownerEmail);
    if (owner.deferred) continue;
    const contact = contactFromClient(client.body, mapped.values, owner.ownerId, f?.chatUrl);
    contact.companyRef = company?.ref;
    contact.company ??= company?.name;
    contact.maybeWritten = item.write_started_at !== null;
    ready.push({ item, version: client.version, contact, existing: link && { object: link.crmObject, id: link.crmId } });
  }
  await run.markWriteStarted(ready.map((r) => r.item));

  const unlinked = ready.filter((r) => !r.existing).map((r) => r.contact);
  if (unlinked.length) {
    const found = await run.connector.matchContacts(run.ctx, unlinked);
    const matches = await withoutTakeovers(run.store.db, { workspaceId: ws, connectionId: run.connection.id }, unlinked, found);
    for (const r of ready) r.existing ??= matches.get(r.contact.clientId);
  }

  const allowCreate = run.settings.writePolicy === 'create_and_update';
  for (let i = 0; i < ready.length; i += run.connector.batchSize) {
    const batch = ready.slice(i, i + run.connector.batchSize);
    const outcomes = await run.connector.upsertContacts(
      run.ctx,
      batch.map((r) => ({ contact: r.contact, existing: r.existing, allowCreate })),
    );
    for (const [j, r] of batch.entries()) {
      const o = outcomes[j] ?? { ok: false as const, error: new CrmError('unavailable', 'the CRM gave no answer for this record') };
      const base = { entity_type: 'client', entity_id: r.contact.clientId, client_id: r.contact.clientId } as const;
      if (o.ok) {
        run.link(r.item, { entityType: 'client', entityId: r.contact.clientId, crmObject: o.ref.object, crmId: o.ref.id });
        const operation = `${o.created ? 'create' : 'update'}_${/lead/i.test(o.ref.object) ? 'lead' : 'contact'}`;
        run.log({ ...base, operation, status: 'success', crm_record_id: o.ref.id, message: null, action: null });
        run.settle(r.item, r.version, 'synced', null);
      } else if (o.error.kind === 'not_found' && !allowCreate && !r.existing) {
        const why = `update only: no matching contact in ${run.crmName}`;
        run.log({ ...base, operation: 'sync_contact', status: 'skipped', crm_record_id: null, message: why, action: null });
        run.settle(r.item, r.version, 'skipped', why);
      } else if (o.error.retryable) {
        run.defer(r.item, o.error);
      } else {
        const kind = /lead/i.test(r.existing?.object ?? '') ? 'lead' : 'contact';
        run.log({ ...base, operation: r.existing ? `update_${kind}` : `create_${kind}`, status: 'failed', crm_record_id: r.existing?.id ?? null, message: o.error.message, action: actionFor(o.error, run.crmName) });
        run.settle(r.item, r.version, 'failed', o.error.message);
      }
    }
    await run.commit();
  }
}

/** The CRM's contact properties, fetched once per connection and kept in its cache. */
async function contactProperties(run: SyncRun): Promise<Map<string, CrmProperty>> {
  let cached = run.ctx.cache.get(PROPERTIES_CACHE) as Map<string, CrmProperty> | undefined;
  if (!cached) {
    cached = new Map((await run.connector.describeContactProperties(run.ctx)).map((p) => [p.name, p]));
    run.ctx.cache.set(PROPERTIES_CACHE, cached);
  }
  return cached;
}
