import { startSandbox, type RunningSandbox } from '../../support/sandbox.js';

/** A running sandbox with the seeded Salesforce account and a small REST caller. */
export interface SalesforceHarness {
  sb: RunningSandbox;
  base: string;
  account: SalesforceAccount;
  /** Calls `/services/data/v60.0<path>` with the seeded session unless `headers.authorization` is given. */
  api(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<ApiResult>;
  reset(): Promise<void>;
}

export interface SalesforceAccount {
  instanceUrl: string;
  oauth: { authorizeUrl: string; tokenUrl: string; revokeUrl: string; clientId: string; clientSecret: string };
  credentials: { sessionId: string; organizationId: string; clientId: string; clientSecret: string };
  users: { id: string; email: string; name: string; active: boolean }[];
}

export interface ApiResult {
  status: number;
  headers: Headers;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- test bodies are checked by exact assertions
  body: any;
}

export async function startSalesforce(): Promise<SalesforceHarness> {
  const sb = await startSandbox();
  const base = sb.baseUrl('salesforce');
  const control = (await (await fetch(`${sb.origin}/sandbox/__control`)).json()) as { crms: { salesforce: SalesforceAccount } };
  const account = control.crms.salesforce;
  const api = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResult> => {
    const res = await fetch(`${base}/services/data/v60.0${path}`, {
      method,
      headers: {
        authorization: `Bearer ${account.credentials.sessionId}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, headers: res.headers, body: parsed };
  };
  const reset = async () => {
    await fetch(`${sb.origin}/sandbox/__control/reset?crm=salesforce`, { method: 'POST' });
  };
  return { sb, base, account, api, reset };
}

export const soql = (q: string) => `/query?q=${encodeURIComponent(q)}`;

/** Drives the consent page as a person would: GET it, then POST the form with Approve. */
export async function approveConsent(authorizeUrl: string): Promise<URL> {
  const page = await fetch(authorizeUrl);
  const html = await page.text();
  if (!html.includes('Approve')) throw new Error(`consent page without Approve: ${html.slice(0, 200)}`);
  const form = new URLSearchParams();
  for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) form.set(unescapeHtml(m[1] as string), unescapeHtml(m[2] as string));
  form.set('decision', 'approve');
  const res = await fetch(authorizeUrl.split('?')[0] as string, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form.toString(),
    redirect: 'manual',
  });
  if (res.status !== 302) throw new Error(`consent POST answered ${res.status}`);
  return new URL(res.headers.get('location') as string);
}

function unescapeHtml(s: string): string {
  return s.replaceAll('&quot;', '"').replaceAll('&#39;', "'").replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');
}
