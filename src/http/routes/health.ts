import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Store } from '../../store/store.js';

export async function healthRoutes(app: FastifyInstance, { store }: { store: Store }): Promise<void> {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/healthz',
    {
      schema: {
        tags: ['service'],
        summary: 'Liveness and database reachability',
        response: {
          200: z.object({ status: z.literal('ok'), database: z.enum(['sqlite', 'postgres']) }),
          503: z.object({ status: z.literal('unavailable'), database: z.enum(['sqlite', 'postgres']) }),
        },
      },
    },
    async (_req, reply) => {
      if (await store.ping()) return { status: 'ok' as const, database: store.dialect };
      return reply.code(503).send({ status: 'unavailable' as const, database: store.dialect });
    },
  );
}
