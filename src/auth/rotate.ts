import { randomBytes } from 'node:crypto';
import type { Config } from '../config/index.js';
import type { Store } from '../store/store.js';
import { loadKeyring, writeKeyFile } from './secret-key.js';
import { Vault } from './vault.js';

export interface RotationResult {
  keyId: string;
  resealed: number;
}

/**
 * Re-seals every stored secret with the current key. In the embedded default it first makes
 * a new current key (keeping the old one in the file until the re-sealing has committed);
 * with keys from the environment, set the new CRM_SYNC_SECRET_KEY and list the old one in
 * CRM_SYNC_PREVIOUS_SECRET_KEYS, run this, then drop the old one.
 */
export async function rotateKeys(store: Store, config: Pick<Config, 'secretKey' | 'previousSecretKeys' | 'dataDir'>): Promise<RotationResult> {
  let ring = loadKeyring(config);
  if (ring.source === 'file') {
    writeKeyFile(config.dataDir, [randomBytes(32), ring.current, ...ring.previous]);
    ring = loadKeyring(config);
  }
  const vault = new Vault(ring.current, ring.previous);
  const resealed = await store.write(async (tx) => {
    let n = 0;
    const connections = await tx.selectFrom('connections').select(['id', 'credentials']).where('credentials', 'is not', null).execute();
    for (const c of connections) {
      if (Vault.keyIdOf(c.credentials!) === vault.currentKeyId) continue;
      const resealed = vault.encrypt(vault.decrypt(c.credentials!, c.id), c.id);
      await tx.updateTable('connections').set({ credentials: resealed }).where('id', '=', c.id).execute();
      n++;
    }
    // OAuth authorizations under way are short-lived; the ones the old key sealed are dropped.
    await tx.deleteFrom('oauth_states').where('code_verifier', 'not like', `v1.${vault.currentKeyId}.%`).execute();
    return n;
  });
  if (ring.source === 'file') writeKeyFile(config.dataDir, [ring.current]);
  return { keyId: vault.currentKeyId, resealed };
}
