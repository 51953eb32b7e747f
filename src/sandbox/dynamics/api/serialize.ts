import { isLookup, readableName, type AttributeDef, type EntityDef } from '../schema/index.js';
import { isLookupValue, type LookupValue, type StoredRecord } from '../store.js';

export const FORMATTED = 'OData.Community.Display.V1.FormattedValue';
export const LOOKUP_LOGICAL_NAME = 'Microsoft.Dynamics.CRM.lookuplogicalname';
export const ASSOCIATED_NAVIGATION = 'Microsoft.Dynamics.CRM.associatednavigationproperty';

/** Which instance annotations the client asked for with `Prefer: odata.include-annotations="..."`. */
export type AnnotationFilter = (annotation: string) => boolean;

export function annotationFilter(prefer: string | undefined): { filter: AnnotationFilter; applied?: string } {
  const m = /odata\.include-annotations="?([^",;]+(?:,[^",;]+)*)"?/i.exec(prefer ?? '');
  if (!m) return { filter: () => false };
  const patterns = m[1]!.split(',').map((p) => p.trim());
  const filter = (name: string) => patterns.some((p) => p === '*' || p === name || (p.endsWith('.*') && name.startsWith(p.slice(0, -1))));
  return { filter, applied: `odata.include-annotations="${m[1]}"` };
}

export interface SerializeContext {
  annotate: AnnotationFilter;
  /** The primary name of a referenced row, for a lookup's formatted value. */
  nameOf(ref: LookupValue): string | null;
}

/** A row as the Web API returns it: etag first, lookups as `_x_value`, selected columns plus the primary key. */
export function serializeRecord(def: EntityDef, row: StoredRecord, select: AttributeDef[] | undefined, ctx: SerializeContext): Record<string, unknown> {
  const out: Record<string, unknown> = { '@odata.etag': `W/"${row.version}"` };
  const columns = select
    ? [...select, ...(select.some((a) => a.logicalName === def.primaryId) ? [] : def.attributes.filter((a) => a.logicalName === def.primaryId))]
    : def.attributes.filter((a) => !a.hiddenOnRead);
  for (const attr of columns) {
    const name = readableName(attr);
    const value = attr.logicalName === 'versionnumber' ? row.version : row.values[attr.logicalName] ?? null;
    if (isLookup(attr)) {
      const ref = isLookupValue(value) ? value : null;
      if (ref) {
        if (ctx.annotate(FORMATTED)) out[`${name}@${FORMATTED}`] = ctx.nameOf(ref);
        if (ctx.annotate(ASSOCIATED_NAVIGATION)) out[`${name}@${ASSOCIATED_NAVIGATION}`] = navigationFor(attr, ref.entity);
        if (ctx.annotate(LOOKUP_LOGICAL_NAME)) out[`${name}@${LOOKUP_LOGICAL_NAME}`] = ref.entity;
      }
      out[name] = ref ? ref.id : null;
      continue;
    }
    if (value !== null && ctx.annotate(FORMATTED)) {
      const formatted = formattedValue(attr, value as string | number | boolean);
      if (formatted !== undefined) out[`${name}@${FORMATTED}`] = formatted;
    }
    out[name] = value;
  }
  return out;
}

function navigationFor(attr: AttributeDef, targetEntity: string): string | null {
  return Object.entries(attr.navigation ?? {}).find(([, target]) => target === targetEntity)?.[0] ?? null;
}

function formattedValue(attr: AttributeDef, value: string | number | boolean): string | undefined {
  switch (attr.type) {
    case 'Picklist':
    case 'State':
    case 'Status':
      return attr.options?.find((o) => o.value === value)?.label;
    case 'Boolean':
      return value ? 'Yes' : 'No';
    case 'Money':
      return `$${Number(value).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
    case 'Integer':
    case 'BigInt':
      return Number(value).toLocaleString('en-US');
    case 'DateTime':
      return attr.format === 'DateOnly' ? new Date(`${value}T00:00:00Z`).toLocaleDateString('en-US', { timeZone: 'UTC' }) : new Date(String(value)).toLocaleString('en-US', { timeZone: 'UTC', dateStyle: 'short', timeStyle: 'short' }).replace(',', '');
    default:
      return undefined;
  }
}
