import { CrmError } from '../connectors/errors.js';
import type { CanonicalActivity, CrmRef } from '../connectors/outbound.js';
import { findLinks } from '../store/links.js';
import { listMessages } from '../store/messages.js';
import type { SyncItemTable } from '../store/schema.js';
import { loadClients, loadConversations } from '../store/sync-reads.js';
import { clientItemStates, requeueSkipped } from '../store/sync-items.js';
import { contentHash } from '../domain/hash.js';
import { activitiesFromConversation } from './canonical.js';
import { resolveParticipants, unmatchedReason } from './participants.js';
import { actionFor, type SyncRun } from './run.js';

const OPERATION: Record<CanonicalActivity['kind'], string> = {
  note: 'add_note',
  task: 'add_task',
  call: 'add_activity',
  meeting: 'add_activity',
  transcript: 'add_transcript',
};

const KIND_ORDER: Record<CanonicalActivity['kind'], number> = { note: 0, transcript: 1, task: 2, call: 3, meeting: 4 };

/** How long a conversation waits for its client to be synced before it is tried again. */
const WAIT_FOR_CLIENT_MS = 2_000;
/** Passes that may fail to read a contact's open deal or a task's owner before the activities are written without them. */
const LOOKUP_TRIES = 5;

/**
 * Writes what each conversation means for each of its clients' CRM records: notes, tasks,
 * activities, transcripts. Keys already written (the ledger in crm_links) are not sent again.
 */
export async function syncConversations(run: SyncRun, items: SyncItemTable[]): Promise<void> {
  const ws = run.connection.workspace_id;
  const conversations = await loadConversations(run.store.db, ws, items.map((i) => i.entity_id));
  const reaches = await resolveParticipants(run, [...conversations.values()].filter((c) => !c.body.isGroup).map((c) => c.body));
  const clientIds = [...new Set([...reaches.values()].flatMap((r) => r.clientIds))];
  const contacts = await findLinks(run.store.db, run.connection.id, 'client', clientIds);
  const clients = await loadClients(run.store.db, ws, clientIds);
  const nameOf = (id: string) => {
    const b = clients.get(id)?.body;
    return [b?.firstName, b?.lastName].filter(Boolean).join(' ') || b?.phones[0]?.value || b?.emails[0]?.value || id;
  };
  const stateOf = await clientItemStates(run.store.db, run.connection.id, clientIds);
  const plans: Plan[] = [];
  if (run.settings.dealAssociation === 'open_deal') await run.prefetchOpenDeals([...contacts.values()].map((l) => ({ object: l.crmObject, id: l.crmId })));

  for (const item of items) {
    const conv = conversations.get(item.entity_id);
    if (!conv) {
      run.settle(item, item.pending_version, 'skipped', 'the conversation no longer exists');
      continue;
    }
    if (conv.body.isGroup) {
      run.log({ operation: 'sync_conversation', entity_type: 'conversation', entity_id: conv.body.id, client_id: null, status: 'skipped', crm_record_id: null, message: 'group chats are not synced', action: null });
      run.settle(item, conv.version, 'skipped', 'group chat');
      continue;
    }
    const reach = reaches.get(conv.body.id)!;
    if (reach.lookupFailed) {
      run.defer(item, reach.lookupFailed);
      continue;
    }
    const people = reach.clientIds;
    // A qualified conversation lets a client that "qualified only" skipped through (PRODUCT.md Y6).
    if (run.settings.syncQualifiedOnly && conv.body.qualification?.status === 'qualified') {
      for (const id of people) {
        if (contacts.has(id) || stateOf.get(id)?.state !== 'skipped') continue;
        if (await requeueSkipped(run.store.db, { connectionId: run.connection.id, entityType: 'client', entityId: id }, run.now())) stateOf.set(id, { ...stateOf.get(id)!, state: 'pending' });
      }
    }
    const waiting = people.filter((id) => !contacts.has(id) && (stateOf.get(id)?.state ?? 'pending') === 'pending');
    if (waiting.length) {
      run.defer(item, new CrmError('unavailable', `waiting for client ${waiting.join(', ')} to be synced first`, { retryAfterMs: WAIT_FOR_CLIENT_MS }));
      continue;
    }
    for (const p of reach.unmatched) {
      run.log({ operation: 'sync_conversation', entity_type: 'conversation', entity_id: conv.body.id, client_id: null, status: 'skipped', crm_record_id: null, message: unmatchedReason(p, run.crmName), action: null });
    }
    if (!people.length && !reach.contacts.length && reach.unmatched.length) {
      run.settle(item, conv.version, 'skipped', reach.unmatched.map((p) => unmatchedReason(p, run.crmName)).join('; '));
      continue;
    }
    const messages = run.settings.objects.transcripts ? await listMessages(run.store.db, ws, conv.body.id) : [];
    const activities: { clientId: string | null; activity: CanonicalActivity }[] = [];
    let lookupFailed: CrmError | undefined;
    // The CRM records the conversation goes on: its clients' and those found for its other participants.
    const targets = [
      ...people.map((clientId) => ({ clientId, link: contacts.get(clientId), name: nameOf(clientId) })),
      ...reach.contacts.map(({ point, ref }) => ({ clientId: null, link: { crmObject: ref.object, crmId: ref.id }, name: point.value })),
    ];
    for (const { clientId, link, name } of targets) {
      if (!link) {
        const why = `client ${clientId} is not in ${run.crmName}: ${stateOf.get(clientId!)?.last_error ?? 'not synced'}`;
        run.log({ operation: 'sync_conversation', entity_type: 'conversation', entity_id: conv.body.id, client_id: clientId, status: 'skipped', crm_record_id: null, message: why, action: null });
        continue;
      }
      const contact: CrmRef = { object: link.crmObject, id: link.crmId };
      let deal: CrmRef | undefined;
      try {
        deal = run.settings.dealAssociation === 'open_deal' ? await run.openDeal(contact) : undefined;
      } catch (err) {
        // Written without it, the note would never be associated to the deal: look again later,
        // unless the lookup keeps failing. A refusal (no access to deals) leaves the note on the contact alone.
        if (err instanceof CrmError && err.retryable && item.attempts < LOOKUP_TRIES) {
          lookupFailed = err;
          break;
        }
      }
      const owners = new Map<string, string>();
      try {
        for (const c of conv.body.commitments) if (c.ownerEmail) {
          const owner = await run.ownerFor(c.ownerEmail);
          if (owner) owners.set(c.ownerEmail, owner);
        }
      } catch (err) {
        // As for the deal: a task written without its owner keeps none.
        if (!(err instanceof CrmError)) throw err;
        if (item.attempts < LOOKUP_TRIES) {
          lookupFailed = err;
          break;
        }
      }
      for (const activity of activitiesFromConversation(conv.body, messages, contact, deal, run.settings.objects, owners, name)) activities.push({ clientId, activity });
    }
    if (lookupFailed) {
      run.defer(item, lookupFailed);
      continue;
    }
    plans.push({ item, version: conv.version, conversationId: conv.body.id, activities });
  }
  await writePlans(run, plans);
}

interface Plan {
  item: SyncItemTable;
  version: number;
  conversationId: string;
  /** The client each activity is for; null for a participant found in the CRM by e-mail or phone alone. */
  activities: { clientId: string | null; activity: CanonicalActivity }[];
  retry?: CrmError;
}

const hashOf = (a: CanonicalActivity) => contentHash([a.subject, a.body]);

/**
 * Writes the activities of every conversation of the pass together, in the connector's batch
 * size (one call per batch and object type, not one per conversation), then settles each
 * conversation: synced, or deferred when a part of it failed in a way retrying can fix.
 */
async function writePlans(run: SyncRun, plans: Plan[]): Promise<void> {
  const done = await findLinks(run.store.db, run.connection.id, 'activity', plans.flatMap((p) => p.activities.map((a) => a.activity.key)));
  // Written before: skip it, unless it is a day's chat note that has grown (then update it).
  await run.markWriteStarted(plans.map((p) => p.item));
  const planned = plans.flatMap((plan) =>
    plan.activities.flatMap((a): { plan: Plan; clientId: string | null; activity: CanonicalActivity }[] => {
      const prior = done.get(a.activity.key);
      if (!prior) return [{ plan, ...a, activity: { ...a.activity, maybeWritten: plan.item.write_started_at !== null } }];
      if (a.activity.kind !== 'transcript' || prior.contentHash === hashOf(a.activity)) return [];
      return [{ plan, ...a, activity: { ...a.activity, replaces: { object: prior.crmObject, id: prior.crmId } } }];
    }),
  );
  // Two activities with one key (two identical commitments, two clients that are one CRM contact) are one activity: written once.
  const keys = new Set<string>();
  const todo = planned.filter((t) => !keys.has(t.activity.key) && Boolean(keys.add(t.activity.key)));
  // One kind after another, so that a batch holds one CRM object type (HubSpot writes notes,
  // tasks and calls through separate batch endpoints: a mixed batch of 100 would be three calls).
  todo.sort((a, b) => KIND_ORDER[a.activity.kind] - KIND_ORDER[b.activity.kind]);
  for (let i = 0; i < todo.length; i += run.connector.batchSize) {
    const batch = todo.slice(i, i + run.connector.batchSize);
    const outcomes = await run.connector.writeActivities(run.ctx, batch.map((b) => b.activity));
    for (const [j, b] of batch.entries()) {
      const o = outcomes[j] ?? { ok: false as const, error: new CrmError('unavailable', 'the CRM gave no answer for this activity') };
      const base = { operation: OPERATION[b.activity.kind], entity_type: 'conversation', entity_id: b.plan.conversationId, client_id: b.clientId } as const;
      if (o.ok) {
        run.link(b.plan.item, { entityType: 'activity', entityId: b.activity.key, crmObject: o.ref.object, crmId: o.ref.id, contentHash: hashOf(b.activity) });
        run.log({ ...base, status: 'success', crm_record_id: o.ref.id, message: b.activity.replaces ? 'updated with the day’s new messages' : null, action: null });
      } else if (o.error.retryable) {
        b.plan.retry ??= o.error;
      } else {
        run.log({ ...base, status: 'failed', crm_record_id: null, message: o.error.message, action: actionFor(o.error, run.crmName) });
      }
    }
    // The ledger and the log entries of this batch's activities, before the next batch goes out.
    await run.commit();
  }
  for (const plan of plans) {
    if (plan.retry) run.defer(plan.item, plan.retry);
    else run.settle(plan.item, plan.version, 'synced', null);
  }
}
