import { useEffect, useState } from 'react';
import { api, errorText } from '../api';
import { Select } from '../components/Choice';
import { Field, Notice } from '../components/Field';
import type { Destination, DestinationFieldRef, DestinationModule } from '../types';

type FieldKey = 'phoneField' | 'nameField' | 'chatLinkField' | 'leadSourceField';

const FIELD_HELP: Record<FieldKey, { label: string; help: string }> = {
  phoneField: { label: 'Phone field', help: 'Where the client’s phone number goes; the module’s phone fields.' },
  nameField: { label: 'Name field', help: 'Where the client’s name goes.' },
  chatLinkField: { label: 'Chat link field', help: 'Where the link to the conversation goes.' },
  leadSourceField: { label: 'Lead source field', help: 'The field that records where the client came from.' },
};

const NOT_CHOSEN = { value: '', label: 'Not chosen (the usual field)' };

const asOptions = (fields: DestinationFieldRef[], suffix = '') => fields.map((f) => ({ value: f.apiName, label: `${f.label} (${f.apiName})${suffix}` }));

/** A saved choice the CRM no longer lists stays visible, so it is not silently replaced. */
function withCurrent(options: { value: string; label: string }[], current: string | undefined) {
  return current && !options.some((o) => o.value === current) ? [...options, { value: current, label: `${current} (not found in the CRM)` }] : options;
}

function fieldsFor(m: DestinationModule | undefined, key: FieldKey) {
  if (!m) return [];
  if (key === 'phoneField') return asOptions(m.phoneFields);
  if (key === 'leadSourceField') return [...asOptions(m.picklistFields, ', picklist'), ...asOptions(m.textFields)];
  return asOptions(m.textFields);
}

/**
 * Zoho's destination (S4): the module clients go to, from the modules with a phone field, then
 * that module's fields. Changing the module clears the field choices, as the server does.
 */
export function DestinationPicker({ connectionId, value, onChange, errors }: { connectionId: string; value: Destination; onChange: (d: Destination) => void; errors: Record<string, string> }) {
  const [modules, setModules] = useState<DestinationModule[] | undefined>();
  const [loadError, setLoadError] = useState('');

  useEffect(() => {
    api
      .destinations(connectionId)
      .then((d) => setModules(d.modules))
      .catch((e: unknown) => setLoadError(errorText(e)));
  }, [connectionId]);

  const module = modules?.find((m) => m.apiName === value.module);
  const leadSource = module?.picklistFields.find((f) => f.apiName === value.leadSourceField);
  const err = (k: keyof Destination) => errors[`destination.${k}`];
  const chooseModule = (m: string) => onChange({ module: m || undefined, leadSourceValue: value.leadSourceValue });

  return (
    <fieldset>
      <legend>Destination</legend>
      {loadError && <Notice kind="error">The modules could not be loaded: {loadError}</Notice>}
      {!modules && !loadError && <p role="status">Loading the modules with a phone field…</p>}
      {modules && (
        <>
          <Select
            label="Module"
            value={value.module ?? ''}
            onChange={chooseModule}
            error={err('module')}
            options={withCurrent([{ value: '', label: 'Not chosen (the usual module)' }, ...modules.map((m) => ({ value: m.apiName, label: m.label }))], value.module)}
            help="Where clients go; only modules with a phone field. Changing it clears the fields below."
          />
          {(Object.keys(FIELD_HELP) as FieldKey[]).map((k) => (
            <Select
              key={k}
              label={FIELD_HELP[k].label}
              value={value[k] ?? ''}
              onChange={(v) => onChange({ ...value, [k]: v || undefined })}
              error={err(k)}
              options={withCurrent([NOT_CHOSEN, ...fieldsFor(module, k)], value[k])}
              help={value.module ? FIELD_HELP[k].help : 'Choose a module first to pick from its fields.'}
            />
          ))}
        </>
      )}
      <Field
        label="Lead source value"
        value={value.leadSourceValue ?? ''}
        list={leadSource ? 'lead-source-options' : undefined}
        error={err('leadSourceValue')}
        onChange={(e) => onChange({ ...value, leadSourceValue: e.target.value })}
        help={leadSource ? `The value set in ${leadSource.label}; it must be one of its options: ${leadSource.options.join(', ')}.` : 'The value set in the lead source field.'}
      />
      {leadSource && (
        <datalist id="lead-source-options">
          {leadSource.options.map((o) => (
            <option key={o} value={o} />
          ))}
        </datalist>
      )}
    </fieldset>
  );
}
