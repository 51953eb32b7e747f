import type { FastifyInstance } from 'fastify';
import type { SandboxCrm, SandboxCrmContext } from './crm.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const SERVER_ERRORS = [500, 502, 503] as const;
const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export interface RequestCounts {
  requests: number;
  byStatus: Record<string, number>;
}

/**
 * Fault injection and counting for one fake CRM, as Fastify hooks: latency on every
 * request, 5xx answered before any state is touched, and writes that commit but
 * answer only after the client has given up (the uncertain outcome every connector
 * must reconcile).
 */
export function installFaults(app: FastifyInstance, crm: SandboxCrm, ctx: SandboxCrmContext, counts: () => RequestCounts): void {
  app.addHook('onRequest', async (req, reply) => {
    counts().requests++;
    const s = ctx.settings();
    if (s.latencyMs > 0) await sleep(s.latencyMs);
    let status: number | undefined;
    if (s.failNext > 0) {
      s.failNext--;
      status = 503;
    } else if (s.errorRate > 0 && ctx.random() < s.errorRate) {
      status = SERVER_ERRORS[Math.floor(ctx.random() * SERVER_ERRORS.length)];
    }
    if (status !== undefined) {
      return reply.code(status).send(crm.failure(status, 'The service is temporarily unavailable (injected by the sandbox)'));
    }
  });

  app.addHook('onSend', async (req, reply, payload) => {
    const s = ctx.settings();
    const write = crm.isWrite ? crm.isWrite(req) : WRITE_METHODS.has(req.method);
    if (s.timeoutRate > 0 && write && reply.statusCode < 400 && ctx.random() < s.timeoutRate) {
      await sleep(s.timeoutDelayMs);
    }
    return payload;
  });

  app.addHook('onResponse', async (_req, reply) => {
    const key = String(reply.statusCode);
    const c = counts();
    c.byStatus[key] = (c.byStatus[key] ?? 0) + 1;
  });
}
