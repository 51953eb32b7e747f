import { useState, type FormEvent } from 'react';
import { ApiError, api, detailsByPath, errorText } from '../api';
import { Field, Notice } from '../components/Field';
import type { CrmField, CrmInfo, SandboxCrm } from '../types';

/** Where each form field's value sits in the sandbox's published credentials. */
const SANDBOX_KEYS: Record<string, string[]> = {
  apiKey: ['apiKey', 'apiToken', 'privateAppToken', 'api_key'],
  username: ['login', 'username'],
  database: ['database'],
  clientId: ['clientId', 'client_id'],
  clientSecret: ['clientSecret', 'client_secret'],
  tenantId: ['tenantId'],
};

function sandboxValue(s: SandboxCrm, field: string): string {
  if (field === 'instanceUrl') return s.instanceUrl ?? (typeof s.credentials.url === 'string' ? s.credentials.url : s.baseUrl);
  for (const k of SANDBOX_KEYS[field] ?? [field]) if (typeof s.credentials[k] === 'string') return s.credentials[k];
  return '';
}

export function formTitle(crm: CrmInfo, method: 'api_key' | 'service'): string {
  if (method === 'service') return 'Connect with service credentials';
  return crm.fields.api_key.length > 1 ? 'Connect with API keys' : 'Connect with API key';
}

/** The API-key or service-credentials form, with exactly the fields this CRM needs. */
export function ConnectForm({ id, crm, method, sandbox, onConnected }: { id: string; crm: CrmInfo; method: 'api_key' | 'service'; sandbox: SandboxCrm | undefined; onConnected: () => void }) {
  const credentialFields = crm.fields[method];
  const targetFields = crm.fields.target;
  const all: CrmField[] = [...credentialFields, ...targetFields];
  const [values, setValues] = useState<Record<string, string>>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState('');
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setErrors({});
    setFormError('');
    const pick = (fields: CrmField[]) => Object.fromEntries(fields.filter((f) => values[f.name]?.trim()).map((f) => [f.name, values[f.name]!.trim()]));
    try {
      await api.connect({ crm: crm.id, auth: { method, ...pick(credentialFields) }, ...pick(targetFields), ...(sandbox ? { baseUrl: sandbox.baseUrl } : {}) });
      onConnected();
    } catch (err) {
      const byField = { ...detailsByPath(err, 'auth.') };
      // A refusal by the CRM names no field: it is about the secret, so it goes beside it.
      const secret = credentialFields.find((f) => f.secret);
      if (err instanceof ApiError && err.details.length === 0 && err.code === 'credentials_refused' && secret) byField[secret.name] = err.message;
      else if (!all.some((f) => byField[f.name])) setFormError(errorText(err));
      setErrors(byField);
      setBusy(false);
    }
  };

  return (
    <form id={id} className="connect-form" onSubmit={submit} noValidate aria-label={`${formTitle(crm, method)}: ${crm.name}`}>
      {formError && <Notice kind="error">{formError}</Notice>}
      {all.map((f) => (
        <Field
          key={f.name}
          label={f.label + (f.required ? '' : ' (optional)')}
          help={f.help}
          error={errors[f.name]}
          type={f.secret ? 'password' : 'text'}
          autoComplete="off"
          required={f.required}
          value={values[f.name] ?? ''}
          onChange={(e) => setValues({ ...values, [f.name]: e.target.value })}
        />
      ))}
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Checking with the CRM…' : 'Connect'}
        </button>
        {sandbox && (
          <button type="button" onClick={() => setValues(Object.fromEntries(all.map((f) => [f.name, sandboxValue(sandbox, f.name)])))}>
            Fill in the sandbox's credentials
          </button>
        )}
      </div>
    </form>
  );
}
