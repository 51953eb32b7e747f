import { APP, TENANT_ID } from '../../../src/sandbox/dynamics/facts.js';
import { startSandbox, type RunningSandbox } from '../../support/sandbox.js';

/** A running sandbox with an app token for the fake Dataverse environment, and a small fetch wrapper. */
export interface DataverseHarness {
  sb: RunningSandbox;
  base: string;
  api: string;
  tokenUrl: string;
  token: string;
  call(path: string, init?: { method?: string; body?: unknown; headers?: Record<string, string>; token?: string | null }): Promise<Response>;
  json<T = Record<string, unknown>>(res: Response): Promise<T>;
  configure(patch: Record<string, unknown>): Promise<void>;
  /** Back to the seeded state (which forgets tokens), with a fresh app token. */
  reset(): Promise<void>;
  close(): Promise<void>;
}

export async function clientCredentials(base: string, overrides: Record<string, string> = {}): Promise<Response> {
  return fetch(`${base}/login/${TENANT_ID}/oauth2/v2.0/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: APP.clientId, client_secret: APP.clientSecret, scope: `${base}/.default`, ...overrides }),
  });
}

export async function startDataverse(): Promise<DataverseHarness> {
  const sb = await startSandbox();
  const base = sb.baseUrl('dynamics');
  const token = ((await (await clientCredentials(base)).json()) as { access_token: string }).access_token;
  const api = `${base}/api/data/v9.2`;
  const h: DataverseHarness = {
    sb,
    base,
    api,
    tokenUrl: `${base}/login/${TENANT_ID}/oauth2/v2.0/token`,
    token,
    call(path, init = {}) {
      const headers: Record<string, string> = { accept: 'application/json', 'odata-version': '4.0', 'odata-maxversion': '4.0', ...init.headers };
      const bearer = init.token === undefined ? h.token : init.token;
      if (bearer) headers.authorization = `Bearer ${bearer}`;
      let body: string | undefined;
      if (init.body !== undefined) {
        body = typeof init.body === 'string' ? init.body : JSON.stringify(init.body);
        headers['content-type'] ??= 'application/json; charset=utf-8';
      }
      return fetch(path.startsWith('http') ? path : `${api}/${path}`, { method: init.method ?? 'GET', headers, body });
    },
    async json<T>(res: Response) {
      return (await res.json()) as T;
    },
    async configure(patch) {
      await fetch(`${sb.origin}/sandbox/__control/settings`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ crm: 'dynamics', ...patch }),
      });
    },
    async reset() {
      sb.sandbox.reset('dynamics');
      h.token = ((await (await clientCredentials(base)).json()) as { access_token: string }).access_token;
    },
    close: () => sb.close(),
  };
  return h;
}

/** The GUID in an OData-EntityId header. */
export function entityId(res: Response): string {
  const m = /\(([0-9a-f-]{36})\)$/.exec(res.headers.get('odata-entityid') ?? '');
  if (!m) throw new Error(`no OData-EntityId in response ${res.status}`);
  return m[1]!;
}
