import type { Stamped } from '../kit/table.js';

/** Rows as the fake stores them; the v1 and v2 views are built from these. */
export interface ContactPoint {
  value: string;
  primary: boolean;
  label: string;
}

export type CustomValues = Record<string, unknown>;

export interface UserRow extends Stamped {
  name: string;
  email: string;
  is_admin: boolean;
  locale: string;
  timezone_name: string;
}

export interface PersonRow extends Stamped {
  name: string;
  first_name: string | null;
  last_name: string | null;
  owner_id: number;
  org_id: number | null;
  emails: ContactPoint[];
  phones: ContactPoint[];
  visible_to: number;
  label_ids: number[];
  custom: CustomValues;
}

export interface OrganizationRow extends Stamped {
  name: string;
  owner_id: number;
  address: string | null;
  visible_to: number;
  label_ids: number[];
  custom: CustomValues;
}

export type DealStatus = 'open' | 'won' | 'lost';

export interface DealRow extends Stamped {
  title: string;
  creator_user_id: number;
  owner_id: number;
  person_id: number | null;
  org_id: number | null;
  pipeline_id: number;
  stage_id: number;
  value: number;
  currency: string;
  status: DealStatus;
  probability: number | null;
  lost_reason: string | null;
  expected_close_date: string | null;
  visible_to: number;
  label_ids: number[];
  won_time: number | null;
  lost_time: number | null;
  custom: CustomValues;
}

export interface NoteRow extends Stamped {
  content: string;
  user_id: number;
  person_id: number | null;
  deal_id: number | null;
  org_id: number | null;
  lead_id: string | null;
  pinned_to_person_flag: boolean;
  pinned_to_deal_flag: boolean;
  pinned_to_organization_flag: boolean;
  pinned_to_lead_flag: boolean;
}

export interface ActivityRow extends Stamped {
  subject: string;
  type: string;
  owner_id: number;
  creator_user_id: number;
  due_date: string | null;
  /** HH:MM */
  due_time: string | null;
  /** HH:MM */
  duration: string | null;
  person_id: number | null;
  deal_id: number | null;
  org_id: number | null;
  done: boolean;
  marked_as_done_time: number | null;
  busy: boolean;
  note: string | null;
  public_description: string | null;
}

export interface ActivityTypeRow extends Stamped {
  name: string;
  key_string: string;
  icon_key: string;
  order_nr: number;
  is_custom_flag: boolean;
}

export type FieldEntity = 'person' | 'organization' | 'deal';

export interface FieldOption {
  id: number;
  label: string;
}

export interface FieldRow extends Stamped {
  entity: FieldEntity;
  key: string;
  name: string;
  field_type: string;
  order_nr: number;
  /** Custom fields (40-character hash keys) are editable; standard ones are not. */
  edit_flag: boolean;
  mandatory_flag: boolean;
  options: FieldOption[] | null;
}

export interface WebhookRow extends Stamped {
  owner_id: number;
  user_id: number;
  event_action: string;
  event_object: string;
  subscription_url: string;
  version: '1.0' | '2.0';
  http_auth_user: string | null;
  http_auth_password: string | null;
}
