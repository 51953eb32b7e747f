import type { FieldMapping } from '../types';

const TYPES: FieldMapping['type'][] = ['string', 'number', 'boolean', 'date', 'datetime', 'picklist'];

/** Field mappings (S3): a client property or specific field to a CRM property, with its type. */
export function FieldMappings({ rows, onChange, errors, disabled }: { rows: FieldMapping[]; onChange: (rows: FieldMapping[]) => void; errors: Record<string, string>; disabled: boolean }) {
  const set = (i: number, patch: Partial<FieldMapping>) => onChange(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  return (
    <fieldset className="mappings">
      <legend>Field mappings</legend>
      <p className="help">
        Send a client property (e.g. <code>properties.score</code>), a specific field from the AI analysis (e.g. <code>specificFields.budget</code>) or a standard field to a CRM property, by
        its API name. Values are converted to the type; a value that does not fit fails with its field named in the sync log.
      </p>
      {rows.length === 0 && <p className="small">No mappings: only the standard fields are sent.</p>}
      {rows.map((r, i) => {
        const err = (k: string) => errors[`fieldMappings[${i}].${k}`];
        return (
          <div className="mapping-row" key={i} role="group" aria-label={`Mapping ${i + 1}`}>
            <div className={`field${err('source') ? ' has-error' : ''}`}>
              <label htmlFor={`map-${i}-source`}>Source</label>
              <input id={`map-${i}-source`} value={r.source} disabled={disabled} aria-invalid={err('source') ? true : undefined} aria-describedby={`map-${i}-source-e`} onChange={(e) => set(i, { source: e.target.value })} />
              {err('source') && <p className="error" id={`map-${i}-source-e`}>{err('source')}</p>}
            </div>
            <div className={`field${err('target') ? ' has-error' : ''}`}>
              <label htmlFor={`map-${i}-target`}>CRM property</label>
              <input id={`map-${i}-target`} value={r.target} disabled={disabled} aria-invalid={err('target') ? true : undefined} aria-describedby={`map-${i}-target-e`} onChange={(e) => set(i, { target: e.target.value })} />
              {err('target') && <p className="error" id={`map-${i}-target-e`}>{err('target')}</p>}
            </div>
            <div className="field">
              <label htmlFor={`map-${i}-type`}>Type</label>
              <select id={`map-${i}-type`} value={r.type} disabled={disabled} onChange={(e) => set(i, { type: e.target.value as FieldMapping['type'] })}>
                {TYPES.map((t) => (
                  <option key={t}>{t}</option>
                ))}
              </select>
            </div>
            <button type="button" disabled={disabled} onClick={() => onChange(rows.filter((_, j) => j !== i))}>
              Remove<span className="sr-only"> mapping {i + 1}</span>
            </button>
          </div>
        );
      })}
      <button type="button" disabled={disabled} onClick={() => onChange([...rows, { source: '', target: '', type: 'string' }])}>
        Add a mapping
      </button>
    </fieldset>
  );
}
