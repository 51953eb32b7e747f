import { PRIVATE_APP } from '../../../src/sandbox/hubspot/account.js';
import type { RunningSandbox } from '../../support/sandbox.js';

export interface ApiAnswer {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary vendor JSON
  body: any;
  headers: Headers;
}

/** A tiny HubSpot client over fetch, for the sandbox tests. */
export function hubspotApi(sb: RunningSandbox, token: string = PRIVATE_APP.accessToken) {
  const base = sb.baseUrl('hubspot');
  return async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiAnswer> {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
  };
}

export type HubSpotCall = ReturnType<typeof hubspotApi>;

export const note = (ts = '2025-03-01T10:00:00.000Z') => ({ hs_timestamp: ts, hs_note_body: 'Called about the renewal' });
