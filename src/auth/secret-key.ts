import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeKey, type Config } from '../config/index.js';

export const SECRET_KEY_FILE = 'secret.key';

/**
 * The key that encrypts credentials at rest. From CRM_SYNC_SECRET_KEY when set (required
 * with PostgreSQL, where many hosts must share it); in the embedded default, generated once
 * into the data dir with mode 0600 and read from there afterwards.
 */
export function resolveSecretKey(config: Pick<Config, 'secretKey' | 'dataDir'>): Buffer {
  if (config.secretKey) return config.secretKey;
  mkdirSync(config.dataDir, { recursive: true });
  const path = join(config.dataDir, SECRET_KEY_FILE);
  try {
    // 'wx' fails if the file exists, so two processes starting at once cannot both write one.
    writeFileSync(path, `${randomBytes(32).toString('hex')}\n`, { flag: 'wx', mode: 0o600 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  chmodSync(path, 0o600);
  const key = decodeKey(readFileSync(path, 'utf8'));
  if (!key) throw new Error(`${path} does not hold a 256-bit key (64 hex characters); remove it only if no credentials were stored with it`);
  return key;
}
