import { useState } from 'react';
import { api, errorText } from '../api';
import { Notice } from '../components/Field';
import { crmName, useApp } from '../context';
import type { Activation as ActivationResult, Connection } from '../types';

type Result = { kind: 'ok' | 'error' | 'info'; text: string };

/** What the CRM kept of the test record, in words. */
function testRecordText(name: string, { object, id, removed }: ActivationResult['testRecord']): string {
  const what = `${name} took a test record (${object} ${id})`;
  return removed ? `Activated: ${what} and it was removed again.` : `Activated: ${what}; it stays in ${name} so you can look at it, and you may delete it.`;
}

/**
 * Activation (K8): a test record written with the saved settings proves them; while active
 * they are locked, and "Deactivate and edit" unlocks them.
 */
export function ActivationSection({ connection, canEdit, unsaved, onChanged }: { connection: Connection; canEdit: boolean; unsaved: boolean; onChanged: (c: Connection) => void }) {
  const { crms } = useApp();
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<Result | undefined>();
  const name = crmName(crms, connection.crm);
  const active = connection.settings.active === true;

  const run = async (job: () => Promise<Result>, progress: string) => {
    setBusy(true);
    setResult({ kind: 'info', text: progress });
    try {
      setResult(await job());
    } catch (e) {
      setResult({ kind: 'error', text: errorText(e) });
    } finally {
      setBusy(false);
    }
  };
  const activate = () =>
    run(async () => {
      const a = await api.activate(connection.id);
      onChanged(a.connection);
      return { kind: 'ok', text: testRecordText(name, a.testRecord) };
    }, `Writing a test record to ${name}…`);
  const deactivate = () =>
    run(async () => {
      onChanged(await api.deactivate(connection.id));
      return { kind: 'info', text: 'Deactivated: the settings can be edited. Activate again when they are saved.' };
    }, 'Deactivating…');

  return (
    <section className="card" aria-labelledby="activation-title">
      <h2 id="activation-title">Activation</h2>
      <p className="activation-state">
        {active ? (
          <>
            <strong>Active.</strong> A test record proved these settings; they are locked until you deactivate.
          </>
        ) : (
          <>
            <strong>Not activated.</strong> Activate writes a test record to {name} with the saved settings, so a wrong module, field or permission shows now rather than on the first
            client. Then the settings are locked.
          </>
        )}
      </p>
      {canEdit && (
        <div className="actions">
          {active ? (
            <button type="button" onClick={deactivate} disabled={busy} aria-busy={busy}>
              Deactivate and edit
            </button>
          ) : (
            <button type="button" className="primary" onClick={activate} disabled={busy || unsaved || connection.status !== 'connected'} aria-busy={busy} aria-describedby={unsaved ? 'activation-unsaved' : undefined}>
              Activate
            </button>
          )}
          {!active && unsaved && (
            <span className="small" id="activation-unsaved">
              Save the settings first: activation tests the saved ones.
            </span>
          )}
        </div>
      )}
      <div aria-live="polite">{result && <Notice kind={result.kind}>{result.text}</Notice>}</div>
    </section>
  );
}
