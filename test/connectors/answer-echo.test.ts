import { describe, expect, it } from 'vitest';
import { CrmError } from '../../src/connectors/errors.js';
import type { CrmHttp } from '../../src/connectors/http/client.js';
import { CONNECTIONS } from '../../src/connectors/registry.js';
import type { ConnectionTarget, Credentials } from '../../src/connectors/types.js';
import type { CrmId } from '../../src/domain/crm.js';

const SECRET = 'db-password-hunter2-9c1e';

/** Who each CRM's Test Connection talks to, with credentials of its kind; no network is used. */
const SETUP: Record<CrmId, { target: ConnectionTarget; credentials: Credentials }> = {
  hubspot: { target: {}, credentials: { method: 'api_key', apiKey: 'pat-na1-x' } },
  pipedrive: { target: {}, credentials: { method: 'api_key', apiKey: 'x'.repeat(40) } },
  zoho: { target: { region: 'eu' }, credentials: { method: 'oauth', accessToken: 't' } },
  salesforce: { target: { instanceUrl: 'https://acme.my.salesforce.com' }, credentials: { method: 'oauth', accessToken: 't' } },
  dynamics: { target: { instanceUrl: 'https://acme.crm.dynamics.com', tenantId: 'tenant' }, credentials: { method: 'service', clientId: 'c', clientSecret: 's', accessToken: 't' } },
  odoo: { target: { instanceUrl: 'https://acme.odoo.com', api: 'json2' }, credentials: { method: 'api_key', apiKey: 'k', database: 'db', username: 'admin' } },
  autochat: { target: { instanceUrl: 'https://acme.autochat.example' }, credentials: { method: 'api_key', apiKey: 'k' } },
};

/** An http that answers every request with the same status and body. */
const answering =
  (status: number, body: unknown, contentType: string): CrmHttp =>
  async () => ({ status, headers: new Headers({ 'content-type': contentType }), body });

async function failureOf(crm: CrmId, http: CrmHttp): Promise<CrmError> {
  const err = await CONNECTIONS[crm].check({ http, ...SETUP[crm] }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(CrmError);
  return err as CrmError;
}

describe.each(Object.keys(SETUP) as CrmId[])("%s's Test Connection against an answer that is not the vendor's", (crm) => {
  it.each([401, 403, 404, 500, 502])('does not echo a page it got with HTTP %i', async (status) => {
    const page = `<html><body><h1>Internal admin</h1><pre>password=${SECRET}</pre></body></html>`;
    const err = await failureOf(crm, answering(status, page, 'text/html'));
    expect(err.message).not.toContain(SECRET);
    expect(err.message).not.toContain('<html');
  });

  it('keeps a vendor-shaped message, but never more than 300 characters of it', async () => {
    const long = `${'x'.repeat(1_000)}${SECRET}`;
    const body = { message: long, error: { message: long, code: 'E' }, errorCode: 'E', code: 'E', status: 'error', name: 'odoo.exceptions.AccessDenied' };
    const err = await failureOf(crm, answering(401, body, 'application/json'));
    expect(err.message).not.toContain(SECRET);
    expect(err.message.length).toBeLessThan(600);
  });
});
