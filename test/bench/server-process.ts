import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';

const ROOT = join(import.meta.dirname, '../..');
const TICKS_PER_SECOND = 100; // getconf CLK_TCK on Linux

/** How to run `crm-sync`: through tsx from the sources, or the build in dist/. */
export function cliCommand(useDist: boolean, extraNodeArgs: string[] = []): string[] {
  return useDist ? [...extraNodeArgs, join(ROOT, 'dist/cli/main.js')] : [...extraNodeArgs, '--import', 'tsx', join(ROOT, 'src/cli/main.ts')];
}

/** A port nobody listens on now (the CLI has no "any port" mode that reports the one it took). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address !== 'object') throw new Error('no port');
  return address.port;
}

export interface NewWorkspace {
  workspaceId: string;
  apiKey: string;
  /** The owner's sign-in, for the OAuth dance (a browser session finishes it). */
  adminEmail: string;
  adminPassword: string;
}

/** `crm-sync workspace create --json` in its own process, as an operator would, while the server runs. */
export async function createWorkspaceByCli(env: NodeJS.ProcessEnv, useDist: boolean): Promise<NewWorkspace> {
  const { stdout } = await promisify(execFile)(process.execPath, [...cliCommand(useDist), 'workspace', 'create', 'Benchmark', '--json', '--country', 'ES'], {
    cwd: ROOT,
    env,
  });
  return JSON.parse(stdout) as NewWorkspace;
}

/** `crm-sync serve` in a child process, so the load generator does not share its event loop. */
export class ServerProcess {
  private output = '';

  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
  ) {
    child.stdout?.on('data', (d: Buffer) => this.keep(d));
    child.stderr?.on('data', (d: Buffer) => this.keep(d));
  }

  static async start(env: NodeJS.ProcessEnv, options: { useDist: boolean; nodeArgs?: string[] }): Promise<ServerProcess> {
    const port = await freePort();
    const child = spawn(process.execPath, [...cliCommand(options.useDist, options.nodeArgs), 'serve'], {
      cwd: ROOT,
      env: { ...env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', CRM_SYNC_SANDBOX: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const server = new ServerProcess(child, `http://127.0.0.1:${port}`);
    await server.waitUntilHealthy(60_000);
    return server;
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** The most memory the server has held (VmHWM), in MiB. */
  peakRssMiB(): number {
    const m = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${this.pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  }

  /** CPU seconds the server has used so far (user + system). */
  cpuSeconds(): number {
    const stat = readFileSync(`/proc/${this.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  }

  /** SIGTERM, as an operator would; the server closes its store and exits (and writes its CPU profile). */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  }

  private async waitUntilHealthy(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.child.exitCode !== null) throw new Error(`the server exited with ${this.child.exitCode}:\n${this.output}`);
      try {
        if ((await fetch(`${this.url}/healthz`)).ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    await this.stop();
    throw new Error(`the server did not answer /healthz within ${timeoutMs} ms:\n${this.output}`);
  }

  private keep(d: Buffer): void {
    // Warnings are worth showing after the run; keep the last 20 kB.
    this.output = (this.output + d.toString()).slice(-20_000);
  }

  get log(): string {
    return this.output;
  }
}
