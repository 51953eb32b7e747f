import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { freePort } from '../support/server.js';
import type { TestStore } from '../support/stores.js';

const run = promisify(execFile);
const CLI = ['--import', 'tsx', 'src/cli/main.ts'];
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * crm-sync as an operator runs it: a separate `node` process over a store the test also
 * opens, so the test can kill it with SIGKILL and start another on the same data.
 */
export class ServeProcess {
  private child: ChildProcess | undefined;
  private output = '';
  /** Shared by every process on the store (PostgreSQL needs it in the environment; SQLite keeps it in its data dir). */
  private readonly secretKey = randomBytes(32).toString('hex');

  private constructor(
    private readonly location: TestStore['location'],
    readonly port: number,
  ) {}

  static async on(location: TestStore['location']): Promise<ServeProcess> {
    return new ServeProcess(location, await freePort());
  }

  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  private env(): NodeJS.ProcessEnv {
    const { dataDir, databaseUrl } = this.location;
    return {
      ...process.env,
      NODE_ENV: 'test',
      PORT: String(this.port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      CRM_SYNC_SANDBOX: '1',
      ...(databaseUrl ? { DATABASE_URL: databaseUrl, CRM_SYNC_SECRET_KEY: this.secretKey } : { CRM_SYNC_DATA_DIR: dataDir }),
    };
  }

  /** `crm-sync workspace create --json`: the workspace and its admin API key. */
  async createWorkspace(name: string): Promise<{ workspaceId: string; apiKey: string }> {
    const { stdout } = await run(process.execPath, [...CLI, 'workspace', 'create', name, '--json', '--country', 'ES'], { env: this.env(), cwd: ROOT });
    return JSON.parse(stdout) as { workspaceId: string; apiKey: string };
  }

  /** `crm-sync serve`, resolved once /healthz answers. */
  async start(): Promise<void> {
    this.output = '';
    const child = spawn(process.execPath, [...CLI, 'serve'], { env: this.env(), cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    child.stdout!.on('data', (d: Buffer) => (this.output += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (this.output += d.toString()));
    const started = Date.now();
    for (;;) {
      if (child.exitCode !== null) throw new Error(`crm-sync serve exited with ${child.exitCode}:\n${this.output}`);
      const up = await fetch(`${this.origin}/healthz`).then(
        (r) => r.ok,
        () => false,
      );
      if (up) return;
      if (Date.now() - started > 60_000) throw new Error(`crm-sync serve did not come up:\n${this.output}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** `kill -9`: no shutdown hook runs, leases stay taken, requests in flight are cut. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
  }

  /** A clean stop (SIGTERM), for the end of a test. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
    if (child.exitCode === null && child.signalCode === null) await this.kill();
  }

  /** What the process wrote (warnings and errors only, at LOG_LEVEL=warn). */
  get log(): string {
    return this.output;
  }
}
