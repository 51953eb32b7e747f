import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CrmId } from '../../src/domain/crm.js';
import { buildSandboxServer } from '../../src/sandbox/server.js';

export interface CallCounts {
  requests: number;
  byStatus: Record<string, number>;
}

type Account = { credentials: Record<string, string>; oauth?: { clientId: string; clientSecret: string } };

/** How the bench connects a CRM: a `POST /v1/connections` body, or OAuth with the sandbox's app registered in the server's environment. */
export type ConnectRecipe = { body: Record<string, unknown> } | { oauth: { query: Record<string, string>; env: Record<string, string> } };

/**
 * The fake CRMs in the bench's own process, on a free loopback port, so crm-sync (a child
 * process) calls them over real HTTP. Besides the control API's totals, it counts calls by
 * endpoint, which is what says where calls above the batch minimum go.
 */
export class BenchSandbox {
  private readonly byEndpoint = new Map<string, number>();

  private constructor(
    private readonly built: Awaited<ReturnType<typeof buildSandboxServer>>,
    readonly origin: string,
  ) {
    built.app.server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      res.once('finish', () => {
        const key = `${endpointOf(req.method ?? 'GET', req.url ?? '')} ${res.statusCode}`;
        this.byEndpoint.set(key, (this.byEndpoint.get(key) ?? 0) + 1);
      });
    });
  }

  static async start(): Promise<BenchSandbox> {
    const built = await buildSandboxServer();
    const origin = await built.app.listen({ port: 0, host: '127.0.0.1' });
    return new BenchSandbox(built, origin);
  }

  baseUrl(crm: CrmId): string {
    return `${this.origin}/sandbox/${crm}`;
  }

  async control<T>(method: 'GET' | 'PATCH' | 'POST', path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.origin}/sandbox/__control${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`sandbox control ${method} ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  }

  /** `GET /sandbox/__control/stats` for one CRM: requests and requests by status. */
  async calls(crm: CrmId): Promise<CallCounts> {
    const stats = await this.control<Record<string, CallCounts>>('GET', '/stats');
    const s = stats[crm]!;
    return { requests: s.requests, byStatus: { ...s.byStatus } };
  }

  setRateLimitFactor(crm: CrmId, factor: number): Promise<unknown> {
    return this.control('PATCH', '/settings', { crm, rateLimitFactor: factor });
  }

  /** Records per object in the CRM now (read in process: a dump over HTTP of 80,000 records would cost more than it measures). */
  recordCounts(crm: CrmId): Record<string, number> {
    return Object.fromEntries(Object.entries(this.built.sandbox.crm(crm).dump()).map(([object, rows]) => [object, rows.length]));
  }

  /** Whether some record of this CRM carries the value (an e-mail), in any field. */
  holds(crm: CrmId, value: string): boolean {
    for (const rows of Object.values(this.built.sandbox.crm(crm).dump())) {
      for (const row of rows) if (JSON.stringify(row).toLowerCase().includes(value)) return true;
    }
    return false;
  }

  /** Calls by endpoint and status since the last call of this method. */
  takeEndpointCounts(crm: CrmId): Map<string, number> {
    const prefix = `/sandbox/${crm}/`;
    const out = new Map<string, number>();
    for (const [key, n] of this.byEndpoint) {
      const path = key.split(' ')[1]!;
      if (!path.startsWith(prefix)) continue;
      out.set(key.replace(prefix, '/'), n);
      this.byEndpoint.delete(key);
    }
    return out;
  }

  /** How to connect this CRM with the sandbox's seeded credentials, or why the bench cannot. */
  async connectRecipe(crm: CrmId): Promise<ConnectRecipe | { why: string }> {
    const all = await this.control<{ crms: Record<string, Account> }>('GET', '');
    const account = all.crms[crm]!;
    const c = account.credentials;
    const baseUrl = this.baseUrl(crm);
    switch (crm) {
      case 'hubspot':
        return { body: { crm, auth: { method: 'api_key', apiKey: c.privateAppToken }, baseUrl } };
      case 'salesforce':
        return { body: { crm, auth: { method: 'service', clientId: c.clientId, clientSecret: c.clientSecret, instanceUrl: baseUrl }, baseUrl } };
      case 'pipedrive':
        return { body: { crm, auth: { method: 'api_key', apiKey: c.apiToken }, baseUrl } };
      case 'odoo':
        return { body: { crm, auth: { method: 'api_key', apiKey: c.api_key, database: c.database, username: c.login, url: baseUrl }, baseUrl } };
      case 'dynamics':
        return { body: { crm, auth: { method: 'service', clientId: c.clientId, clientSecret: c.clientSecret, instanceUrl: baseUrl, tenantId: c.tenantId }, baseUrl } };
      case 'autochat':
        return { body: { crm, auth: { method: 'api_key', apiKey: c.apiKey }, instanceUrl: baseUrl, baseUrl } };
      default: {
        if (!account.oauth) return { why: `the bench has no way to connect ${crm}` };
        const prefix = crm.toUpperCase();
        return { oauth: { query: { baseUrl }, env: { [`${prefix}_CLIENT_ID`]: account.oauth.clientId, [`${prefix}_CLIENT_SECRET`]: account.oauth.clientSecret } } };
      }
    }
  }

  close(): Promise<void> {
    return this.built.app.close();
  }
}

/** "POST /crm/v3/objects/notes/batch/create", with ids folded and a SOQL query named by its object. */
function endpointOf(method: string, url: string): string {
  const [path = '', query = ''] = url.split('?');
  const soql = /(?:^|&)q=([^&]*)/.exec(query);
  const object = soql ? / FROM (\w+)/i.exec(decodeURIComponent(soql[1]!.replace(/\+/g, ' ')))?.[1] : undefined;
  const folded = path
    .replace(/\/v\d+\.\d+\//, '/vXX.X/')
    .split('/')
    .map((part) => (/^\d+$/.test(part) || /^[a-zA-Z0-9]{15,18}$/.test(part) && /\d/.test(part) ? ':id' : part))
    .join('/');
  return `${method} ${folded}${object ? ` FROM ${object}` : ''}`;
}
