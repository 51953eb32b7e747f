import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rotateKeys } from '../../src/auth/rotate.js';
import { loadKeyring } from '../../src/auth/secret-key.js';
import { Vault } from '../../src/auth/vault.js';
import { startTestServer } from '../support/server.js';
import { TEST_DIALECTS } from '../support/stores.js';

describe.each(TEST_DIALECTS)('key rotation on %s', (dialect) => {
  it('re-seals every credential under a new key, and the old key is no longer needed', async () => {
    const s = await startTestServer(dialect);
    const dataDir = mkdtempSync(join(tmpdir(), 'crm-sync-keys-'));
    try {
      // The server's vault key, as the embedded default would have written it.
      const config = { secretKey: undefined, previousSecretKeys: [], dataDir };
      const { writeKeyFile } = await import('../../src/auth/secret-key.js');
      writeKeyFile(dataDir, [s.secretKey]);
      const token = (await s.account('hubspot')).credentials.privateAppToken!;
      const res = await fetch(`${s.origin}/v1/connections`, {
        method: 'POST',
        headers: { ...s.auth, 'content-type': 'application/json' },
        body: JSON.stringify({ crm: 'hubspot', auth: { method: 'api_key', apiKey: token }, baseUrl: s.sandboxUrl('hubspot') }),
      });
      const { id } = (await res.json()) as { id: string };

      const result = await rotateKeys(s.t.store, config);
      expect(result.resealed).toBe(1);
      const ring = loadKeyring(config);
      expect(ring.previous).toEqual([]);
      expect(ring.current.equals(s.secretKey)).toBe(false);
      expect(readFileSync(join(dataDir, 'secret.key'), 'utf8').trim().split('\n')).toHaveLength(1);

      const row = await s.t.store.db.selectFrom('connections').select('credentials').where('id', '=', id).executeTakeFirstOrThrow();
      expect(Vault.keyIdOf(row.credentials!)).toBe(result.keyId);
      expect(new Vault(ring.current).openJson<{ apiKey: string }>(row.credentials!, id).apiKey).toBe(token);
      expect(() => new Vault(s.secretKey).decrypt(row.credentials!, id)).toThrow(/does not have/);
      // Every rotation makes a new key and re-seals under it.
      expect((await rotateKeys(s.t.store, config)).resealed).toBe(1);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
      await s.close();
    }
  });
});
