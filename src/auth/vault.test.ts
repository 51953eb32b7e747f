import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Vault } from './vault.js';

describe('vault', () => {
  const k1 = randomBytes(32);
  const k2 = randomBytes(32);

  it('round-trips a secret and never shows it in the sealed form', () => {
    const v = new Vault(k1);
    const sealed = v.encrypt('pat-na1-secret', 'conn-1');
    expect(sealed).not.toContain('pat-na1-secret');
    expect(v.decrypt(sealed, 'conn-1')).toBe('pat-na1-secret');
    expect(v.encrypt('same', 'c')).not.toBe(v.encrypt('same', 'c'));
  });

  it('refuses a value moved to another record or altered', () => {
    const v = new Vault(k1);
    const sealed = v.encrypt('secret', 'conn-1');
    expect(() => v.decrypt(sealed, 'conn-2')).toThrow(/altered or belongs to another record/);
    const parts = sealed.split('.');
    parts[3] = Buffer.from('tampered').toString('base64url');
    expect(() => v.decrypt(parts.join('.'), 'conn-1')).toThrow();
  });

  it('decrypts with a previous key after rotation and seals with the new one', () => {
    const old = new Vault(k1).encrypt('secret', 'c');
    const rotated = new Vault(k2, [k1]);
    expect(rotated.decrypt(old, 'c')).toBe('secret');
    expect(Vault.keyIdOf(rotated.encrypt('secret', 'c'))).toBe(rotated.currentKeyId);
    expect(() => new Vault(k2).decrypt(old, 'c')).toThrow(/which this server does not have/);
  });
});
