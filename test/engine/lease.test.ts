import { describe, expect, it } from 'vitest';
import { createCrmHttp } from '../../src/connectors/http/client.js';
import { SyncWorker } from '../../src/engine/worker.js';
import { startTestServer } from '../support/server.js';
import { TEST_DIALECTS } from '../support/stores.js';

describe.each(TEST_DIALECTS)('a sync pass longer than the lease, on %s', (dialect) => {
  it('keeps its connection: a second worker finds the lease renewed and takes nothing over', async () => {
    const http = createCrmHttp();
    const s = await startTestServer(dialect, { http });
    try {
      const persons = async () =>
        (((await (await fetch(`${s.origin}/sandbox/__control/records?crm=pipedrive`)).json()) as Record<string, Record<string, { emails: { value: string }[] }[]>>).pipedrive!.persons ?? []);
      const token = (await s.account('pipedrive')).credentials.apiToken!;
      expect((await s.api('POST', '/v1/connections', { crm: 'pipedrive', auth: { method: 'api_key', apiKey: token }, baseUrl: s.sandboxUrl('pipedrive') })).status).toBe(201);
      // Pipedrive takes a call or more per record; at 100 ms a call, 12 clients take well over the 600 ms lease.
      const worker = () => new SyncWorker({ store: s.t.store, tokens: s.app.connections.tokens, http, leaseMs: 600 });
      s.sandbox.configure({ latencyMs: 100 }, 'pipedrive');
      for (let i = 0; i < 12; i++) await s.api('PUT', `/v1/clients/lease-${i}`, { firstName: 'Lease', lastName: `Holder ${i}`, emails: [`lease-${i}@hold.test`] });

      const first = worker();
      const started = Date.now();
      const firstPass = first.runOnce();
      await new Promise((r) => setTimeout(r, 1_500));
      const second = await worker().runOnce();
      const handled = await firstPass;
      expect(Date.now() - started).toBeGreaterThan(1_500);
      expect(second).toBe(0);
      expect(handled).toBe(12);
      const ours = (await persons()).filter((p) => p.emails.some((e) => e.value.endsWith('@hold.test')));
      expect(ours).toHaveLength(12);
    } finally {
      await s.close();
    }
  }, 60_000);
});
