import { describe, expect, it } from 'vitest';
import { retryAfter } from '../../src/connectors/http/classify.js';
import { expiresAt } from '../../src/connectors/http/oauth-token.js';

// Times are stored in bigint columns: PostgreSQL refuses 1796315809991.5 and fails the statement.
describe('times the CRM gives in fractions of a second', () => {
  it('a Retry-After of 1.0005 s waits a whole 1,001 ms', () => {
    expect(retryAfter('1.0005')).toBe(1_001);
    expect(retryAfter('0.0001')).toBe(1);
    expect(retryAfter('2')).toBe(2_000);
  });

  it('an expires_in of 3599.9 s ends on a whole millisecond', () => {
    expect(expiresAt('3599.9', 1_000)).toBe(1_000 + 3_599_900);
    expect(expiresAt(3599.0005, 1_000)).toBe(1_000 + 3_599_000);
  });
});
