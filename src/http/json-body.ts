import type { FastifyInstance } from 'fastify';

/**
 * JSON bodies as Fastify parses them (prototype poisoning refused), except that an empty body
 * on a route that takes none is no body at all: clients and proxies often send
 * `Content-Type: application/json` with every request, DELETEs and body-less POSTs included.
 */
export function installJsonBodies(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    if (body === '' && !req.routeOptions.schema?.body) return done(null, undefined);
    parseJson(req, body as string, done);
  });
}
