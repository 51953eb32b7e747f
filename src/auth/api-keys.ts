import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** What a key may do: push data in (`ingest`) and manage connections (`admin`). */
export const API_KEY_SCOPES = ['ingest', 'admin'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

const PREFIX = 'csk';

/**
 * `csk_<id>_<secret>`: the id finds the row, the secret is checked against its SHA-256.
 * A fast hash is right here: the secret has 256 bits of entropy, so it cannot be guessed.
 */
export function generateApiKey(): { id: string; key: string; secretHash: string } {
  const id = randomBytes(9).toString('base64url');
  const secret = randomBytes(32).toString('base64url');
  return { id, key: `${PREFIX}_${id}_${secret}`, secretHash: hashSecret(secret) };
}

export function parseApiKey(key: string): { id: string; secret: string } | undefined {
  const m = /^csk_([A-Za-z0-9_-]{12})_([A-Za-z0-9_-]{43})$/.exec(key.trim());
  return m ? { id: m[1]!, secret: m[2]! } : undefined;
}

export function secretMatches(secret: string, storedHash: string): boolean {
  const a = Buffer.from(hashSecret(secret));
  const b = Buffer.from(storedHash);
  return a.length === b.length && timingSafeEqual(a, b);
}

function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('base64url');
}
