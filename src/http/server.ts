import type { FastifyInstance } from 'fastify';
import { loadKeyring } from '../auth/secret-key.js';
import { Vault } from '../auth/vault.js';
import type { Config } from '../config/index.js';
import { createLogger } from '../logging.js';
import { Sandbox } from '../sandbox/mount.js';
import { Store } from '../store/store.js';
import { startDemo } from '../demo/demo.js';
import { buildApp } from './app.js';

export interface RunningServer {
  app: FastifyInstance;
  store: Store;
  url: string;
  close(): Promise<void>;
}

/** Opens the store, migrates it, and serves the API (and the sandbox when enabled). */
export async function startServer(config: Config): Promise<RunningServer> {
  const logger = createLogger(config.logLevel);
  const store = Store.open({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  const applied = await store.migrate();
  if (applied.length) logger.info({ applied }, 'database migrated');
  const keys = loadKeyring(config);
  const vault = new Vault(keys.current, keys.previous);
  const app = await buildApp({ store, vault, config, logger, sandbox: config.sandboxEnabled ? new Sandbox() : undefined });
  await app.listen({ host: config.host, port: config.port });
  app.syncWorker.start();
  const address = app.server.address();
  const port = address && typeof address === 'object' ? address.port : config.port;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  logger.info({ url, publicUrl: config.publicUrl, database: store.dialect, location: store.location, sandbox: config.sandboxEnabled }, 'crm-sync is listening');
  // The demo prints PUBLIC_URL, not the listening address: OAuth sends the browser back to
  // PUBLIC_URL, and a session cookie set at another origin (127.0.0.1 vs localhost) stays behind.
  const demo = await startDemo({ store, url: config.publicUrl, enabled: config.demo, wake: () => app.syncWorker.wake(), logger });
  return {
    app,
    store,
    url,
    close: async () => {
      demo.stop();
      await app.syncWorker.stop();
      await app.close();
      await store.close();
    },
  };
}
