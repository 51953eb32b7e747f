import { useEffect, useState, type FormEvent } from 'react';
import { api, detailsByPath, errorText } from '../api';
import { Checkbox, Select } from '../components/Choice';
import { Field, Notice } from '../components/Field';
import { crmName, useApp } from '../context';
import { OBJECT_KINDS, type Connection, type ObjectKind, type OwnerSetting, type Settings, type SettingsPatch } from '../types';
import { DestinationPicker, destinationPatch } from './DestinationPicker';
import { FieldMappings } from './FieldMappings';
import { useCrmProperties } from './useCrmProperties';
import { useDestinations } from './useDestinations';

const OBJECT_LABELS: Record<ObjectKind, string> = {
  contacts: 'Clients as contacts or leads',
  companies: 'Companies as companies or accounts',
  notes: 'Summaries and key notes as notes',
  tasks: 'Commitments as tasks',
  activities: 'Calls and meetings as activities',
  transcripts: 'Messages as transcripts',
  properties: 'Specific (extracted) fields as CRM properties',
};

/** Every setting of a connection (S1, S3, S4, S7, S8, Y2, Y5, Y6), saved with the server's messages in place. */
export function SettingsForm({
  connection,
  canEdit,
  onSaved,
  onDirtyChange,
}: {
  connection: Connection;
  canEdit: boolean;
  onSaved: (c: Connection) => void;
  /** Whether the form holds changes not saved yet (activation tests the saved settings). */
  onDirtyChange: (dirty: boolean) => void;
}) {
  const { crms } = useApp();
  const [s, setS] = useState<Settings>(connection.settings);
  const [interval, setIntervalText] = useState(String(connection.settings.updateIntervalMinutes));
  const [segments, setSegmentsText] = useState(connection.settings.segments.join(', '));
  const [dirty, setDirty] = useState(false);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [result, setResult] = useState<{ kind: 'ok' | 'error'; text: string } | undefined>();
  const [busy, setBusy] = useState(false);
  // The destination choice is shown for the CRMs whose server offers one (404: none).
  const destinations = useDestinations(connection.id);
  const withDestination = destinations.state !== 'none';
  // While active (K8) the server refuses changes until "Deactivate and edit".
  const locked = connection.settings.active === true;
  const crm = crmName(crms, connection.crm);
  const props = useCrmProperties(connection.id, connection.settings.destination?.module);
  useEffect(() => onDirtyChange(dirty), [dirty, onDirtyChange]);
  // A save's result is stale once activation locks or unlocks the form.
  useEffect(() => setResult(undefined), [locked]);
  const set = (patch: Partial<Settings>) => {
    setS({ ...s, ...patch });
    setDirty(true);
  };
  const setInterval = (v: string) => {
    setIntervalText(v);
    setDirty(true);
  };
  const setSegments = (v: string) => {
    setSegmentsText(v);
    setDirty(true);
  };

  const save = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setResult(undefined);
    const n = Number(interval);
    const patch: SettingsPatch = {
      enabled: s.enabled,
      objects: s.objects,
      writePolicy: s.writePolicy,
      syncQualifiedOnly: s.syncQualifiedOnly,
      segments: segments.split(',').map((x) => x.trim()).filter(Boolean),
      // What was typed goes to the server as it is: its message is the one shown.
      updateIntervalMinutes: interval.trim() !== '' && Number.isFinite(n) ? n : interval,
      fieldMappings: s.fieldMappings,
      owner: s.owner,
      dealAssociation: s.dealAssociation,
      // Only a choice the admin could see is sent: while the offer is unknown, the saved one stays.
      ...(destinations.state === 'offered' ? { destination: destinationPatch(destinations.offer, s.destination ?? {}) } : {}),
    };
    try {
      const saved = await api.configure(connection.id, patch);
      setErrors({});
      setS(saved.settings);
      setIntervalText(String(saved.settings.updateIntervalMinutes));
      setSegmentsText(saved.settings.segments.join(', '));
      setDirty(false);
      setResult({ kind: 'ok', text: 'Settings saved.' });
      onSaved(saved);
    } catch (err) {
      const byPath = detailsByPath(err, 'settings.');
      setErrors(byPath);
      setResult({ kind: 'error', text: Object.keys(byPath).length ? 'Not saved: correct the fields marked below.' : errorText(err) });
    } finally {
      setBusy(false);
    }
  };

  const segmentError = Object.entries(errors).filter(([k]) => k.startsWith('segments')).map(([, v]) => v).join('; ');
  const owner = s.owner;

  return (
    <form onSubmit={save} noValidate className="settings" aria-labelledby="settings-title">
      <h2 id="settings-title">Settings</h2>
      {locked && <Notice kind="info">Locked while the connection is active{canEdit ? ': use “Deactivate and edit” under Activation to change the settings.' : '.'}</Notice>}
      <fieldset disabled={!canEdit || locked} className="plain">
        <Checkbox label="Syncing is on for this connection" checked={s.enabled} onChange={(enabled) => set({ enabled })} help="Turn off to pause: changes wait and are sent when it is on again." />

        <fieldset>
          <legend>What is sent</legend>
          {OBJECT_KINDS.map((k) => (
            <Checkbox key={k} label={OBJECT_LABELS[k]} checked={s.objects[k]} onChange={(v) => set({ objects: { ...s.objects, [k]: v } })} />
          ))}
        </fieldset>

        <fieldset>
          <legend>How it syncs</legend>
          <Select
            label="Write policy"
            value={s.writePolicy}
            onChange={(writePolicy) => set({ writePolicy })}
            error={errors.writePolicy}
            options={[
              { value: 'create_and_update', label: 'Create and update' },
              { value: 'update_only', label: 'Update only (never create records)' },
            ]}
            help="Updates fill and change mapped fields; they never blank out what the CRM has."
          />
          <Field
            label="Update interval (minutes)"
            type="number"
            inputMode="numeric"
            min={5}
            max={1440}
            value={interval}
            onChange={(e) => setInterval(e.target.value)}
            error={errors.updateIntervalMinutes}
            help="From 5 to 1440 (a day). New clients are sent at once; updates on this interval."
          />
          <Checkbox label="Sync qualified clients only" checked={s.syncQualifiedOnly} onChange={(syncQualifiedOnly) => set({ syncQualifiedOnly })} help="A client with at least one qualified or provisionally qualified conversation." />
          <Field label="Segments" value={segments} onChange={(e) => setSegments(e.target.value)} error={segmentError || undefined} help="Only clients in these segments, separated by commas; empty means every client." />
        </fieldset>

        <fieldset>
          <legend>Owner and deals</legend>
          <Select<OwnerSetting['mode']>
            label="Record owner"
            value={owner.mode}
            onChange={(mode) => set({ owner: mode === 'fixed' ? { mode, crmUserId: owner.mode === 'fixed' ? owner.crmUserId : '' } : { mode } })}
            error={errors.owner}
            options={[
              { value: 'match_email', label: 'The CRM user with the client owner’s e-mail' },
              { value: 'connecting_user', label: 'The user who connected the CRM' },
              { value: 'fixed', label: 'A fixed CRM user' },
            ]}
          />
          {owner.mode === 'fixed' && (
            <Field label="CRM user id" value={owner.crmUserId} onChange={(e) => set({ owner: { mode: 'fixed', crmUserId: e.target.value } })} error={errors['owner.crmUserId']} help="The user's id in the CRM." />
          )}
          <Select
            label="Deal association"
            value={s.dealAssociation}
            onChange={(dealAssociation) => set({ dealAssociation })}
            error={errors.dealAssociation}
            options={[
              { value: 'open_deal', label: 'Attach conversations to the contact’s open deal or opportunity' },
              { value: 'off', label: 'Do not attach to deals' },
            ]}
          />
        </fieldset>

        {withDestination && <DestinationPicker destinations={destinations} value={s.destination ?? {}} onChange={(destination) => set({ destination })} errors={errors} />}

        <FieldMappings
          rows={s.fieldMappings}
          onChange={(fieldMappings) => set({ fieldMappings })}
          errors={errors}
          disabled={!canEdit || locked}
          properties={props.properties}
          propertiesError={props.error}
          crm={crm}
        />
      </fieldset>
      <div aria-live="polite">{result && <Notice kind={result.kind}>{result.text}</Notice>}</div>
      {canEdit && !locked && (
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Saving…' : 'Save settings'}
        </button>
      )}
    </form>
  );
}
