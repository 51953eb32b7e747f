import { useState } from 'react';
import { CrmMark } from '../components/CrmMark';
import { StatusBadge } from '../components/StatusBadge';
import { useApp } from '../context';
import { Link } from '../router';
import type { Connection, CrmInfo } from '../types';
import { ConnectForm, formTitle } from './ConnectForm';
import { OAuthConnect } from './OAuthConnect';

export function CrmCard({ crm, connection, onChanged }: { crm: CrmInfo; connection: Connection | undefined; onChanged: () => void }) {
  const { canEdit, sandbox } = useApp();
  const [open, setOpen] = useState<'api_key' | 'service' | null>(null);
  const live = connection && connection.status !== 'disconnected' ? connection : undefined;
  const canConnect = canEdit && (!live || live.status !== 'connected');
  const titleId = `crm-${crm.id}-title`;
  const sandboxCrm = sandbox?.crms[crm.id];

  return (
    <li className="card crm-card" aria-labelledby={titleId} data-crm={crm.id}>
      <div className="crm-head">
        <CrmMark id={crm.id} name={crm.name} />
        <h2 id={titleId}>{crm.name}</h2>
        <StatusBadge status={live?.status} />
      </div>
      {live?.account && <p className="account">{live.account}</p>}
      {live?.lastError && live.status !== 'connected' && <p className="error">{live.lastError}</p>}
      <div className="actions">
        {live && (
          <Link className="button" href={`/connections/${encodeURIComponent(live.id)}`}>
            {canEdit ? 'Configure' : 'View settings'}
            <span className="sr-only"> {crm.name}</span>
          </Link>
        )}
        {canConnect && crm.authMethods.includes('oauth') && <OAuthConnect crm={crm} baseUrl={sandboxCrm?.baseUrl} />}
        {canConnect &&
          (['api_key', 'service'] as const)
            .filter((m) => crm.authMethods.includes(m))
            .map((m) => (
              <button key={m} type="button" aria-expanded={open === m} aria-controls={`crm-${crm.id}-${m}`} onClick={() => setOpen(open === m ? null : m)}>
                {formTitle(crm, m)}
              </button>
            ))}
      </div>
      {canConnect && open && (
        <ConnectForm
          id={`crm-${crm.id}-${open}`}
          crm={crm}
          method={open}
          sandbox={sandboxCrm}
          onConnected={() => {
            setOpen(null);
            onChanged();
          }}
        />
      )}
      {sandboxCrm && (
        <p className="small">
          <a href={`/sandbox/__view/${crm.id}`} target="_blank" rel="noreferrer">
            Records in the {crm.name} sandbox<span className="sr-only"> (opens in a new tab)</span>
          </a>
        </p>
      )}
    </li>
  );
}
