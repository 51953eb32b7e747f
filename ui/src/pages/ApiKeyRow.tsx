import { useState } from 'react';
import { api, errorText } from '../api';
import { Select } from '../components/Choice';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { useApp } from '../context';
import type { ApiKey, NewApiKey } from '../types';

const GRACE = [
  { value: '0', label: 'At once' },
  { value: '300', label: 'In 5 minutes' },
  { value: '3600', label: 'In 1 hour' },
];

/** The audit actor that made the key, in words. */
function maker(createdBy: string | null, me: string): string {
  if (!createdBy) return '';
  if (createdBy === `user:${me}`) return 'by you';
  if (createdBy === 'system') return 'with the workspace';
  if (createdBy === 'cli') return 'with the CLI';
  if (createdBy.startsWith('api_key:')) return `with key ${createdBy.slice(8)}`;
  return 'by another user';
}

const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : '—');

function status(k: ApiKey): string {
  if (k.revokedAt === null) return 'Active';
  return Date.parse(k.revokedAt) > Date.now() ? `Stops ${when(k.revokedAt)}` : `Revoked ${when(k.revokedAt)}`;
}

/** One key, with Rotate and Revoke behind a confirmation while it is active. */
export function ApiKeyRow({ apiKey: k, canEdit, onRotated, onRevoked }: { apiKey: ApiKey; canEdit: boolean; onRotated: (k: NewApiKey) => void; onRevoked: () => void }) {
  const { session } = useApp();
  const [confirming, setConfirming] = useState<'' | 'rotate' | 'revoke'>('');
  const [grace, setGrace] = useState('0');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const active = k.revokedAt === null;
  // A rotated key in its grace period can still be revoked, to cut the period short.
  const live = active || Date.parse(k.revokedAt!) > Date.now();

  const run = async (job: () => Promise<void>) => {
    setConfirming('');
    setBusy(true);
    setError('');
    try {
      await job();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  const rotate = () => run(async () => onRotated(await api.rotateApiKey(k.id, Number(grace))));
  const revoke = () =>
    run(async () => {
      await api.revokeApiKey(k.id);
      onRevoked();
    });

  return (
    <tr data-key-id={k.id}>
      <th scope="row">{k.name}</th>
      <td>
        <code>{k.id}</code>
      </td>
      <td>{k.scopes.join(', ')}</td>
      <td>
        {when(k.createdAt)}
        {k.createdBy && <span className="small"> {maker(k.createdBy, session.user.id)}</span>}
      </td>
      <td>{k.lastUsedAt ? when(k.lastUsedAt) : 'Never'}</td>
      <td>
        <span className={`pill ${active ? 'pill-success' : live ? 'pill-pending' : 'pill-skipped'}`}>{status(k)}</span>
      </td>
      {canEdit && (
        <td>
          {live && (
            <div className="actions row-actions">
              {active && (
                <button type="button" onClick={() => setConfirming('rotate')} disabled={busy}>
                  Rotate<span className="sr-only"> {k.name}</span>
                </button>
              )}
              <button type="button" className="danger" onClick={() => setConfirming('revoke')} disabled={busy}>
                Revoke<span className="sr-only"> {k.name}</span>
              </button>
            </div>
          )}
          {error && (
            <p className="error" role="alert">
              {error}
            </p>
          )}
          {confirming === 'rotate' && (
            <ConfirmDialog title={`Rotate ${k.name}?`} confirmLabel="Rotate key" onConfirm={rotate} onCancel={() => setConfirming('')}>
              <p>A new key with the same name and scopes is made and shown once. The old key stops when you choose.</p>
              <Select label="The old key stops" value={grace} options={GRACE} onChange={setGrace} />
            </ConfirmDialog>
          )}
          {confirming === 'revoke' && (
            <ConfirmDialog title={`Revoke ${k.name}?`} confirmLabel="Revoke key" onConfirm={revoke} onCancel={() => setConfirming('')}>
              <p>Requests with this key are refused from now on (other crm-sync servers sharing the database follow within 5 seconds). This cannot be undone.</p>
            </ConfirmDialog>
          )}
        </td>
      )}
    </tr>
  );
}
