import { Notice } from '../components/Field';
import type { CrmProperty, FieldMapping } from '../types';
import { MappingRow } from './MappingRow';

/** Field mappings (S3): a client property or specific field to a CRM property, with its type. */
export function FieldMappings({
  rows,
  onChange,
  errors,
  disabled,
  properties,
  propertiesError,
  crm,
}: {
  rows: FieldMapping[];
  onChange: (rows: FieldMapping[]) => void;
  errors: Record<string, string>;
  disabled: boolean;
  properties: CrmProperty[] | undefined;
  propertiesError: string;
  crm: string;
}) {
  const set = (i: number, patch: Partial<FieldMapping>) => onChange(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  // Read-only properties are not offered: the CRM refuses values for them.
  const offered = properties?.filter((p) => !p.readOnly);
  return (
    <fieldset className="mappings">
      <legend>Field mappings</legend>
      <p className="help">
        Send a client property (e.g. <code>properties.score</code>), a specific field from the AI analysis (e.g. <code>specificFields.budget</code>) or a standard field to a CRM property, by
        its API name: pick one of {crm}’s properties offered as you type, or type any name. Values are converted to the type; a value that does not fit fails with its field named in the
        sync log.
      </p>
      {propertiesError && (
        <Notice kind="info">
          {crm}’s properties could not be read ({propertiesError}); type the API names.
        </Notice>
      )}
      {offered && (
        <datalist id="crm-properties">
          {offered.map((p) => (
            <option key={p.name} value={p.name} label={`${p.label} (${p.type})`} />
          ))}
        </datalist>
      )}
      {rows.length === 0 && <p className="small">No mappings: only the standard fields are sent.</p>}
      {rows.map((r, i) => (
        <MappingRow
          key={i}
          index={i}
          row={r}
          onChange={(patch) => set(i, patch)}
          onRemove={() => onChange(rows.filter((_, j) => j !== i))}
          errors={errors}
          disabled={disabled}
          properties={properties}
          crm={crm}
        />
      ))}
      <button type="button" disabled={disabled} onClick={() => onChange([...rows, { source: '', target: '', type: 'string' }])}>
        Add a mapping
      </button>
    </fieldset>
  );
}
