import { useState } from 'react';
import { api, errorText } from '../api';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { Notice } from '../components/Field';
import { crmName, useApp } from '../context';
import { Link, navigate } from '../router';
import type { Connection } from '../types';

type Result = { kind: 'ok' | 'error' | 'info'; text: string; logs?: boolean };

/** Test Connection, Sync Now and Disconnect (K5, Y3, K6), each with its result shown. */
export function ConnectionActions({ connection, onChanged, onSyncStarted }: { connection: Connection; onChanged: (c: Connection) => void; onSyncStarted?: () => void }) {
  const { crms } = useApp();
  const [busy, setBusy] = useState<'' | 'test' | 'sync' | 'disconnect'>('');
  const [result, setResult] = useState<Result | undefined>();
  const [confirming, setConfirming] = useState(false);
  const name = crmName(crms, connection.crm);

  const run = async (what: 'test' | 'sync' | 'disconnect', job: () => Promise<Result>) => {
    setBusy(what);
    setResult({ kind: 'info', text: { test: `Testing the connection to ${name}…`, sync: 'Starting the sync…', disconnect: 'Disconnecting…' }[what] });
    try {
      setResult(await job());
    } catch (e) {
      setResult({ kind: 'error', text: errorText(e) });
    } finally {
      setBusy('');
    }
  };

  const test = () =>
    run('test', async () => {
      const c = await api.test(connection.id);
      onChanged(c);
      return c.status === 'connected'
        ? { kind: 'ok', text: `Connection works: ${name} answered${c.account ? ` as ${c.account}` : ''}.` }
        : { kind: 'error', text: `${name} refused: ${c.lastError ?? c.status}.` };
    });
  const syncNow = () =>
    run('sync', async () => {
      const { pending } = await api.syncNow(connection.id);
      onSyncStarted?.();
      return { kind: 'ok', text: pending ? `Sync started: ${pending} item${pending === 1 ? '' : 's'} on the way to ${name}.` : 'Nothing was waiting: everything is already in step.', logs: true };
    });
  const disconnect = () => {
    setConfirming(false);
    return run('disconnect', async () => {
      const c = await api.disconnect(connection.id);
      onChanged(c);
      navigate(`/connections?crm=${connection.crm}&status=disconnected`);
      return { kind: 'ok', text: `${name} is disconnected.` };
    });
  };

  const live = connection.status !== 'disconnected';
  return (
    <section className="card" aria-labelledby="actions-title">
      <h2 id="actions-title">Actions</h2>
      <div className="actions">
        <button type="button" onClick={test} disabled={!!busy || !live} aria-busy={busy === 'test'}>
          Test connection
        </button>
        <button type="button" onClick={syncNow} disabled={!!busy || connection.status !== 'connected'} aria-busy={busy === 'sync'}>
          Sync now
        </button>
        <button type="button" className="danger" onClick={() => setConfirming(true)} disabled={!!busy || !live}>
          Disconnect
        </button>
      </div>
      <div aria-live="polite">
        {result && (
          <Notice kind={result.kind}>
            {result.text}{' '}
            {result.logs && <Link href={`/sync-logs?connectionId=${encodeURIComponent(connection.id)}`}>See its sync logs</Link>}
          </Notice>
        )}
      </div>
      {confirming && (
        <ConfirmDialog title={`Disconnect ${name}?`} confirmLabel={`Disconnect ${name}`} onConfirm={disconnect} onCancel={() => setConfirming(false)}>
          <p>Syncing stops and the stored credentials are destroyed. Nothing in {name} is deleted. You can connect again later; the settings are kept.</p>
        </ConfirmDialog>
      )}
    </section>
  );
}
