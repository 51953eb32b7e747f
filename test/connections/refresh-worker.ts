/**
 * A second crm-sync process for the refresh test: opens the same store and asks for a
 * connection's credentials N times at once, then prints the access tokens it got.
 */
import { Vault } from '../../src/auth/vault.js';
import { oauthAppFor } from '../../src/connections/oauth-apps.js';
import { AccessTokens } from '../../src/connections/tokens.js';
import { createCrmHttp } from '../../src/connectors/http/client.js';
import { Store } from '../../src/store/store.js';

const { DATA_DIR, DATABASE_URL, SECRET_KEY_HEX, CONNECTION_ID, CALLS } = process.env;
const store = Store.open({ dataDir: DATA_DIR || undefined, databaseUrl: DATABASE_URL || undefined });
const tokens = new AccessTokens({
  store,
  vault: new Vault(Buffer.from(SECRET_KEY_HEX!, 'hex')),
  http: createCrmHttp(),
  oauthApp: (crm, target) => oauthAppFor(crm, {}, target.baseUrl),
});
// Start together with the parent: it writes "go" on stdin when both are ready.
process.stdin.once('data', async () => {
  const results = await Promise.all(
    Array.from({ length: Number(CALLS) }, () => tokens.credentials(CONNECTION_ID!).then((c) => (c.method === 'api_key' ? c.apiKey : c.accessToken))),
  );
  process.stdout.write(JSON.stringify(results));
  await store.close();
  process.exit(0);
});
process.stdout.write('ready\n');
