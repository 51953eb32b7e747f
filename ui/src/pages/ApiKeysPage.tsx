import { useCallback, useEffect, useRef, useState } from 'react';
import { api, errorText } from '../api';
import { Notice } from '../components/Field';
import { useApp } from '../context';
import type { ApiKey, NewApiKey } from '../types';
import { ApiKeyRow } from './ApiKeyRow';
import { CreateApiKeyForm } from './CreateApiKeyForm';
import { NewKeyNotice } from './NewKeyNotice';

/** API keys (PRODUCT.md K9): listed for everyone signed in; created, rotated and revoked by an owner or Settings Admin. */
export function ApiKeysPage() {
  const { canEdit } = useApp();
  const [keys, setKeys] = useState<ApiKey[] | undefined>();
  const [error, setError] = useState('');
  const [shown, setShown] = useState<{ key: NewApiKey; rotatedFrom?: string } | undefined>();
  const [result, setResult] = useState('');
  const notice = useRef<HTMLDivElement>(null);

  const load = useCallback(() => {
    api.apiKeys().then(setKeys, (e: unknown) => setError(errorText(e)));
  }, []);
  useEffect(load, [load]);
  // A new key must not be missed: bring it into view (NewKeyNotice focuses it). Braces: newer
  // browsers return a promise from scrollIntoView, which React would take for a cleanup.
  useEffect(() => {
    notice.current?.scrollIntoView({ block: 'nearest' });
  }, [shown]);

  const show = (key: NewApiKey, rotatedFrom?: string) => {
    setResult('');
    setShown({ key, rotatedFrom });
    load();
  };

  return (
    <>
      <h1>API keys</h1>
      <p className="lead">
        The platform sends data with a key that has the <strong>ingest</strong> scope; scripts that manage connections, settings and keys need the <strong>admin</strong> scope. Admin does
        not include ingest. A key is shown once, when it is created or rotated.
      </p>
      {!canEdit && (
        <Notice kind="info">You can see the keys but not change them: only the workspace owner or a Settings Admin can create, rotate or revoke API keys. Ask one of them.</Notice>
      )}
      <div ref={notice}>{shown && <NewKeyNotice apiKey={shown.key} rotatedFrom={shown.rotatedFrom} onDone={() => setShown(undefined)} />}</div>
      <div aria-live="polite">{result && <Notice kind="ok">{result}</Notice>}</div>
      {canEdit && <CreateApiKeyForm onCreated={(k) => show(k)} />}
      {error && <Notice kind="error">{error}</Notice>}
      {!keys && !error && <p role="status">Loading the API keys…</p>}
      {keys && (
        <div className="table-wrap" tabIndex={0} role="region" aria-label="API keys">
          <table className="logs">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Key id</th>
                <th scope="col">Scopes</th>
                <th scope="col">Created</th>
                <th scope="col">Last used</th>
                <th scope="col">Status</th>
                {canEdit && <th scope="col">Actions</th>}
              </tr>
            </thead>
            <tbody>
              {keys.map((k) => (
                <ApiKeyRow
                  key={k.id}
                  apiKey={k}
                  canEdit={canEdit}
                  onRotated={(n) => show(n, k.name)}
                  onRevoked={() => {
                    setShown(undefined);
                    setResult(`${k.name} is revoked: requests with it are refused.`);
                    load();
                  }}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
