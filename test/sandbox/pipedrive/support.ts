import type { RunningSandbox } from '../../support/sandbox.js';

/** The seeded admin's personal API token and the seeded custom field keys (see docs/sandbox/pipedrive.md). */
export const ADMIN_TOKEN = '5f3c9e0d1a2b4c6d8e0f1a2b3c4d5e6f7a8b9c0d';
export const ERROR_INFO = 'Please check developers.pipedrive.com for more information about Pipedrive API.';

export interface Answer {
  status: number;
  headers: Headers;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

/** Calls the fake Pipedrive with the admin's api_token unless `token` says otherwise (null: no token). */
export async function pd(sb: RunningSandbox, method: string, path: string, body?: unknown, token: string | null = ADMIN_TOKEN): Promise<Answer> {
  const url = new URL(`${sb.baseUrl('pipedrive')}${path}`);
  if (token) url.searchParams.set('api_token', token);
  const res = await fetch(url, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null };
}

export const pdError = (error: string) => ({ success: false, error, error_info: ERROR_INFO, data: null, additional_data: null });

export async function customKey(sb: RunningSandbox, fieldsPath: string, name: string): Promise<{ key: string; options: { id: number; label: string }[] | null }> {
  const res = await pd(sb, 'GET', `/api/v1/${fieldsPath}`);
  const field = (res.body.data as { key: string; name: string; options: { id: number; label: string }[] | null }[]).find((f) => f.name === name);
  if (!field) throw new Error(`no field ${name}`);
  return field;
}
