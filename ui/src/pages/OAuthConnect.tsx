import { useState } from 'react';
import { ApiError, api, detailsByPath } from '../api';
import { Field, Notice } from '../components/Field';
import type { CrmInfo } from '../types';

/**
 * "Connect with OAuth" asks the server to start (a POST with the session's CSRF token, so no
 * other site can start one in this browser), then goes to the CRM's consent page it answers
 * with; after it the CRM sends this browser back to /connections. Where the CRM needs to know
 * where the account lives (Zoho's data centre, a Dynamics tenant), those fields come first.
 */
export function OAuthConnect({ crm, baseUrl }: { crm: CrmInfo; baseUrl: string | undefined }) {
  const [target, setTarget] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const options = crm.fields.target;
  const fieldErrors = detailsByPath(error);
  // A refusal about an option is shown beside it; any other one (no OAuth app, already connected) above.
  const besideField = options.some((f) => fieldErrors[f.name]);

  const start = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const { authorizeUrl } = await api.oauthStart(crm.id, { ...target, baseUrl });
      window.location.assign(authorizeUrl);
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };

  return (
    <>
      <button type="button" className="primary" disabled={busy} onClick={() => void start()}>
        Connect with OAuth<span className="sr-only"> to {crm.name}</span>
      </button>
      {error !== undefined && !besideField && (
        <Notice kind="error">{error instanceof ApiError ? [error.message, ...error.details.map((d) => `${d.path}: ${d.message}`)].join(' ') : String(error)}</Notice>
      )}
      {options.length > 0 && (
        <details className="oauth-options" open={besideField || undefined}>
          <summary>OAuth options</summary>
          {options.map((f) => (
            <Field
              key={f.name}
              label={`${f.label} (optional)`}
              help={f.help}
              value={target[f.name] ?? ''}
              error={fieldErrors[f.name]}
              onChange={(e) => setTarget({ ...target, [f.name]: e.target.value.trim() })}
            />
          ))}
        </details>
      )}
    </>
  );
}
