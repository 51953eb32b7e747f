import type { CrmProperty, FieldMapping } from '../types';

const TYPES: FieldMapping['type'][] = ['string', 'number', 'boolean', 'date', 'datetime', 'picklist'];

/** What the CRM says of the chosen property: its label, a picklist's options, or that it is read only. */
function PropertyFacts({ property, crm, id }: { property: CrmProperty | undefined; crm: string; id: string }) {
  if (!property) return null;
  return (
    <p className="help mapping-facts" id={id}>
      {property.label} in {crm}
      {property.readOnly && <strong className="error"> is read only: {crm} will refuse values for it.</strong>}
      {!property.readOnly && property.options && (
        <>
          , one of: <span className="options">{property.options.join(', ')}</span>
        </>
      )}
      {!property.readOnly && !property.options && '.'}
    </p>
  );
}

/** One mapping: source, CRM property (offered from the CRM's metadata, or typed), type. */
export function MappingRow({
  index: i,
  row: r,
  onChange,
  onRemove,
  errors,
  disabled,
  properties,
  crm,
}: {
  index: number;
  row: FieldMapping;
  onChange: (patch: Partial<FieldMapping>) => void;
  onRemove: () => void;
  errors: Record<string, string>;
  disabled: boolean;
  properties: CrmProperty[] | undefined;
  crm: string;
}) {
  const err = (k: string) => errors[`fieldMappings[${i}].${k}`];
  const property = properties?.find((p) => p.name === r.target);
  const setTarget = (target: string) => {
    const p = properties?.find((x) => x.name === target);
    // The CRM property's own type is the mapping's default; the admin can still change it.
    onChange(p && p.type !== 'other' ? { target, type: p.type } : { target });
  };
  const describedBy = (k: string, extra?: string) => [err(k) ? `map-${i}-${k}-e` : '', extra ?? ''].filter(Boolean).join(' ') || undefined;
  return (
    <div className="mapping-row" role="group" aria-label={`Mapping ${i + 1}`}>
      <div className={`field${err('source') ? ' has-error' : ''}`}>
        <label htmlFor={`map-${i}-source`}>Source</label>
        <input id={`map-${i}-source`} value={r.source} disabled={disabled} aria-invalid={err('source') ? true : undefined} aria-describedby={describedBy('source')} onChange={(e) => onChange({ source: e.target.value })} />
        {err('source') && <p className="error" id={`map-${i}-source-e`}>{err('source')}</p>}
      </div>
      <div className={`field${err('target') ? ' has-error' : ''}`}>
        <label htmlFor={`map-${i}-target`}>CRM property</label>
        <input
          id={`map-${i}-target`}
          value={r.target}
          disabled={disabled}
          list={properties ? 'crm-properties' : undefined}
          autoComplete="off"
          aria-invalid={err('target') ? true : undefined}
          aria-describedby={describedBy('target', property ? `map-${i}-facts` : undefined)}
          onChange={(e) => setTarget(e.target.value)}
        />
        {err('target') && <p className="error" id={`map-${i}-target-e`}>{err('target')}</p>}
      </div>
      <div className="field">
        <label htmlFor={`map-${i}-type`}>Type</label>
        <select id={`map-${i}-type`} value={r.type} disabled={disabled} onChange={(e) => onChange({ type: e.target.value as FieldMapping['type'] })}>
          {TYPES.map((t) => (
            <option key={t}>{t}</option>
          ))}
        </select>
      </div>
      <button type="button" disabled={disabled} onClick={onRemove}>
        Remove<span className="sr-only"> mapping {i + 1}</span>
      </button>
      <PropertyFacts property={property} crm={crm} id={`map-${i}-facts`} />
    </div>
  );
}
