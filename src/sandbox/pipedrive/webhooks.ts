import { randomUUID } from 'node:crypto';
import { WebhookHub, type WebhookSubscription } from '../kit/webhooks.js';
import { COMPANY } from './facts.js';
import type { WebhookRow } from './model.js';
import type { PipedriveState } from './state.js';

export const WEBHOOK_OBJECTS = ['activity', 'activityType', 'deal', 'note', 'organization', 'person', 'pipeline', 'product', 'stage', 'user'];
/** v2 names the actions create/change/delete; v1 added/updated/deleted (and merged). Both are accepted. */
const V1_TO_V2: Record<string, string> = { added: 'create', updated: 'change', deleted: 'delete', merged: 'change' };
const V2_TO_V1: Record<string, string> = { create: 'added', change: 'updated', delete: 'deleted' };
export const WEBHOOK_ACTIONS = ['create', 'change', 'delete', 'added', 'updated', 'deleted', 'merged', '*'];

export type ChangeAction = 'create' | 'change' | 'delete';

/** Each delivery carries HTTP basic auth when the subscription set http_auth_user/password; nothing else signs it. */
export function createPipedriveHub(): WebhookHub {
  return new WebhookHub((sub, body) => {
    const headers: Record<string, string> = {};
    if (sub.meta?.http_auth_user) {
      headers.authorization = `Basic ${Buffer.from(`${sub.meta.http_auth_user}:${sub.meta.http_auth_password ?? ''}`).toString('base64')}`;
    }
    return { headers, body };
  });
}

/** The hub's event names for a subscription: `<v2 action>.<object>`, wildcards expanded. */
export function subscriptionEvents(row: WebhookRow): string[] {
  const actions = row.event_action === '*' ? ['create', 'change', 'delete'] : [V1_TO_V2[row.event_action] ?? row.event_action];
  const objects = row.event_object === '*' ? WEBHOOK_OBJECTS : [row.event_object];
  return actions.flatMap((a) => objects.map((o) => `${a}.${o}`));
}

export function subscribe(hub: WebhookHub, row: WebhookRow): void {
  hub.subscribe({
    id: row.id,
    url: row.subscription_url,
    events: subscriptionEvents(row),
    meta: { version: row.version, http_auth_user: row.http_auth_user ?? '', http_auth_password: row.http_auth_password ?? '', owner_id: String(row.owner_id) },
  });
}

export interface Change {
  object: string;
  action: ChangeAction;
  id: number;
  userId: number;
  /** The record as API v1 and v2 show it, before and after (null when absent). */
  v1: { current: unknown; previous: unknown };
  v2: { current: Record<string, unknown> | null; previous: Record<string, unknown> | null };
}

/** v2's `previous` holds only the fields that changed. */
function changedFields(before: Record<string, unknown>, after: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(before)) if (k !== 'update_time' && JSON.stringify(v) !== JSON.stringify(after[k])) out[k] = v;
  return out;
}

export function emitChange(hub: WebhookHub, state: PipedriveState, change: Change): void {
  const now = Date.now();
  const permitted = state.users.all().map((u) => u.id);
  const host = `${COMPANY.domain}.pipedrive.com`;
  const bodyFor = (sub: WebhookSubscription) => {
    if (sub.meta?.version === '1.0') {
      const action = V2_TO_V1[change.action];
      return {
        v: 1,
        matches_filters: { current: [] },
        meta: {
          v: 1, action, object: change.object, id: change.id, company_id: COMPANY.id, user_id: change.userId, host,
          timestamp: Math.floor(now / 1000), timestamp_micro: now * 1000, permitted_user_ids: permitted.map(Number),
          trans_pending: false, is_bulk_update: false, pipedrive_service_name: false, change_source: 'api',
          webhook_id: sub.id, webhook_owner_id: Number(sub.meta.owner_id),
        },
        current: change.v1.current,
        previous: change.v1.previous,
        event: `${action}.${change.object}`,
        retry: 0,
      };
    }
    const { current, previous } = change.v2;
    return {
      data: current,
      previous: change.action === 'change' && current && previous ? changedFields(previous, current) : change.action === 'delete' ? previous : null,
      meta: {
        action: change.action, change_source: 'api', company_id: String(COMPANY.id), correlation_id: randomUUID(),
        entity_id: String(change.id), entity: change.object, id: randomUUID(), is_bulk_edit: false, timestamp: new Date(now).toISOString(),
        type: 'general', user_id: String(change.userId), version: '2.0', webhook_id: sub.id, webhook_owner_id: sub.meta?.owner_id ?? '',
        permitted_user_ids: permitted, attempt: 1, host,
      },
    };
  };
  hub.emit(`${change.action}.${change.object}`, null, bodyFor);
}
