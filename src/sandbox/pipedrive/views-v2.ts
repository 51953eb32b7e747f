import { customV2 } from './fields.js';
import { v2Time } from './envelope.js';
import type { ActivityRow, DealRow, OrganizationRow, PersonRow } from './model.js';
import type { PipedriveState } from './state.js';

/** API v2 shapes: plain ids, RFC 3339 times, custom fields under `custom_fields`. */
export function personV2(state: PipedriveState, p: PersonRow) {
  return {
    id: Number(p.id),
    name: p.name,
    first_name: p.first_name,
    last_name: p.last_name,
    owner_id: p.owner_id,
    org_id: p.org_id,
    add_time: v2Time(p.createdAt),
    update_time: v2Time(p.updatedAt),
    emails: p.emails.map((e) => ({ value: e.value, primary: e.primary, label: e.label })),
    phones: p.phones.map((e) => ({ value: e.value, primary: e.primary, label: e.label })),
    is_deleted: false,
    visible_to: p.visible_to,
    label_ids: p.label_ids,
    picture_id: null,
    custom_fields: customV2(state, 'person', p.custom),
  };
}

export function organizationV2(state: PipedriveState, o: OrganizationRow) {
  return {
    id: Number(o.id),
    name: o.name,
    owner_id: o.owner_id,
    add_time: v2Time(o.createdAt),
    update_time: v2Time(o.updatedAt),
    address: o.address === null ? null : { value: o.address },
    is_deleted: false,
    visible_to: o.visible_to,
    label_ids: o.label_ids,
    custom_fields: customV2(state, 'organization', o.custom),
  };
}

export function dealV2(state: PipedriveState, d: DealRow) {
  return {
    id: Number(d.id),
    title: d.title,
    creator_user_id: d.creator_user_id,
    owner_id: d.owner_id,
    value: d.value,
    person_id: d.person_id,
    org_id: d.org_id,
    stage_id: d.stage_id,
    pipeline_id: d.pipeline_id,
    currency: d.currency,
    add_time: v2Time(d.createdAt),
    update_time: v2Time(d.updatedAt),
    stage_change_time: null,
    status: d.status,
    is_deleted: false,
    probability: d.probability,
    lost_reason: d.lost_reason,
    visible_to: d.visible_to,
    close_time: v2Time(d.won_time ?? d.lost_time),
    won_time: v2Time(d.won_time),
    lost_time: v2Time(d.lost_time),
    expected_close_date: d.expected_close_date,
    label_ids: d.label_ids,
    custom_fields: customV2(state, 'deal', d.custom),
  };
}

const withSeconds = (hhmm: string | null) => (hhmm === null ? null : `${hhmm}:00`);

export function activityV2(_state: PipedriveState, a: ActivityRow) {
  return {
    id: Number(a.id),
    subject: a.subject,
    type: a.type,
    owner_id: a.owner_id,
    creator_user_id: a.creator_user_id,
    is_deleted: false,
    add_time: v2Time(a.createdAt),
    update_time: v2Time(a.updatedAt),
    deal_id: a.deal_id,
    lead_id: null,
    person_id: a.person_id,
    org_id: a.org_id,
    project_id: null,
    due_date: a.due_date,
    due_time: withSeconds(a.due_time),
    duration: withSeconds(a.duration),
    busy: a.busy,
    done: a.done,
    marked_as_done_time: v2Time(a.marked_as_done_time),
    location: null,
    participants: a.person_id === null ? [] : [{ person_id: a.person_id, primary: true }],
    attendees: [],
    public_description: a.public_description,
    priority: null,
    note: a.note,
  };
}
