import { useState, type FormEvent } from 'react';
import { api, detailsByPath, errorText } from '../api';
import { Checkbox } from '../components/Choice';
import { Field, Notice } from '../components/Field';
import type { ApiKeyScope, NewApiKey } from '../types';

const SCOPES: { scope: ApiKeyScope; label: string; help: string }[] = [
  { scope: 'ingest', label: 'Ingest', help: 'Send clients, companies, conversations and deals (the platform’s key).' },
  { scope: 'admin', label: 'Admin', help: 'Manage connections, settings, syncs and API keys, as the owner could.' },
];

/** A name and the scopes; the server's messages go beside the field they are about. */
export function CreateApiKeyForm({ onCreated }: { onCreated: (k: NewApiKey) => void }) {
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<ApiKeyScope[]>(['ingest']);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState('');
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setErrors({});
    setFormError('');
    try {
      onCreated(await api.createApiKey(name, scopes));
      setName('');
    } catch (err) {
      const byField = detailsByPath(err);
      const scopeError = Object.entries(byField).find(([path]) => path.startsWith('scopes'))?.[1];
      setErrors({ name: byField['name'] ?? '', scopes: scopeError ?? '' });
      if (!byField['name'] && !scopeError) setFormError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  const toggle = (scope: ApiKeyScope, on: boolean) => setScopes((s) => (on ? [...s, scope] : s.filter((x) => x !== scope)));

  return (
    <form className="card" onSubmit={submit} noValidate aria-labelledby="create-key-title">
      <h2 id="create-key-title">Create an API key</h2>
      {formError && <Notice kind="error">{formError}</Notice>}
      <Field label="Name" help="What the key is for, e.g. “Platform ingest”." error={errors['name'] || undefined} value={name} onChange={(e) => setName(e.target.value)} maxLength={100} required />
      <fieldset className={`plain${errors['scopes'] ? ' has-error' : ''}`} aria-describedby={errors['scopes'] ? 'scopes-error' : undefined}>
        <legend>Scopes</legend>
        {SCOPES.map((s) => (
          <Checkbox key={s.scope} label={s.label} help={s.help} checked={scopes.includes(s.scope)} onChange={(on) => toggle(s.scope, on)} />
        ))}
        {errors['scopes'] && (
          <p className="error" id="scopes-error">
            {errors['scopes']}
          </p>
        )}
      </fieldset>
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Creating…' : 'Create key'}
        </button>
      </div>
    </form>
  );
}
