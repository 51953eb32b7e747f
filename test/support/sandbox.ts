import type { FastifyInstance } from 'fastify';
import type { CrmId } from '../../src/domain/crm.js';
import type { Sandbox } from '../../src/sandbox/runtime.js';
import { buildSandboxServer } from '../../src/sandbox/server.js';

export interface RunningSandbox {
  app: FastifyInstance;
  sandbox: Sandbox;
  /** e.g. http://127.0.0.1:41234 */
  origin: string;
  /** e.g. http://127.0.0.1:41234/sandbox/hubspot */
  baseUrl(crm: CrmId): string;
  close(): Promise<void>;
}

/** Starts the sandbox on a free loopback port, so clients talk to it over real HTTP. */
export async function startSandbox(): Promise<RunningSandbox> {
  const { app, sandbox } = await buildSandboxServer();
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('sandbox did not bind a TCP port');
  const origin = `http://127.0.0.1:${address.port}`;
  return {
    app,
    sandbox,
    origin,
    baseUrl: (crm) => `${origin}/sandbox/${crm}`,
    close: () => app.close(),
  };
}
