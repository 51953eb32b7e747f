import { describe, expect, it } from 'vitest';
import { normalizeDomain, normalizeEmail, normalizePhone } from './contact-points.js';

describe('contact points', () => {
  it('normalises e-mails regardless of case and spaces', () => {
    expect(normalizeEmail('  Ana.Ruiz@ACME.io ')).toBe('ana.ruiz@acme.io');
    expect(normalizeEmail('not-an-email')).toBeUndefined();
    expect(normalizeEmail('a b@c.io')).toBeUndefined();
  });

  it('accepts the addresses CRMs accept, with any of the RFC 5322 atext characters before the @', () => {
    for (const ok of ['ana@acme.io', "o'neil+crm@mail.acme.co.uk", 'a.b-c_d@x-y.io', 'admin+x@acme-sales.crm-sync.local', '#!$%&*/=?^`{|}~@acme.io']) {
      expect([ok, normalizeEmail(ok)]).toEqual([ok, ok.toLowerCase()]);
    }
  });

  it('refuses what no CRM stores as an e-mail: a backslash, non-ASCII, stray dots, a bad domain', () => {
    for (const bad of ['éana@acme.io\\', 'ana@acme.io\\', 'éana@acme.io', 'ana@acmé.io', 'a\\b@acme.io', '"a b"@acme.io', 'ana..ruiz@acme.io', '.ana@acme.io', 'ana.@acme.io', 'ana@acme..io', 'ana@-acme.io', 'ana@acme-.io', 'ana@acme.i', 'ana@acme.123', 'ana@acme', 'ana@@acme.io', 'a(b)@acme.io', 'ana@acme.io,', 'ana@[127.0.0.1]', `${'a'.repeat(65)}@acme.io`, `ana@${'a'.repeat(64)}.io`]) {
      expect([bad, normalizeEmail(bad)]).toEqual([bad, undefined]);
    }
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
