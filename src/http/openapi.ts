import swagger from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';

/** Registers the OpenAPI generator; call before any route so every route is in the document. */
export async function registerOpenApi(app: FastifyInstance, publicUrl: string): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'crm-sync',
        version: '0.1.0',
        description: 'Push clients, companies and conversations (with their AI analysis) in; crm-sync keeps the connected CRMs in step.',
      },
      servers: [{ url: publicUrl }],
      components: { securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'A workspace API key: csk_...' } } },
      security: [{ apiKey: [] }],
    },
    transform: jsonSchemaTransform,
    // The fake CRMs speak their vendors' APIs, not ours.
    hideUntagged: true,
  });
}

export function registerOpenApiRoute(app: FastifyInstance): void {
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}
