import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERRORS, formatPath } from './errors.js';

describe('error table', () => {
  it('lists the same codes and statuses as docs/errors.md', () => {
    const doc = readFileSync(new URL('../docs/errors.md', import.meta.url), 'utf8');
    const documented = [...doc.matchAll(/^\| `([a-z_]+)` \| (\d{3}) \|/gm)].map((m) => [m[1], Number(m[2])]);
    const coded = Object.entries(ERRORS).map(([code, e]) => [code, e.status]);
    expect(documented.sort()).toEqual(coded.sort());
  });

  it('formats paths as an integrator reads them', () => {
    expect(formatPath(['clients', 3, 'emails', 0])).toBe('clients[3].emails[0]');
    expect(formatPath(['firstName'])).toBe('firstName');
  });
});
