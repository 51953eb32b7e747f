import { associationType, v3TypeName, ASSOCIATION_TYPES, type AssociationType } from './association-types.js';
import type { AssociationStore } from './associations.js';
import { HubSpotError, propertyValidationError, type PropertyProblem } from './errors.js';
import { OBJECTS, OBJECT_TYPES, type ObjectType } from './objects.js';
import type { PropertyRegistry } from './properties.js';
import type { CrmRecord, RecordStore } from './store.js';

/** Who is writing: the app behind the token, so webhooks can say the change came from it. */
export interface WriteSource {
  appId: string;
  userId: number;
}

export interface RecordChange {
  type: ObjectType;
  id: string;
  kind: 'creation' | 'deletion' | 'propertyChange';
  propertyName?: string;
  propertyValue?: string;
  occurredAt: number;
  source: WriteSource;
}

export interface AssociationInput {
  to: { id: string };
  types: { associationCategory: string; associationTypeId: number }[];
}

export interface RecordsOptions {
  portalId: number;
  lagMs: () => number;
  onChanges: (changes: RecordChange[]) => void;
}

/** CRM record operations with HubSpot's validation, system properties and change events. */
export class CrmRecords {
  constructor(
    readonly store: RecordStore,
    readonly properties: PropertyRegistry,
    readonly associations: AssociationStore,
    private readonly options: RecordsOptions,
  ) {}

  /** Validates a create completely before anything is written (so a failed batch writes nothing). */
  prepareCreate(type: ObjectType, input: Record<string, unknown>, associations: AssociationInput[] = []): Prepared {
    const { values, problems } = this.properties.normalise(type, input);
    for (const name of OBJECTS[type].required)
      if (!values[name]) problems.push({ name, error: 'REQUIRED_PROPERTY', message: `${name} is required` });
    this.throwIfInvalid(problems);
    if (type === 'contacts' && values.email) this.assertEmailFree(values.email);
    return { values, links: associations.flatMap((a) => this.resolveLinks(type, a)) };
  }

  create(type: ObjectType, prepared: Prepared, source: WriteSource): CrmRecord {
    const now = Date.now();
    const id = this.store.nextId();
    const iso = new Date(now).toISOString();
    const facts = OBJECTS[type];
    const set = defined(prepared.values);
    const properties: Record<string, string> = {
      [facts.createdProperty]: iso,
      ...set,
      [facts.modifiedProperty]: iso,
      hs_object_id: id,
      hs_object_source: 'INTEGRATION',
      hs_object_source_id: source.appId,
      hs_object_source_label: 'INTEGRATION',
    };
    const row = this.store.insert(type, id, properties, now, this.options.lagMs());
    for (const link of prepared.links) this.associations.add(link.type, id, link.toId);
    this.options.onChanges([
      { type, id, kind: 'creation', occurredAt: now, source },
      ...Object.entries(set).map(([name, value]) => ({ type, id, kind: 'propertyChange' as const, propertyName: name, propertyValue: value, occurredAt: now, source })),
    ]);
    return row;
  }

  prepareUpdate(type: ObjectType, id: string, input: Record<string, unknown>): Record<string, string | null> {
    const { values, problems } = this.properties.normalise(type, input);
    this.throwIfInvalid(problems);
    if (type === 'contacts' && values.email) this.assertEmailFree(values.email, id);
    return values;
  }

  update(type: ObjectType, row: CrmRecord, values: Record<string, string | null>, source: WriteSource): CrmRecord {
    const now = Date.now();
    const next = { ...row.properties };
    const changes: RecordChange[] = [];
    for (const [name, value] of Object.entries(values)) {
      if ((next[name] ?? null) === value) continue;
      if (value === null) delete next[name];
      else next[name] = value;
      changes.push({ type, id: row.id, kind: 'propertyChange', propertyName: name, propertyValue: value ?? '', occurredAt: now, source });
    }
    next[OBJECTS[type].modifiedProperty] = new Date(now).toISOString();
    const updated = this.store.replace(type, row.id, next, now, this.options.lagMs()) ?? row;
    this.options.onChanges(changes);
    return updated;
  }

  archive(type: ObjectType, id: string, source: WriteSource): boolean {
    if (!this.store.get(type, id)) return false;
    const now = Date.now();
    this.store.archive(type, id, now, this.options.lagMs());
    this.associations.dropRecord(type, id, OBJECT_TYPES);
    this.options.onChanges([{ type, id, kind: 'deletion', occurredAt: now, source }]);
    return true;
  }

  /** A live record by id, or by a unique property (`idProperty=email` for contacts). */
  find(type: ObjectType, id: string, idProperty?: string): CrmRecord | undefined {
    if (!idProperty || idProperty === 'hs_object_id') return this.store.get(type, id);
    if (!this.properties.get(type, idProperty)) throw HubSpotError.of(400, `Property ${idProperty} does not exist`);
    const wanted = idProperty === 'email' ? id.toLowerCase() : id;
    return this.store.table(type).find((r) => !r.archived && r.properties[idProperty] === wanted);
  }

  /** The public shape: requested (or default) properties, null when unset; unknown names are left out. */
  serialize(type: ObjectType, row: CrmRecord, requested?: string[] | 'all', associations?: string[]): Record<string, unknown> {
    let properties: Record<string, string | null>;
    if (requested === 'all') properties = { ...row.properties };
    else {
      const names = requested && requested.length > 0 ? requested : OBJECTS[type].defaultProperties;
      properties = Object.fromEntries(names.filter((n) => this.properties.get(type, n)).map((n) => [n, row.properties[n] ?? null]));
    }
    const out: Record<string, unknown> = { id: row.id, properties, createdAt: iso(row.createdAt), updatedAt: iso(row.updatedAt), archived: row.archived };
    if (row.archivedAt !== undefined) out.archivedAt = iso(row.archivedAt);
    if (associations && associations.length > 0) {
      const linked = this.v3Associations(type, row.id, associations);
      if (Object.keys(linked).length > 0) out.associations = linked;
    }
    return out;
  }

  private v3Associations(type: ObjectType, id: string, names: string[]): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const name of names) {
      const to = OBJECT_TYPES.find((t) => t === name || OBJECTS[t].singular === name || OBJECTS[t].typeId === name);
      if (!to) continue;
      const results = this.associations
        .list(type, id, to)
        .flatMap((link) => link.types.map((t) => ({ id: link.toId, type: v3TypeName(t) })));
      if (results.length > 0) out[name] = { results };
    }
    return out;
  }

  private resolveLinks(type: ObjectType, a: AssociationInput): { type: AssociationType; toId: string }[] {
    const toId = String(a.to?.id ?? '');
    return (a.types ?? []).map((spec) => {
      const candidates = ASSOCIATION_TYPES.filter((t) => t.from === type && t.typeId === spec.associationTypeId);
      const found = candidates[0] && associationType(type, candidates[0].to, spec.associationTypeId);
      if (!found) throw HubSpotError.of(400, `${spec.associationTypeId} is not a valid association type id for ${OBJECTS[type].singular} associations`);
      if (!this.store.get(found.to, toId))
        throw HubSpotError.of(400, `One or more associations are invalid: ${OBJECTS[found.to].label} ${toId} does not exist`, {
          context: { toObjectId: [toId] },
        });
      return { type: found, toId };
    });
  }

  private assertEmailFree(email: string, selfId?: string): void {
    const existing = this.store.table('contacts').find((r) => !r.archived && r.properties.email === email && r.id !== selfId);
    if (existing) throw HubSpotError.of(409, `Contact already exists. Existing ID: ${existing.id}`);
  }

  private throwIfInvalid(problems: PropertyProblem[]): void {
    if (problems.length > 0) throw propertyValidationError(problems, this.options.portalId);
  }
}

export interface Prepared {
  values: Record<string, string | null>;
  links: { type: AssociationType; toId: string }[];
}

export const iso = (ms: number) => new Date(ms).toISOString();

function defined(values: Record<string, string | null>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).filter((e): e is [string, string] => e[1] !== null));
}
