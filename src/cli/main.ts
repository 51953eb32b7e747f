#!/usr/bin/env node
import { ConfigError, loadConfig } from '../config/index.js';
import { startServer } from '../http/server.js';
import { buildSandboxServer } from '../sandbox/mount.js';
import { Store } from '../store/store.js';
import { rotateKeys } from '../auth/rotate.js';
import { createWorkspace } from '../workspaces/create.js';
import { addUser, ROLES } from '../workspaces/users.js';
import { AppError } from '../errors.js';
import { API_KEYS_USAGE, apiKeysCommand } from './api-keys.js';
import { parseArgs, stringOption, UsageError, type ParsedArgs } from './args.js';

const USAGE = `crm-sync: keeps CRMs in step with your conversations

Usage:
  crm-sync serve                              run the HTTP API (and the sandbox CRMs unless CRM_SYNC_SANDBOX=0)
  crm-sync migrate                            bring the database schema up to date
  crm-sync workspace create <name> [--json] [--admin-email E] [--country CC]
                                              create a workspace, its owner and an API key (shown once)
  crm-sync user add <email> --workspace W [--role owner|settings_admin|member] [--json]
                                              add a person to a workspace (password shown once)
${API_KEYS_USAGE}
  crm-sync keys rotate                        re-seal every stored credential with a new vault key
                                              (the credential vault's key, not an API key)
  crm-sync sandbox [--port N] [--host H]      serve only the seven fake CRMs (default port 4010)

Configuration comes from environment variables; see README.md.`;

async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  const [command, sub, ...rest] = args.positionals;
  switch (command) {
    case 'serve':
      return serve();
    case 'migrate':
      return migrate();
    case 'workspace':
      if (sub === 'create') return workspaceCreate(args, rest);
      throw new UsageError(`unknown workspace command ${JSON.stringify(sub ?? '')}`);
    case 'user':
      if (sub === 'add') return userAdd(args, rest);
      throw new UsageError(`unknown user command ${JSON.stringify(sub ?? '')}`);
    case 'keys':
      if (sub === 'rotate') return keysRotate();
      throw new UsageError(`unknown keys command ${JSON.stringify(sub ?? '')}`);
    case 'api-keys':
      return withStore((store) => apiKeysCommand(store, sub, args, rest));
    case 'sandbox':
      return sandbox(args);
    case undefined:
    case 'help':
      console.log(USAGE);
      return 0;
    default:
      throw new UsageError(`unknown command ${JSON.stringify(command)}`);
  }
}

async function serve(): Promise<number> {
  const server = await startServer(loadConfig());
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await server.close();
  return 0;
}

function openStore(): Store {
  const config = loadConfig();
  return Store.open({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
}

async function withStore(fn: (store: Store) => Promise<number>): Promise<number> {
  const store = openStore();
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

async function migrate(): Promise<number> {
  const store = openStore();
  try {
    const applied = await store.migrate();
    console.log(applied.length ? `applied: ${applied.join(', ')}` : 'the schema is up to date');
  } finally {
    await store.close();
  }
  return 0;
}

async function workspaceCreate(args: ParsedArgs, names: string[]): Promise<number> {
  const name = names.join(' ').trim();
  if (!name) throw new UsageError('workspace create needs a name');
  const country = stringOption(args, 'country');
  if (country !== undefined && !/^[A-Za-z]{2}$/.test(country)) throw new UsageError('--country takes a two-letter country code such as ES');
  const store = openStore();
  try {
    await store.migrate();
    const created = await createWorkspace(store, { name, adminEmail: stringOption(args, 'admin-email'), defaultCountry: country });
    if (args.options.has('json')) console.log(JSON.stringify(created));
    else
      console.log(
        `Workspace ${created.workspaceId} created.\n  admin e-mail:    ${created.adminEmail}\n  admin password:  ${created.adminPassword}\n  API key:         ${created.apiKey}\nThe password and the key are shown only now.`,
      );
  } finally {
    await store.close();
  }
  return 0;
}

async function userAdd(args: ParsedArgs, emails: string[]): Promise<number> {
  const [email] = emails;
  const workspaceId = stringOption(args, 'workspace');
  const role = (stringOption(args, 'role') ?? 'member') as (typeof ROLES)[number];
  if (!email || !workspaceId) throw new UsageError('user add needs an e-mail and --workspace');
  if (!ROLES.includes(role)) throw new UsageError(`--role is one of ${ROLES.join(', ')}`);
  const store = openStore();
  try {
    await store.migrate();
    const user = await addUser(store, { workspaceId, email, role }).catch((err: Error) => {
      throw new UsageError(err.message);
    });
    if (args.options.has('json')) console.log(JSON.stringify({ ...user, role, workspaceId }));
    else console.log(`${user.email} added as ${role}.\n  password: ${user.password}\nThe password is shown only now.`);
  } finally {
    await store.close();
  }
  return 0;
}

async function keysRotate(): Promise<number> {
  const config = loadConfig();
  const store = Store.open({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    await store.migrate();
    const r = await rotateKeys(store, config);
    console.log(`re-sealed ${r.resealed} credential(s) with key ${r.keyId}; restart running crm-sync processes so they load it`);
  } finally {
    await store.close();
  }
  return 0;
}

async function sandbox(args: ParsedArgs): Promise<number> {
  const port = Number(stringOption(args, 'port') ?? 4010);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError('--port takes a port number');
  const host = stringOption(args, 'host') ?? '127.0.0.1';
  const { app } = await buildSandboxServer();
  await app.listen({ host, port });
  console.log(`CRM sandbox listening on http://${host}:${port}/sandbox (credentials: /sandbox/__control)`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await app.close();
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof UsageError) console.error(`crm-sync: ${err.message}\n\n${USAGE}`);
    else if (err instanceof ConfigError) console.error(err.message);
    else if (err instanceof AppError) console.error(`crm-sync: ${err.message}`);
    else console.error(err);
    process.exit(err instanceof UsageError ? 2 : 1);
  },
);
