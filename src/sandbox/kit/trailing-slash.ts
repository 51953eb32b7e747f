import type { FastifyInstance, RouteOptions } from 'fastify';

const TWIN = 'trailingSlashTwin';

/**
 * Answers each route registered after this call on its path with a trailing slash too, as the
 * vendor's API does (HubSpot's own SDK calls `GET /crm/v3/owners/`): the same handler, hooks and
 * config, so faults, limits and scopes apply alike. Fastify's `ignoreTrailingSlash` is a whole
 * server's router option; this keeps it to the fakes of vendors that answer so (Odoo does not).
 * Wildcard routes already match either way; HEAD twins come with their GET twins.
 */
export function answerTrailingSlash(app: FastifyInstance): void {
  app.addHook('onRoute', function (route) {
    const { url: _url, path: _path, routePath, prefix: _prefix, ...rest } = route as RouteOptions & { routePath: string; path: string; prefix: string };
    const config = (rest.config ?? {}) as Record<string, unknown>;
    if (rest.method === 'HEAD' || config[TWIN] || routePath === '' || routePath.endsWith('/') || routePath.includes('*')) return;
    // A fake that registers both spellings itself must register the one with the slash first.
    const methods = [rest.method].flat();
    if (methods.some((method) => this.hasRoute({ method, url: `${routePath}/` }))) return;
    this.route({ ...rest, url: `${routePath}/`, config: { ...config, [TWIN]: true } as RouteOptions['config'] });
  });
}
