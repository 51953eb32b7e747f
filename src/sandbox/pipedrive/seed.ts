import { createHash } from 'node:crypto';
import type { ActivityTypeRow, FieldEntity, FieldRow, UserRow } from './model.js';

type Seed<T> = Omit<T, 'createdAt' | 'updatedAt'>;

/** Seeded at a fixed instant so a person can compare dumps across resets. */
export const SEEDED_AT = Date.UTC(2024, 0, 15, 9, 0, 0);

export const SEED_USERS: Seed<UserRow>[] = [
  { id: '1', name: 'Sandbox Admin', email: 'admin@sandbox.crm-sync.test', is_admin: true, locale: 'en_US', timezone_name: 'Europe/Tallinn' },
  { id: '2', name: 'Maria Sales', email: 'maria.sales@sandbox.crm-sync.test', is_admin: false, locale: 'en_US', timezone_name: 'Europe/Berlin' },
  { id: '3', name: 'Tom Support', email: 'tom.support@sandbox.crm-sync.test', is_admin: false, locale: 'en_GB', timezone_name: 'Europe/London' },
];

export const SEED_ACTIVITY_TYPES: Seed<ActivityTypeRow>[] = [
  ['Call', 'call'],
  ['Meeting', 'meeting'],
  ['Task', 'task'],
  ['Deadline', 'deadline'],
  ['Email', 'email'],
  ['Lunch', 'lunch'],
].map(([name, key], i) => ({ id: String(i + 1), name: name!, key_string: key!, icon_key: key!, order_nr: i + 1, is_custom_flag: false }));

/** Custom field keys are 40-character hex hashes; derived here so they stay the same across runs. */
export function customFieldKey(entity: FieldEntity, name: string): string {
  return createHash('sha1').update(`${entity}:${name}`).digest('hex');
}

const STANDARD: Record<FieldEntity, [string, string, string][]> = {
  person: [
    ['id', 'ID', 'int'],
    ['name', 'Name', 'varchar'],
    ['first_name', 'First name', 'varchar'],
    ['last_name', 'Last name', 'varchar'],
    ['email', 'Email', 'varchar'],
    ['phone', 'Phone', 'phone'],
    ['org_id', 'Organization', 'org'],
    ['owner_id', 'Owner', 'user'],
    ['visible_to', 'Visible to', 'visible_to'],
    ['add_time', 'Person created', 'date'],
    ['update_time', 'Update time', 'date'],
  ],
  organization: [
    ['id', 'ID', 'int'],
    ['name', 'Name', 'varchar'],
    ['owner_id', 'Owner', 'user'],
    ['address', 'Address', 'address'],
    ['visible_to', 'Visible to', 'visible_to'],
    ['add_time', 'Organization created', 'date'],
    ['update_time', 'Update time', 'date'],
  ],
  deal: [
    ['id', 'ID', 'int'],
    ['title', 'Title', 'varchar'],
    ['value', 'Value', 'monetary'],
    ['currency', 'Currency', 'varchar'],
    ['person_id', 'Contact person', 'people'],
    ['org_id', 'Organization', 'org'],
    ['stage_id', 'Stage', 'stage'],
    ['pipeline_id', 'Pipeline', 'double'],
    ['status', 'Status', 'status'],
    ['user_id', 'Owner', 'user'],
    ['expected_close_date', 'Expected close date', 'date'],
    ['add_time', 'Deal created', 'date'],
    ['update_time', 'Update time', 'date'],
  ],
};

const CUSTOM: { entity: FieldEntity; name: string; field_type: string; options?: string[] }[] = [
  { entity: 'person', name: 'Lead score', field_type: 'double' },
  { entity: 'person', name: 'Source', field_type: 'enum', options: ['Website', 'Referral', 'Chat', 'Event'] },
  { entity: 'organization', name: 'Industry', field_type: 'varchar' },
  { entity: 'deal', name: 'Lead score', field_type: 'double' },
  { entity: 'deal', name: 'Source', field_type: 'enum', options: ['Website', 'Referral', 'Chat', 'Event'] },
];

/** Standard fields then the seeded custom ones; option ids start at 101, as an account's would be arbitrary. */
export function seedFields(): { fields: Seed<FieldRow>[]; nextOptionId: number } {
  const fields: Seed<FieldRow>[] = [];
  let id = 1;
  let optionId = 101;
  for (const entity of Object.keys(STANDARD) as FieldEntity[]) {
    STANDARD[entity].forEach(([key, name, field_type], i) => {
      fields.push({ id: String(id++), entity, key, name, field_type, order_nr: i + 1, edit_flag: false, mandatory_flag: key === 'name' || key === 'title', options: null });
    });
    CUSTOM.filter((c) => c.entity === entity).forEach((c, i) => {
      fields.push({
        id: String(id++),
        entity,
        key: customFieldKey(entity, c.name),
        name: c.name,
        field_type: c.field_type,
        order_nr: STANDARD[entity].length + i + 1,
        edit_flag: true,
        mandatory_flag: false,
        options: c.options ? c.options.map((label) => ({ id: optionId++, label })) : null,
      });
    });
  }
  return { fields, nextOptionId: optionId };
}
