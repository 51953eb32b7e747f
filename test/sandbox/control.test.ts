import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CRM_IDS } from '../../src/domain/crm.js';
import { startSandbox, type RunningSandbox } from '../support/sandbox.js';

describe('sandbox control API', () => {
  let sb: RunningSandbox;
  beforeAll(async () => {
    sb = await startSandbox();
  });
  afterAll(() => sb.close());

  it('lists all seven CRMs with their base URLs', async () => {
    const res = await fetch(`${sb.origin}/sandbox/__control`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { crms: Record<string, { baseUrl: string }> };
    expect(Object.keys(body.crms).sort()).toEqual([...CRM_IDS].sort());
    expect(body.crms.hubspot?.baseUrl).toBe(`${sb.origin}/sandbox/hubspot`);
  });

  it('validates settings and names the bad field', async () => {
    const res = await fetch(`${sb.origin}/sandbox/__control/settings`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ errorRate: 2 }),
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { details: { path: string }[] } };
    expect(body.error.details[0]?.path).toBe('errorRate');
  });

  it('injects a burst of 5xx for one CRM only, then recovers', async () => {
    await fetch(`${sb.origin}/sandbox/__control/settings`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ crm: 'hubspot', failNext: 2 }),
    });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await fetch(`${sb.baseUrl('hubspot')}/no-such-path`)).status);
    expect(statuses).toEqual([503, 503, 404]);
    expect((await fetch(`${sb.baseUrl('pipedrive')}/no-such-path`)).status).toBe(404);
  });

  it('rejects an unknown CRM name in a reset', async () => {
    const res = await fetch(`${sb.origin}/sandbox/__control/reset?crm=nope`, { method: 'POST' });
    expect(res.status).toBe(400);
  });

  it('serves an HTML index of the fake CRMs', async () => {
    const res = await fetch(`${sb.origin}/sandbox`);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(await res.text()).toContain('/sandbox/__view/hubspot');
  });
});
