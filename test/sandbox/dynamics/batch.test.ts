import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startDataverse, type DataverseHarness } from './helpers.js';

/** Raw multipart/mixed batches, as the Dataverse docs show them. */
describe('Dataverse sandbox: $batch', () => {
  let h: DataverseHarness;
  beforeAll(async () => {
    h = await startDataverse();
  });
  afterAll(() => h.close());
  beforeEach(() => h.reset());

  const post = (lines: string[], prefer?: string) =>
    h.call('$batch', {
      method: 'POST',
      body: lines.join('\r\n'),
      headers: { 'content-type': 'multipart/mixed; boundary="batch_AAA123"', ...(prefer ? { prefer } : {}) },
    });

  const createPart = (set: string, body: unknown, contentId?: string) => [
    'Content-Type: application/http',
    'Content-Transfer-Encoding: binary',
    ...(contentId ? [`Content-ID: ${contentId}`] : []),
    '',
    `POST /api/data/v9.2/${set} HTTP/1.1`,
    'Content-Type: application/json; type=entry',
    '',
    JSON.stringify(body),
  ];

  it('runs a change set with Content-ID references and answers with a changesetresponse', async () => {
    const res = await post([
      '--batch_AAA123',
      'Content-Type: multipart/mixed; boundary=changeset_BBB456',
      '',
      '--changeset_BBB456',
      ...createPart('leads', { subject: 'Lead', lastname: 'From batch' }, '1'),
      '--changeset_BBB456',
      ...createPart('accounts', { name: 'Batch Co' }, '2'),
      '--changeset_BBB456',
      'Content-Type: application/http',
      'Content-Transfer-Encoding: binary',
      'Content-ID: 3',
      '',
      'PATCH $2 HTTP/1.1',
      'Content-Type: application/json',
      '',
      '{"description":"patched through $2"}',
      '--changeset_BBB456--',
      '--batch_AAA123',
      'Content-Type: application/http',
      'Content-Transfer-Encoding: binary',
      '',
      'GET /api/data/v9.2/accounts?$select=name,description HTTP/1.1',
      'Accept: application/json',
      '',
      '--batch_AAA123--',
      '',
    ]);
    expect(res.status).toBe(200);
    const type = res.headers.get('content-type')!;
    expect(type).toMatch(/^multipart\/mixed; boundary=batchresponse_[0-9a-f-]{36}$/);
    const text = await res.text();
    const boundary = type.split('boundary=')[1]!;
    expect(text.startsWith(`--${boundary}\r\nContent-Type: multipart/mixed; boundary=changesetresponse_`)).toBe(true);
    expect(text.match(/HTTP\/1\.1 204 No Content/g)).toHaveLength(3);
    expect(text).toMatch(/Content-ID: 1\r\n\r\nHTTP\/1\.1 204 No Content\r\nOData-Version: 4\.0\r\nLocation: http:\/\/[^\r]+\/leads\([0-9a-f-]{36}\)\r\nOData-EntityId: http:\/\/[^\r]+\/leads\(/);
    expect(text).toContain('HTTP/1.1 200 OK\r\nOData-Version: 4.0\r\nContent-Type: application/json; odata.metadata=minimal; odata.streaming=true');
    expect(text).toContain('"name":"Batch Co","description":"patched through $2"');
    expect(text.trimEnd().endsWith(`--${boundary}--`)).toBe(true);
  });

  it('rolls back a failed change set and stops at the first failure', async () => {
    const res = await post([
      '--batch_AAA123',
      'Content-Type: multipart/mixed; boundary=changeset_X',
      '',
      '--changeset_X',
      ...createPart('accounts', { name: 'Should vanish' }, '1'),
      '--changeset_X',
      ...createPart('tasks', { subject: 'x'.repeat(201) }, '2'),
      '--changeset_X--',
      '--batch_AAA123',
      ...createPart('accounts', { name: 'Never reached' }),
      '--batch_AAA123--',
    ]);
    expect(res.status).toBe(400);
    const text = await res.text();
    expect(text).not.toContain('changesetresponse_');
    expect(text).toContain(`{"error":{"code":"0x80044331","message":"A validation error occurred.  The length of the 'subject' attribute of the 'task' entity exceeded the maximum allowed length of '200'."}}`);
    const accounts = await h.json<{ value: unknown[] }>(await h.call('accounts?$select=name'));
    expect(accounts.value).toEqual([]);
  });

  it('continues after a failure with Prefer: odata.continue-on-error', async () => {
    const res = await post(
      ['--batch_AAA123', ...createPart('tasks', { subject: 'x'.repeat(201) }), '--batch_AAA123', ...createPart('tasks', { subject: 'Task 2' }), '--batch_AAA123--'],
      'odata.continue-on-error',
    );
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toContain('HTTP/1.1 400 Bad Request');
    expect(text).toContain('HTTP/1.1 204 No Content');
    const tasks = await h.json<{ value: { subject: string }[] }>(await h.call('tasks?$select=subject'));
    expect(tasks.value.map((t) => t.subject)).toEqual(['Task 2']);
  });

  it('refuses a reference to an undeclared Content-ID and batches over 1,000 requests', async () => {
    const ref = await post(['--batch_AAA123', 'Content-Type: multipart/mixed; boundary=cs', '', '--cs', ...createPart('phonecalls', { subject: 'c', 'regardingobjectid_account_phonecall@odata.bind': '$1' }, '2'), '--cs--', '--batch_AAA123--']);
    expect(ref.status).toBe(400);
    expect(await ref.text()).toContain("Content-ID Reference: '$1' does not exist in the batch context.");

    const lines: string[] = [];
    for (let i = 0; i < 1001; i++) lines.push('--batch_AAA123', 'Content-Type: application/http', 'Content-Transfer-Encoding: binary', '', 'GET /api/data/v9.2/WhoAmI HTTP/1.1', '');
    lines.push('--batch_AAA123--');
    const big = await post(lines);
    expect(big.status).toBe(400);
    expect(await h.json(big)).toEqual({ error: { code: '0x80060888', message: 'Number of requests in a batch request exceeded the limit of 1000. The batch has 1001 requests.' } });
  });
  it('a $batch of GETs only reads: the fault of writes answering late leaves it alone, a batch with a create not', async () => {
    await h.configure({ timeoutRate: 1, timeoutDelayMs: 1500 });
    const get = ['--batch_AAA123', 'Content-Type: application/http', 'Content-Transfer-Encoding: binary', '', 'GET /api/data/v9.2/leads?$select=leadid HTTP/1.1', 'Accept: application/json', '', ''];
    const timed = async (lines: string[]) => {
      const started = Date.now();
      const res = await post([...lines, '--batch_AAA123--', '']);
      expect(res.status).toBe(200);
      return Date.now() - started;
    };
    expect(await timed([...get, ...get])).toBeLessThan(1000);
    expect(await timed([...get, '--batch_AAA123', ...createPart('leads', { subject: 'Late', lastname: 'Late' })])).toBeGreaterThanOrEqual(1400);
    await h.configure({ timeoutRate: 0 });
  });
});
