import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * Secrets at rest: AES-256-GCM, each value under a random 96-bit IV, bound to what it
 * belongs to (associated data, e.g. the connection id) so a ciphertext copied onto another
 * row does not decrypt. The key id travels with the ciphertext, so keys can rotate: a vault
 * holds the current key and any previous ones, decrypts with whichever the value names and
 * always encrypts with the current one.
 *
 * Format: `v1.<keyId>.<iv>.<ciphertext>.<tag>` (base64url parts).
 */
export class Vault {
  private readonly keys = new Map<string, Buffer>();
  readonly currentKeyId: string;

  constructor(current: Buffer, previous: Buffer[] = []) {
    for (const key of [current, ...previous]) {
      if (key.length !== 32) throw new Error('vault keys must be 32 bytes');
      this.keys.set(keyId(key), key);
    }
    this.currentKeyId = keyId(current);
  }

  encrypt(plaintext: string, boundTo: string): string {
    const key = this.keys.get(this.currentKeyId)!;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(Buffer.from(boundTo, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return ['v1', this.currentKeyId, iv.toString('base64url'), ciphertext.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.');
  }

  decrypt(sealed: string, boundTo: string): string {
    const [version, id, iv, ciphertext, tag] = sealed.split('.');
    if (version !== 'v1' || !id || iv === undefined || ciphertext === undefined || tag === undefined) throw new VaultError('not a sealed value');
    const key = this.keys.get(id);
    if (!key) throw new VaultError(`sealed with key ${id}, which this server does not have (set it as a previous key)`);
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(boundTo, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    try {
      return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
    } catch {
      throw new VaultError('the sealed value was altered or belongs to another record');
    }
  }

  sealJson(value: unknown, boundTo: string): string {
    return this.encrypt(JSON.stringify(value), boundTo);
  }

  openJson<T>(sealed: string, boundTo: string): T {
    return JSON.parse(this.decrypt(sealed, boundTo)) as T;
  }

  /** Which key sealed a value (for rotation). */
  static keyIdOf(sealed: string): string | undefined {
    return sealed.split('.')[1];
  }
}

export class VaultError extends Error {
  override name = 'VaultError';
}

/** A short public fingerprint of a key: never the key itself. */
export function keyId(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 12);
}
