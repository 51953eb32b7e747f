import type { RunningSandbox } from '../../support/sandbox.js';

export const API_KEY = '5a4db0c8e1f2a3b4c5d6e7f8091a2b3c4d5e6f70';
export const PASSWORD = 'sandbox-admin-password';

/** One JSON-2 call: POST /json/2/<model>/<method> with a bearer API key. */
export function json2(sb: RunningSandbox, model: string, method: string, body: Record<string, unknown> = {}, key = API_KEY) {
  return fetch(`${sb.baseUrl('odoo')}/json/2/${model}/${method}`, {
    method: 'POST',
    headers: { authorization: `bearer ${key}`, 'content-type': 'application/json', 'x-odoo-database': 'sandbox' },
    body: JSON.stringify(body),
  });
}

export async function ok<T = unknown>(res: Response): Promise<T> {
  if (res.status !== 200) throw new Error(`HTTP ${res.status}: ${await res.text()}`);
  return (await res.json()) as T;
}

/** One /jsonrpc call, as odoo's external RPC clients send it; `prefix` '/odoo17' asks the Odoo 17 mount. */
export async function rpc(sb: RunningSandbox, service: string, method: string, args: unknown[], prefix = '') {
  const res = await fetch(`${sb.baseUrl('odoo')}${prefix}/jsonrpc`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', method: 'call', params: { service, method, args }, id: 7 }),
  });
  return { status: res.status, body: (await res.json()) as { jsonrpc: string; id: number; result?: unknown; error?: { code: number; message: string; data: Record<string, unknown> } } };
}
