import { z } from 'zod';

const FieldName = z.string().min(1).max(100);

const Destination = z
  .object({
    module: FieldName.optional(),
    phoneField: FieldName.optional(),
    nameField: FieldName.optional(),
    chatLinkField: FieldName.optional(),
    leadSourceField: FieldName.optional(),
    leadSourceValue: z.string().min(1).max(100).default('crm-sync'),
  })
  .strict();

/** What a connection syncs and how (PRODUCT.md S1, S3, S4, S7, S8, Y2, Y5, Y6, K8). */
export const ConnectionSettings = z
  .object({
    enabled: z.boolean().default(true),
    objects: z
      .object({
        /** Clients as contacts or leads. */
        contacts: z.boolean().default(true),
        /** Summaries and key notes as notes. */
        notes: z.boolean().default(true),
        /** Commitments as tasks. */
        tasks: z.boolean().default(true),
        /** Calls and meetings as activities. */
        activities: z.boolean().default(true),
        /** Messages as transcripts. */
        transcripts: z.boolean().default(false),
        /** Specific (extracted) fields as CRM properties: off, mappings from `specificFields.*` are not applied. */
        properties: z.boolean().default(true),
        /** Companies as CRM companies or accounts, with their contacts associated (PRODUCT.md Y4). */
        companies: z.boolean().default(true),
      })
      .strict()
      .prefault({}),
    writePolicy: z.enum(['update_only', 'create_and_update']).default('create_and_update'),
    syncQualifiedOnly: z.boolean().default(false),
    /** Only clients in these segments; empty means all clients. */
    segments: z.array(z.string().min(1).max(100)).max(100).default([]),
    updateIntervalMinutes: z.number().int().min(5, 'must be at least 5 minutes').max(1440, 'must be at most 1440 minutes (a day)').default(60),
    fieldMappings: z
      .array(
        z
          .object({
            /** A client property, a specific field (`specificFields.budget`) or a standard field. */
            source: z.string().min(1).max(200),
            /** The CRM property's API name. */
            target: z.string().min(1).max(200),
            type: z.enum(['string', 'number', 'boolean', 'date', 'datetime', 'picklist']).default('string'),
          })
          .strict(),
      )
      .max(200)
      .default([]),
    owner: z
      .discriminatedUnion('mode', [
        z.object({ mode: z.literal('match_email') }).strict(),
        z.object({ mode: z.literal('connecting_user') }).strict(),
        z.object({ mode: z.literal('fixed'), crmUserId: z.string().min(1).max(200) }).strict(),
      ])
      .default({ mode: 'match_email' }),
    dealAssociation: z.enum(['open_deal', 'off']).default('open_deal'),
    /** Where contacts go, for CRMs where the admin chooses (Zoho, PRODUCT.md S4). */
    destination: Destination.prefault({}),
    /**
     * Activated (PRODUCT.md K8): a test record proved these settings; while active they are
     * locked until "deactivate and edit".
     */
    active: z.boolean().default(false),
  })
  .strict();
export type ConnectionSettings = z.infer<typeof ConnectionSettings>;

export const defaultConnectionSettings = (): ConnectionSettings => ConnectionSettings.parse({});

/** A PATCH: top-level keys replace, except `objects`, whose toggles merge one by one. */
export const ConnectionSettingsPatch = z
  .object({
    enabled: z.boolean(),
    objects: z
      .object({ contacts: z.boolean(), notes: z.boolean(), tasks: z.boolean(), activities: z.boolean(), transcripts: z.boolean(), properties: z.boolean(), companies: z.boolean() })
      .partial()
      .strict(),
    writePolicy: ConnectionSettings.shape.writePolicy.unwrap(),
    syncQualifiedOnly: z.boolean(),
    segments: ConnectionSettings.shape.segments.unwrap(),
    updateIntervalMinutes: ConnectionSettings.shape.updateIntervalMinutes.unwrap(),
    fieldMappings: ConnectionSettings.shape.fieldMappings.unwrap(),
    owner: ConnectionSettings.shape.owner.unwrap(),
    dealAssociation: ConnectionSettings.shape.dealAssociation.unwrap(),
    // No defaults in a patch: a field left out keeps what the admin chose before, and `null`
    // clears a choice (the usual module or field again).
    destination: z
      .object({
        module: FieldName.nullable(),
        phoneField: FieldName.nullable(),
        nameField: FieldName.nullable(),
        chatLinkField: FieldName.nullable(),
        leadSourceField: FieldName.nullable(),
        leadSourceValue: z.string().min(1).max(100),
      })
      .partial()
      .strict(),
  })
  .partial()
  .strict();
export type ConnectionSettingsPatch = z.infer<typeof ConnectionSettingsPatch>;

export function applySettingsPatch(current: ConnectionSettings, patch: ConnectionSettingsPatch): ConnectionSettings {
  let destination: Record<string, string | null | undefined> = { ...current.destination, ...patch.destination };
  // Changing the module clears the field choices that belonged to it (PRODUCT.md S4); `null`
  // where no module was chosen is no change.
  const module = patch.destination?.module;
  if (module !== undefined && (module ?? undefined) !== current.destination.module) {
    destination = { module, leadSourceValue: destination.leadSourceValue, ...pick(patch.destination!, ['phoneField', 'nameField', 'chatLinkField', 'leadSourceField']) };
  }
  return ConnectionSettings.parse({ ...current, ...patch, objects: { ...current.objects, ...patch.objects }, destination: pick(destination, Object.keys(destination)) });
}

/** The keys that hold a value: a patch's `null` clears a choice, so it is not stored. */
function pick<T extends object, K extends keyof T>(o: T, keys: K[]): Partial<Pick<T, K>> {
  return Object.fromEntries(keys.filter((k) => o[k] !== undefined && o[k] !== null).map((k) => [k, o[k]])) as Partial<Pick<T, K>>;
}
