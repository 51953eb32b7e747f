/**
 * HubSpot's facts for outbound sync, in one place: object names, association type ids,
 * batch and search limits, and the custom properties crm-sync keeps its keys in.
 */
import type { ActivityKind } from '../outbound.js';

export const CRM_NAME = 'HubSpot';

/** Inputs per batch create/read/update/upsert. */
export const BATCH_SIZE = 100;
/** Inputs per v4 associations `batch/read`. */
export const ASSOCIATION_READ_BATCH = 1_000;
/** Values per `IN` search filter, results per search page, and the most a search can page through. */
export const SEARCH = { inValues: 100, pageSize: 200, maxResults: 10_000 } as const;

export type EngagementObject = 'notes' | 'tasks' | 'calls' | 'meetings';

/** Transcripts are notes whose subject says so (HubSpot has no transcript object). */
export const OBJECT_OF_KIND: Record<ActivityKind, EngagementObject> = {
  note: 'notes',
  transcript: 'notes',
  task: 'tasks',
  call: 'calls',
  meeting: 'meetings',
};

/** HUBSPOT_DEFINED association type ids from an engagement to a contact and to a deal. */
export const ASSOCIATION_TYPE_IDS: Record<EngagementObject, { contact: number; deal: number }> = {
  notes: { contact: 202, deal: 214 },
  tasks: { contact: 204, deal: 216 },
  calls: { contact: 194, deal: 206 },
  meetings: { contact: 200, deal: 212 },
};

/** Deal stages of HubSpot's default pipeline that end a deal (`hs_is_closed` says so for other pipelines). */
export const CLOSED_DEAL_STAGES = new Set(['closedwon', 'closedlost']);

/** Commitments are promises to a client: not urgent by default, not unimportant either. */
export const TASK_DEFAULTS = { hs_task_status: 'NOT_STARTED', hs_task_priority: 'MEDIUM' } as const;

/**
 * Custom properties holding crm-sync's idempotency keys. `hasUniqueValue` lets HubSpot read a
 * record by its value (`idProperty`), which bypasses the lagging search index.
 */
export interface SyncKeyProperty {
  object: 'contacts' | EngagementObject;
  name: string;
  label: string;
  groupName: string;
}

export const CLIENT_ID_PROPERTY = 'crm_sync_client_id';
export const ACTIVITY_KEY_PROPERTY = 'crm_sync_key';

export const SYNC_KEY_PROPERTIES: Record<'contacts' | EngagementObject, SyncKeyProperty> = {
  contacts: { object: 'contacts', name: CLIENT_ID_PROPERTY, label: 'crm-sync client id', groupName: 'contactinformation' },
  notes: { object: 'notes', name: ACTIVITY_KEY_PROPERTY, label: 'crm-sync key', groupName: 'engagement' },
  tasks: { object: 'tasks', name: ACTIVITY_KEY_PROPERTY, label: 'crm-sync key', groupName: 'task' },
  calls: { object: 'calls', name: ACTIVITY_KEY_PROPERTY, label: 'crm-sync key', groupName: 'call' },
  meetings: { object: 'meetings', name: ACTIVITY_KEY_PROPERTY, label: 'crm-sync key', groupName: 'meeting' },
};

export const OBJECT_LABEL: Record<'contacts' | EngagementObject, string> = {
  contacts: 'contact',
  notes: 'note',
  tasks: 'task',
  calls: 'call',
  meetings: 'meeting',
};
