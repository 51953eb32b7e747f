import { useState, type FormEvent } from 'react';
import { api, errorText } from '../api';
import { Field, Notice } from '../components/Field';
import type { Session } from '../types';

export function SignInPage({ onSignedIn }: { onSignedIn: (s: Session) => Promise<void> }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError('');
    try {
      await onSignedIn(await api.signIn(email, password));
    } catch (err) {
      setError(errorText(err));
      setBusy(false);
    }
  };

  return (
    <main id="main" className="signin">
      <h1>Sign in to crm-sync</h1>
      <p className="lead">Connect your CRM, choose what is synced and read the sync logs.</p>
      <form onSubmit={submit} className="card">
        {error && <Notice kind="error">{error}</Notice>}
        <Field label="E-mail" type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} />
        <Field label="Password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        <p className="help">
          The workspace owner's e-mail and password are printed once by <code>crm-sync workspace create</code> (and by the demo when it first starts).
        </p>
      </form>
    </main>
  );
}
