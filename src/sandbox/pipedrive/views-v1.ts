import { COMPANY } from './facts.js';
import { customV1 } from './fields.js';
import { v1Time } from './envelope.js';
import type { ActivityRow, ContactPoint, DealRow, NoteRow, OrganizationRow, PersonRow, UserRow } from './model.js';
import type { PipedriveState } from './state.js';

/** API v1 shapes: related objects expanded into `{..., value: id}`, custom fields at the top level. */
export function userRef(state: PipedriveState, id: number) {
  const u = state.user(id);
  return u ? { id: Number(u.id), name: u.name, email: u.email, has_pic: 0, pic_hash: null, active_flag: true, value: Number(u.id) } : null;
}

function orgRef(state: PipedriveState, id: number | null) {
  const o = id === null ? undefined : state.organizations.get(String(id));
  if (!o) return null;
  const people = state.persons.filter((p) => p.org_id === Number(o.id)).length;
  return { name: o.name, people_count: people, owner_id: o.owner_id, address: o.address, active_flag: true, cc_email: ccEmail(), value: Number(o.id) };
}

function personRef(state: PipedriveState, id: number | null) {
  const p = id === null ? undefined : state.persons.get(String(id));
  if (!p) return null;
  return { active_flag: true, name: p.name, email: contactsV1(p.emails), phone: contactsV1(p.phones), owner_id: p.owner_id, value: Number(p.id) };
}

const ccEmail = () => `${COMPANY.domain}@pipedrivemail.com`;

/** v1 never sends an empty list: a person without e-mail has `[{value: "", primary: true}]`. */
export function contactsV1(list: ContactPoint[]) {
  return list.length ? list.map((c) => ({ label: c.label, value: c.value, primary: c.primary })) : [{ value: '', primary: true }];
}

export function personV1(state: PipedriveState, p: PersonRow) {
  const id = Number(p.id);
  const deals = state.deals.filter((d) => d.person_id === id);
  const acts = state.activities.filter((a) => a.person_id === id);
  const owner = state.user(p.owner_id);
  const org = orgRef(state, p.org_id);
  return {
    id,
    company_id: COMPANY.id,
    owner_id: userRef(state, p.owner_id),
    org_id: org,
    name: p.name,
    first_name: p.first_name,
    last_name: p.last_name,
    open_deals_count: deals.filter((d) => d.status === 'open').length,
    closed_deals_count: deals.filter((d) => d.status !== 'open').length,
    won_deals_count: deals.filter((d) => d.status === 'won').length,
    lost_deals_count: deals.filter((d) => d.status === 'lost').length,
    activities_count: acts.length,
    done_activities_count: acts.filter((a) => a.done).length,
    undone_activities_count: acts.filter((a) => !a.done).length,
    notes_count: state.notes.filter((n) => n.person_id === id).length,
    files_count: 0,
    followers_count: 1,
    email_messages_count: 0,
    active_flag: true,
    phone: contactsV1(p.phones),
    email: contactsV1(p.emails),
    primary_email: p.emails.find((e) => e.primary)?.value ?? p.emails[0]?.value ?? null,
    first_char: p.name.charAt(0).toLowerCase(),
    update_time: v1Time(p.updatedAt),
    add_time: v1Time(p.createdAt),
    visible_to: String(p.visible_to),
    picture_id: null,
    label: p.label_ids[0] ?? null,
    label_ids: p.label_ids,
    org_name: org?.name ?? null,
    owner_name: owner?.name ?? null,
    cc_email: ccEmail(),
    ...customV1(state, 'person', p.custom),
  };
}

export function organizationV1(state: PipedriveState, o: OrganizationRow) {
  const id = Number(o.id);
  const deals = state.deals.filter((d) => d.org_id === id);
  return {
    id,
    company_id: COMPANY.id,
    owner_id: userRef(state, o.owner_id),
    name: o.name,
    open_deals_count: deals.filter((d) => d.status === 'open').length,
    closed_deals_count: deals.filter((d) => d.status !== 'open').length,
    people_count: state.persons.filter((p) => p.org_id === id).length,
    activities_count: state.activities.filter((a) => a.org_id === id).length,
    notes_count: state.notes.filter((n) => n.org_id === id).length,
    active_flag: true,
    first_char: o.name.charAt(0).toLowerCase(),
    update_time: v1Time(o.updatedAt),
    add_time: v1Time(o.createdAt),
    visible_to: String(o.visible_to),
    label: o.label_ids[0] ?? null,
    label_ids: o.label_ids,
    address: o.address,
    address_formatted_address: o.address,
    owner_name: state.user(o.owner_id)?.name ?? null,
    cc_email: ccEmail(),
    ...customV1(state, 'organization', o.custom),
  };
}

export function dealV1(state: PipedriveState, d: DealRow) {
  const person = personRef(state, d.person_id);
  const org = orgRef(state, d.org_id);
  const probability = d.probability ?? 100;
  return {
    id: Number(d.id),
    creator_user_id: userRef(state, d.creator_user_id),
    user_id: userRef(state, d.owner_id),
    person_id: person,
    org_id: org,
    stage_id: d.stage_id,
    title: d.title,
    value: d.value,
    currency: d.currency,
    add_time: v1Time(d.createdAt),
    update_time: v1Time(d.updatedAt),
    stage_change_time: null,
    active: d.status === 'open',
    deleted: false,
    status: d.status,
    probability: d.probability,
    lost_reason: d.lost_reason,
    visible_to: String(d.visible_to),
    close_time: v1Time(d.won_time ?? d.lost_time),
    pipeline_id: d.pipeline_id,
    won_time: v1Time(d.won_time),
    lost_time: v1Time(d.lost_time),
    expected_close_date: d.expected_close_date,
    label: d.label_ids.length ? d.label_ids.join(',') : null,
    notes_count: state.notes.filter((n) => n.deal_id === Number(d.id)).length,
    activities_count: state.activities.filter((a) => a.deal_id === Number(d.id)).length,
    person_name: person?.name ?? null,
    org_name: org?.name ?? null,
    owner_name: state.user(d.owner_id)?.name ?? null,
    formatted_value: `${d.value} ${d.currency}`,
    weighted_value: (d.value * probability) / 100,
    weighted_value_currency: d.currency,
    cc_email: `${COMPANY.domain}+deal${d.id}@pipedrivemail.com`,
    ...customV1(state, 'deal', d.custom),
  };
}

export function noteV1(state: PipedriveState, n: NoteRow) {
  const user = state.user(n.user_id);
  const person = n.person_id === null ? undefined : state.persons.get(String(n.person_id));
  const deal = n.deal_id === null ? undefined : state.deals.get(String(n.deal_id));
  const org = n.org_id === null ? undefined : state.organizations.get(String(n.org_id));
  return {
    id: Number(n.id),
    active_flag: true,
    add_time: v1Time(n.createdAt),
    content: n.content,
    deal: deal ? { title: deal.title } : null,
    lead_id: n.lead_id,
    deal_id: n.deal_id,
    last_update_user_id: n.user_id,
    org_id: n.org_id,
    organization: org ? { name: org.name } : null,
    person: person ? { name: person.name } : null,
    person_id: n.person_id,
    pinned_to_lead_flag: n.pinned_to_lead_flag,
    pinned_to_deal_flag: n.pinned_to_deal_flag,
    pinned_to_organization_flag: n.pinned_to_organization_flag,
    pinned_to_person_flag: n.pinned_to_person_flag,
    update_time: v1Time(n.updatedAt),
    user: user ? { email: user.email, icon_url: null, is_you: true, name: user.name } : null,
    user_id: n.user_id,
  };
}

export function activityV1(state: PipedriveState, a: ActivityRow) {
  const person = a.person_id === null ? undefined : state.persons.get(String(a.person_id));
  const deal = a.deal_id === null ? undefined : state.deals.get(String(a.deal_id));
  const org = a.org_id === null ? undefined : state.organizations.get(String(a.org_id));
  return {
    id: Number(a.id),
    company_id: COMPANY.id,
    user_id: a.owner_id,
    done: a.done,
    type: a.type,
    due_date: a.due_date,
    due_time: a.due_time ?? '',
    duration: a.duration ?? '',
    busy_flag: a.busy,
    add_time: v1Time(a.createdAt),
    marked_as_done_time: a.marked_as_done_time === null ? '' : v1Time(a.marked_as_done_time),
    subject: a.subject,
    public_description: a.public_description,
    location: null,
    org_id: a.org_id,
    person_id: a.person_id,
    deal_id: a.deal_id,
    lead_id: null,
    project_id: null,
    active_flag: true,
    update_time: v1Time(a.updatedAt),
    update_user_id: a.owner_id,
    note: a.note,
    created_by_user_id: a.creator_user_id,
    participants: a.person_id === null ? null : [{ person_id: a.person_id, primary_flag: true }],
    attendees: null,
    org_name: org?.name ?? null,
    person_name: person?.name ?? null,
    deal_title: deal?.title ?? null,
    owner_name: state.user(a.owner_id)?.name ?? null,
    assigned_to_user_id: a.owner_id,
  };
}

export function userV1(u: UserRow, meId?: number) {
  return {
    id: Number(u.id),
    name: u.name,
    default_currency: 'EUR',
    locale: u.locale,
    lang: 1,
    email: u.email,
    phone: null,
    activated: true,
    last_login: v1Time(u.updatedAt),
    created: v1Time(u.createdAt),
    modified: v1Time(u.updatedAt),
    has_created_company: u.is_admin,
    access: [{ app: 'sales', admin: u.is_admin, permission_set_id: u.is_admin ? 'sales-admin' : 'sales-regular' }],
    active_flag: true,
    timezone_name: u.timezone_name,
    timezone_offset: '+00:00',
    role_id: 1,
    icon_url: null,
    is_you: meId === Number(u.id),
    is_admin: u.is_admin ? 1 : 0,
  };
}
