import Fastify from 'fastify';
import { mountSandbox } from './mount.js';
import { Sandbox } from './runtime.js';

/** Builds a server that serves only the sandbox (`crm-sync sandbox --port N`, and tests). */
export async function buildSandboxServer(options: { logger?: boolean } = {}) {
  const sandbox = new Sandbox();
  const app = Fastify({ logger: options.logger ?? false, bodyLimit: 10 * 1024 * 1024 });
  await mountSandbox(app, sandbox);
  return { app, sandbox };
}
