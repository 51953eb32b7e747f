import { expect } from 'vitest';
import { CrmError } from '../../src/connectors/errors.js';
import type { CrmHttp, CrmRequest } from '../../src/connectors/http/client.js';
import type { OutboundContext, RecordOutcome } from '../../src/connectors/outbound.js';
import type { ConnectionTarget } from '../../src/connectors/types.js';

/** What a stubbed CRM answers one request with. */
export type Answer = { status?: number; body: unknown; headers?: Record<string, string> };

/** A context whose http answers from `answer` (no sandbox): for answers no well-behaved CRM gives. */
export function stubContext(apiBase: string, answer: (req: CrmRequest) => Answer, target: ConnectionTarget = {}): OutboundContext {
  const http: CrmHttp = (req) => {
    const a = answer(req);
    return Promise.resolve({ status: a.status ?? 200, headers: new Headers(a.headers), body: a.body });
  };
  return { http, apiBase, target, cache: new Map(), destination: {} } as unknown as OutboundContext;
}

/** The clear refusal of a malformed answer: a non-retryable CrmError naming the CRM and what was off. */
export function expectMalformed(err: unknown, crm: string, what: RegExp): void {
  expect(err).toBeInstanceOf(CrmError);
  const e = err as CrmError;
  expect(e.retryable).toBe(false);
  expect(e.message).toContain(crm);
  expect(e.message).toMatch(/unexpected shape/);
  expect(e.message).toMatch(what);
}

export function failureOf(o: RecordOutcome | undefined): unknown {
  if (!o || o.ok) throw new Error(`expected a failure, got ${JSON.stringify(o)}`);
  return o.error;
}

export const rejection = (p: Promise<unknown>) => p.then(
  (v) => {
    throw new Error(`expected a rejection, got ${JSON.stringify(v)}`);
  },
  (err: unknown) => err,
);
