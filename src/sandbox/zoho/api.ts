import type { FastifyInstance } from 'fastify';
import type { ZohoDeps } from './context.js';
import { DATA_CENTRES, DEFAULT_DC } from './data-centres.js';
import { installGuard } from './guard.js';
import { registerQueryRoutes } from './routes/query.js';
import { registerRecordRoutes } from './routes/records.js';
import { registerSettingsRoutes } from './routes/settings.js';
import { registerWatchRoutes } from './routes/watch.js';
import type { ZohoUser } from './state.js';
import type { WriteContext } from './writes.js';

/** The CRM API of every data centre: `/<dc>/crm/v8/...`, and the US one also at `/crm/v8/...`. */
export async function registerApi(app: FastifyInstance, deps: ZohoDeps): Promise<void> {
  const writeContext = (user: ZohoUser): WriteContext => ({
    store: deps.store,
    user,
    notify: (mod, op, ids, affected) => deps.notifications.emit(mod.api_name, op, ids, affected),
  });
  const mounts = [{ prefix: '', dc: DEFAULT_DC }, ...DATA_CENTRES.map((d) => ({ prefix: `/${d.location}`, dc: d.location }))];
  for (const { prefix, dc } of mounts) {
    await app.register(
      async (scope) => {
        installGuard(scope, deps, dc);
        await registerRecordRoutes(scope, deps, writeContext);
        await registerQueryRoutes(scope, deps);
        await registerSettingsRoutes(scope);
        await registerWatchRoutes(scope, deps, dc);
      },
      { prefix },
    );
  }
}
