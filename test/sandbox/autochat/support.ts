import type { RunningSandbox } from '../../support/sandbox.js';

/** The seeded keys of docs/autochat-api.md. */
export const KEY = 'ac_live_4f9d2c7a1b8e4d6f9a0c3e5b7d1f2a4c';
export const KEY_ID = 'key_01HSYNC';
export const OTHER_KEY = 'ac_live_8b1e6d3f5a7c9e2b4d6f8a0c1e3b5d7f';

export interface Answer {
  status: number;
  headers: Headers;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

export async function ac(sb: RunningSandbox, method: string, path: string, body?: unknown, headers: Record<string, string> = {}, key: string | null = KEY): Promise<Answer> {
  const res = await fetch(`${sb.baseUrl('autochat')}${path}`, {
    method,
    headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null };
}
