import { useEffect, useState } from 'react';
import { api, errorText } from '../api';
import { CrmMark } from '../components/CrmMark';
import { Notice } from '../components/Field';
import { StatusBadge } from '../components/StatusBadge';
import { crmName, useApp } from '../context';
import { Link } from '../router';
import type { Connection } from '../types';
import { ActivationSection } from './Activation';
import { ConnectionActions } from './ConnectionActions';
import { SettingsForm } from './SettingsForm';
import { SyncProgress } from './SyncProgress';

/** Configuration of one connection: its state, Test / Sync Now / Disconnect, activation and every setting. */
export function ConnectionPage({ id }: { id: string }) {
  const { crms, canEdit } = useApp();
  const [conn, setConn] = useState<Connection | undefined>();
  const [error, setError] = useState('');
  const [unsaved, setUnsaved] = useState(false);
  // Bumped by Sync Now: the progress bar starts asking again (it stops once nothing is pending).
  const [syncs, setSyncs] = useState(0);

  useEffect(() => {
    api
      .connection(id)
      .then(setConn)
      .catch((e: unknown) => setError(errorText(e)));
  }, [id]);

  if (error) return <Notice kind="error">{error}</Notice>;
  if (!conn) return <p role="status">Loading the connection…</p>;
  const name = crmName(crms, conn.crm);
  return (
    <>
      <p className="small">
        <Link href="/connections">← All CRM connections</Link>
      </p>
      <div className="crm-head page-head">
        <CrmMark id={conn.crm} name={name} />
        <h1>{name}</h1>
        <StatusBadge status={conn.status} />
      </div>
      <dl className="facts">
        <dt>Account</dt>
        <dd>{conn.account ?? '—'}</dd>
        <dt>Connected with</dt>
        <dd>{{ oauth: 'OAuth', api_key: 'API key', service: 'Service credentials' }[conn.authMethod]}</dd>
        <dt>Last checked</dt>
        <dd>{conn.lastCheckedAt ? new Date(conn.lastCheckedAt).toLocaleString() : '—'}</dd>
        {conn.lastError && (
          <>
            <dt>Last error</dt>
            <dd className="error">{conn.lastError}</dd>
          </>
        )}
      </dl>
      {!canEdit && <Notice kind="info">Read only: only the workspace owner or a Settings Admin can change this connection. Ask one of them.</Notice>}
      {canEdit && <ConnectionActions connection={conn} onChanged={setConn} onSyncStarted={() => setSyncs((n) => n + 1)} />}
      {conn.status !== 'disconnected' && <SyncProgress key={syncs} connectionId={conn.id} />}
      {conn.status !== 'disconnected' && (
        <>
          <ActivationSection connection={conn} canEdit={canEdit} unsaved={unsaved} onChanged={setConn} />
          <SettingsForm key={conn.id} connection={conn} canEdit={canEdit} onSaved={setConn} onDirtyChange={setUnsaved} />
        </>
      )}
    </>
  );
}
