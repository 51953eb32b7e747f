import { describe, expect, it } from 'vitest';
import { normalizeDomain, normalizeEmail, normalizePhone } from './contact-points.js';

describe('contact points', () => {
  it('normalises e-mails regardless of case and spaces', () => {
    expect(normalizeEmail('  Ana.Ruiz@ACME.io ')).toBe('ana.ruiz@acme.io');
    expect(normalizeEmail('not-an-email')).toBeUndefined();
    expect(normalizeEmail('a b@c.io')).toBeUndefined();
  });

  it('reads phones into E.164 with the default country', () => {
    expect(normalizePhone('+34 600 111 222', 'US')).toBe('+34600111222');
    expect(normalizePhone('600 111 222', 'ES')).toBe('+34600111222');
    expect(normalizePhone('0034 600-111-222', 'US')).toBe('+34600111222');
    expect(normalizePhone('(415) 555-0132', 'US')).toBe('+14155550132');
    expect(normalizePhone('hello', 'US')).toBeUndefined();
    expect(normalizePhone('12', 'US')).toBeUndefined();
  });

  it('reduces a company URL to its domain', () => {
    expect(normalizeDomain('https://www.Acme.io/about')).toBe('acme.io');
    expect(normalizeDomain('acme')).toBeUndefined();
  });
});
