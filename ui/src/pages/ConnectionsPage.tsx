import { useCallback, useEffect, useState } from 'react';
import { api, errorText } from '../api';
import { Notice } from '../components/Field';
import { crmName, useApp } from '../context';
import type { Connection } from '../types';
import { CrmCard } from './CrmCard';

/** The current connection of a CRM: a live one first, else the newest (K4: one per CRM). */
function connectionOf(list: Connection[], crm: string): Connection | undefined {
  const mine = list.filter((c) => c.crm === crm).sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
  return mine.find((c) => c.status !== 'disconnected') ?? mine[0];
}

export function ConnectionsPage({ search }: { search: string }) {
  const { crms, canEdit } = useApp();
  const [list, setList] = useState<Connection[] | undefined>();
  const [error, setError] = useState('');
  const back = new URLSearchParams(search);

  const load = useCallback(() => {
    api
      .connections()
      .then(setList)
      .catch((e: unknown) => setError(errorText(e)));
  }, []);
  useEffect(load, [load]);

  return (
    <>
      <h1>CRM connections</h1>
      <p className="lead">Connect the CRM your sales team works in. Credentials are encrypted and never shown again.</p>
      {back.get('status') === 'connected' && <Notice kind="ok">{crmName(crms, back.get('crm'))} is connected.</Notice>}
      {back.get('status') === 'disconnected' && <Notice kind="ok">{crmName(crms, back.get('crm'))} is disconnected; nothing in it was deleted.</Notice>}
      {back.get('status') === 'error' && (
        <Notice kind="error">
          {crmName(crms, back.get('crm'))} was not connected: {back.get('message')}
        </Notice>
      )}
      {!canEdit && (
        <Notice kind="info">
          You can see the connections but not change them: only the workspace owner or a Settings Admin can connect, configure or disconnect a CRM. Ask one of them.
        </Notice>
      )}
      {error && <Notice kind="error">{error}</Notice>}
      {!list && !error && <p role="status">Loading connections…</p>}
      {list && (
        <ul className="cards" aria-label="CRMs">
          {crms.map((crm) => (
            <CrmCard key={crm.id} crm={crm} connection={connectionOf(list, crm.id)} onChanged={load} />
          ))}
        </ul>
      )}
    </>
  );
}
