import { CrmError } from '../errors.js';
import type { CrmHttp } from './client.js';
import { pickMessage } from './classify.js';

/**
 * A standard OAuth 2 token request (RFC 6749 section 4.1.3 / 6 / 4.4): the vendor's own
 * error wording is kept, and `invalid_grant` is reported as an `auth` failure, which means
 * the admin must reconnect (no retry can fix it).
 */
export async function requestToken(
  http: CrmHttp,
  p: { crmName: string; tokenUrl: string; clientAuth: 'body' | 'basic'; clientId: string; clientSecret: string; params: Record<string, string> },
): Promise<Record<string, unknown>> {
  const form = new URLSearchParams(p.params);
  const headers: Record<string, string> = {};
  if (p.clientAuth === 'basic') headers.authorization = `Basic ${Buffer.from(`${p.clientId}:${p.clientSecret}`).toString('base64')}`;
  else {
    form.set('client_id', p.clientId);
    form.set('client_secret', p.clientSecret);
  }
  const res = await http({ method: 'POST', url: p.tokenUrl, headers, body: form });
  const body = (res.body && typeof res.body === 'object' ? res.body : {}) as Record<string, unknown>;
  // Some vendors (Zoho) answer token errors with HTTP 200 and an `error` field.
  if (res.status >= 200 && res.status < 300 && typeof body.access_token === 'string') return body;
  const code = typeof body.error === 'string' ? body.error : typeof body.status === 'string' ? body.status : undefined;
  const message = pickMessage(body, 'error_description', 'message', 'error') ?? `HTTP ${res.status}`;
  if (res.status >= 500) throw new CrmError('unavailable', `${p.crmName} could not issue a token (HTTP ${res.status}); crm-sync will retry.`, { status: res.status });
  if (res.status === 429) throw new CrmError('rate_limited', `${p.crmName} is limiting token requests; crm-sync will retry.`, { status: 429 });
  const clientProblem = code === 'invalid_client' || code === 'unauthorized_client' || /client/i.test(code ?? '');
  throw new CrmError(
    'auth',
    clientProblem
      ? `${p.crmName} refused the app credentials ("${message}"). Check the client id and secret.`
      : `${p.crmName} refused the grant ("${message}"). Reconnect ${p.crmName} from the connection page.`,
    { status: res.status, vendorCode: code, body },
  );
}

/** expires_in (seconds) as an absolute time, a minute early so a token is never used at its last second. */
export function expiresAt(expiresIn: unknown, now: number): number | undefined {
  const s = Number(expiresIn);
  // Whole milliseconds: the expiry is stored in a bigint column.
  return Number.isFinite(s) && s > 0 ? now + Math.floor(s * 1000) : undefined;
}
