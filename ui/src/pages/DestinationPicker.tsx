import { Select } from '../components/Choice';
import { Field, Notice } from '../components/Field';
import type { Destination, DestinationFieldRef, DestinationModule, DestinationOffer, DestinationPatch } from '../types';
import type { Destinations } from './useDestinations';

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
 * Where clients go (S4, C2), as the CRM offers it: the module (for Zoho, from the modules with
 * a phone field; for Dynamics, what a new client becomes), then that module's fields where the
 * CRM has fields to choose. Changing the module clears the field choices, as the server does.
 */
export function DestinationPicker({ destinations, value, onChange, errors }: { destinations: Destinations; value: Destination; onChange: (d: Destination) => void; errors: Record<string, string> }) {
  const offer = destinations.state === 'offered' ? destinations.offer : undefined;
  const modules = offer?.modules;
  const module = modules?.find((m) => m.apiName === value.module);
  const leadSource = module?.picklistFields.find((f) => f.apiName === value.leadSourceField);
  const err = (k: keyof Destination) => errors[`destination.${k}`];
  const chooseModule = (m: string) => onChange({ module: m || undefined, leadSourceValue: value.leadSourceValue });
  // Without fields to choose, the choice is only the module: the default shows as chosen.
  const moduleOptions = offer?.fieldChoices ? [{ value: '', label: 'Not chosen (the usual module)' }] : [];

  return (
    <fieldset>
      <legend>Destination</legend>
      {destinations.state === 'failed' && <Notice kind="error">The destinations could not be loaded: {destinations.error}</Notice>}
      {destinations.state === 'loading' && <p role="status">Loading where clients can go…</p>}
      {offer && modules && (
        <Select
          label={offer.label}
          value={value.module ?? (offer.fieldChoices ? '' : offer.defaultModule)}
          onChange={chooseModule}
          error={err('module')}
          options={withCurrent([...moduleOptions, ...modules.map((m) => ({ value: m.apiName, label: m.label }))], value.module)}
          help={offer.help}
        />
      )}
      {offer?.fieldChoices && (
        <>
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
        </>
      )}
    </fieldset>
  );
}

/**
 * The destination as a PATCH: each choice the form holds, and `null` for one it does not, so
 * clearing a field clears it on the server (the server ignores `null` for what was never set).
 */
export function destinationPatch(offer: DestinationOffer, d: Destination): DestinationPatch {
  if (!offer.fieldChoices) return { module: d.module || null };
  return {
    module: d.module || null,
    phoneField: d.phoneField || null,
    nameField: d.nameField || null,
    chatLinkField: d.chatLinkField || null,
    leadSourceField: d.leadSourceField || null,
    // Required, with a default: left out when emptied, the value saved before stays.
    ...(d.leadSourceValue ? { leadSourceValue: d.leadSourceValue } : {}),
  };
}
