import type { OAuthApp } from '../connectors/types.js';
import type { CrmId } from '../domain/crm.js';
import { isLoopback } from '../net/addresses.js';
import { isSandboxBase } from './sandbox-origins.js';

/**
 * The OAuth app crm-sync uses for a CRM: from configuration (e.g. HUBSPOT_CLIENT_ID and
 * HUBSPOT_CLIENT_SECRET), or, for a connection to the local sandbox, the sandbox's own app,
 * read from its control API so the demo needs no configuration at all. With `sandboxOrigins`
 * (the server), only a sandbox connections may use is asked.
 */
export async function oauthAppFor(
  crm: CrmId,
  configured: Partial<Record<CrmId, OAuthApp>>,
  baseUrl: string | undefined,
  sandboxOrigins?: readonly string[],
): Promise<OAuthApp | undefined> {
  if (baseUrl) {
    const u = new URL(baseUrl);
    if (!isLoopback(u.hostname) || (sandboxOrigins && !isSandboxBase(u, crm, sandboxOrigins))) return undefined;
    const origin = `${u.protocol}//${u.host}`;
    const res = await fetch(`${origin}/sandbox/__control`, { signal: AbortSignal.timeout(5_000) });
    if (!res.ok) return undefined;
    const body = (await res.json()) as { crms?: Record<string, { oauth?: { clientId?: string; clientSecret?: string } }> };
    const app = body.crms?.[crm]?.oauth;
    return app?.clientId && app.clientSecret ? { clientId: app.clientId, clientSecret: app.clientSecret } : undefined;
  }
  return configured[crm];
}
