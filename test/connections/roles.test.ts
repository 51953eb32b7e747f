import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser } from '../../src/workspaces/users.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { TEST_DIALECTS } from '../support/stores.js';

interface Session {
  cookie: string;
  csrf: string;
}

describe.each(TEST_DIALECTS)('who may change connections, on %s', (dialect) => {
  let s: TestServer;
  let owner: Session;
  let member: Session;
  let token: string;

  async function signIn(email: string, password: string): Promise<Session> {
    const res = await fetch(`${s.origin}/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
    expect(res.status).toBe(200);
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    return { cookie: cookie.split(';')[0]!, csrf: ((await res.json()) as { csrfToken: string }).csrfToken };
  }

  const connect = (who: Session, csrf = who.csrf) =>
    fetch(`${s.origin}/v1/connections`, {
      method: 'POST',
      headers: { cookie: who.cookie, 'x-csrf-token': csrf, 'content-type': 'application/json' },
      body: JSON.stringify({ crm: 'hubspot', auth: { method: 'api_key', apiKey: token }, baseUrl: s.sandboxUrl('hubspot') }),
    });

  beforeAll(async () => {
    s = await startTestServer(dialect);
    token = (await s.account('hubspot')).credentials.privateAppToken!;
    owner = await signIn(s.workspace.adminEmail, s.workspace.adminPassword);
    const m = await addUser(s.t.store, { workspaceId: s.workspace.workspaceId, email: 'member@acme.io', role: 'member' });
    member = await signIn(m.email, m.password);
  }, 60_000);
  afterAll(() => s.close());

  it('refuses a wrong password without saying which part was wrong', async () => {
    const res = await fetch(`${s.origin}/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: s.workspace.adminEmail, password: 'nope' }) });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { message: string } }).error.message).toBe('The e-mail or the password is wrong');
  });

  it('lets a member see connections but not connect one (403, with what to do)', async () => {
    expect((await fetch(`${s.origin}/v1/connections`, { headers: { cookie: member.cookie } })).status).toBe(200);
    const res = await connect(member);
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/owner or a Settings Admin/);
  });

  it('refuses a state change from a session without its CSRF token', async () => {
    const res = await connect(owner, 'forged');
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/CSRF/);
  });

  it('lets the owner connect, and records who did it in the audit log', async () => {
    const res = await connect(owner);
    expect(res.status).toBe(201);
    const audit = await s.t.store.db.selectFrom('audit_log').selectAll().where('action', '=', 'connection.connected').execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.actor).toMatch(/^user:usr_/);
    expect(JSON.stringify(audit[0])).not.toContain(token);
  });

  it('asks for credentials when a request has none (401)', async () => {
    expect((await fetch(`${s.origin}/v1/connections`)).status).toBe(401);
  });

  it('signs out', async () => {
    const out = await fetch(`${s.origin}/v1/session`, { method: 'DELETE', headers: { cookie: owner.cookie, 'x-csrf-token': owner.csrf } });
    expect(out.status).toBe(204);
    expect((await fetch(`${s.origin}/v1/connections`, { headers: { cookie: owner.cookie } })).status).toBe(401);
  });
});
