import type { OAuthFacts } from '../types.js';
import type { CrmHttp } from './client.js';
import { pickMessage } from './classify.js';

/** Revocation is a courtesy at disconnect: it must not keep the admin waiting on a slow vendor. */
const REVOKE_TIMEOUT_MS = 5_000;

/**
 * Asks the vendor to revoke a token (RFC 7009 or the vendor's own variant, per `style`).
 * Resolves when the vendor confirmed; otherwise throws an Error whose message says why, in
 * the vendor's words where it gave any.
 */
export async function revokeToken(
  http: CrmHttp,
  p: { style: 'form' | 'query' | 'path'; revokeUrl: string; clientAuth: OAuthFacts['clientAuth']; clientId: string; clientSecret: string; token: string },
): Promise<void> {
  const headers: Record<string, string> = {};
  let res;
  if (p.style === 'path') {
    res = await http({ method: 'DELETE', url: `${p.revokeUrl}/${encodeURIComponent(p.token)}`, timeoutMs: REVOKE_TIMEOUT_MS });
  } else if (p.style === 'query') {
    res = await http({ method: 'POST', url: p.revokeUrl, query: { token: p.token }, timeoutMs: REVOKE_TIMEOUT_MS });
  } else {
    const form = new URLSearchParams({ token: p.token, token_type_hint: 'refresh_token' });
    // Pipedrive wants the app's HTTP Basic credentials; Salesforce needs none.
    if (p.clientAuth === 'basic') headers.authorization = `Basic ${Buffer.from(`${p.clientId}:${p.clientSecret}`).toString('base64')}`;
    res = await http({ method: 'POST', url: p.revokeUrl, headers, body: form, timeoutMs: REVOKE_TIMEOUT_MS });
  }
  const body = (res.body && typeof res.body === 'object' ? res.body : {}) as Record<string, unknown>;
  // Zoho answers HTTP 200 with an `error` field when it refuses.
  if (res.status >= 200 && res.status < 300 && body.error === undefined) return;
  const said = pickMessage(body, 'error_description', 'message', 'error');
  throw new Error(said ? `HTTP ${res.status}, "${said}"` : `HTTP ${res.status}`);
}
