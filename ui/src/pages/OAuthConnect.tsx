import { useState } from 'react';
import { oauthStartUrl } from '../api';
import { Field } from '../components/Field';
import type { CrmInfo } from '../types';

/**
 * "Connect with OAuth" is a link: the browser goes to the server, which redirects to the
 * CRM's consent page and, after it, back to /connections. Where the CRM needs to know
 * where the account lives (Zoho's data centre, a Dynamics tenant), those fields come first.
 */
export function OAuthConnect({ crm, baseUrl }: { crm: CrmInfo; baseUrl: string | undefined }) {
  const [target, setTarget] = useState<Record<string, string>>({});
  const href = oauthStartUrl(crm.id, { ...target, baseUrl });
  const options = crm.fields.target;
  return (
    <>
      <a className="button primary" href={href}>
        Connect with OAuth<span className="sr-only"> to {crm.name}</span>
      </a>
      {options.length > 0 && (
        <details className="oauth-options">
          <summary>OAuth options</summary>
          {options.map((f) => (
            <Field
              key={f.name}
              label={`${f.label} (optional)`}
              help={f.help}
              value={target[f.name] ?? ''}
              onChange={(e) => setTarget({ ...target, [f.name]: e.target.value.trim() })}
            />
          ))}
        </details>
      )}
    </>
  );
}
