import { IdSequence, Table } from '../kit/table.js';
import type { ActivityRow, ActivityTypeRow, DealRow, FieldRow, NoteRow, OrganizationRow, PersonRow, UserRow, WebhookRow } from './model.js';
import { SEED_ACTIVITY_TYPES, SEED_USERS, SEEDED_AT, seedFields } from './seed.js';

type Sequenced = 'persons' | 'organizations' | 'deals' | 'notes' | 'activities' | 'fields' | 'webhooks';

/** Every record of the fake Pipedrive company, in memory. */
export class PipedriveState {
  readonly users = new Table<UserRow>('users');
  readonly persons = new Table<PersonRow>('persons');
  readonly organizations = new Table<OrganizationRow>('organizations');
  readonly deals = new Table<DealRow>('deals');
  readonly notes = new Table<NoteRow>('notes');
  readonly activities = new Table<ActivityRow>('activities');
  readonly activityTypes = new Table<ActivityTypeRow>('activityTypes');
  readonly fields = new Table<FieldRow>('fields');
  readonly webhooks = new Table<WebhookRow>('webhooks');

  private readonly sequences: Record<Sequenced, IdSequence> = {
    persons: new IdSequence(1),
    organizations: new IdSequence(1),
    deals: new IdSequence(1),
    notes: new IdSequence(1),
    activities: new IdSequence(1),
    fields: new IdSequence(1),
    webhooks: new IdSequence(1),
  };
  private optionSeq = new IdSequence(1);

  constructor() {
    this.reset();
  }

  nextId(table: Sequenced): string {
    return String(this.sequences[table].take());
  }

  nextOptionId(): number {
    return this.optionSeq.take();
  }

  reset(): void {
    for (const t of [this.users, this.persons, this.organizations, this.deals, this.notes, this.activities, this.activityTypes, this.fields, this.webhooks]) t.clear();
    for (const s of Object.values(this.sequences)) s.reset();
    for (const u of SEED_USERS) this.users.insert({ ...u, createdAt: SEEDED_AT, updatedAt: SEEDED_AT });
    for (const t of SEED_ACTIVITY_TYPES) this.activityTypes.insert({ ...t, createdAt: SEEDED_AT, updatedAt: SEEDED_AT });
    const { fields, nextOptionId } = seedFields();
    for (const f of fields) this.fields.insert({ ...f, id: this.nextId('fields'), createdAt: SEEDED_AT, updatedAt: SEEDED_AT });
    this.optionSeq = new IdSequence(nextOptionId);
  }

  user(id: number | null | undefined): UserRow | undefined {
    return id === null || id === undefined ? undefined : this.users.get(String(id));
  }
}
