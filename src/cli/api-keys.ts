import { API_KEY_SCOPES } from '../auth/api-keys.js';
import { formatPath } from '../errors.js';
import { KEY_CACHE_MS } from '../http/auth.js';
import type { Store } from '../store/store.js';
import { findWorkspace } from '../store/workspaces.js';
import { CreateApiKeyBody, MAX_GRACE_SECONDS, type ApiKeyView } from '../workspaces/api-key-view.js';
import { createKey, listKeys, revokeKey, rotateKey } from '../workspaces/api-keys.js';
import { stringOption, UsageError, type ParsedArgs } from './args.js';

/** A serving process keeps a key's row this long; the CLI cannot make it forget sooner. */
const SECONDS = KEY_CACHE_MS / 1000;

/** The CLI's changes are audited as `cli`: whoever runs it can already read the database. */
const ACTOR = 'cli';

export const API_KEYS_USAGE = `  crm-sync api-keys list --workspace W [--json]
                                              the workspace's API keys (never their secrets)
  crm-sync api-keys create <name> --workspace W --scopes ingest,admin [--json]
                                              create a key (shown once); admin does not include ingest
  crm-sync api-keys rotate <id> --workspace W [--grace-seconds N] [--json]
                                              a new key with the same name and scopes; the old one stops
                                              at once, or after N seconds (at most ${MAX_GRACE_SECONDS})
  crm-sync api-keys revoke <id> --workspace W [--json]
                                              stop a key (running servers refuse it within ${SECONDS} seconds)`;

/** `crm-sync api-keys ...`; `crm-sync keys rotate` is the vault's secret key, not these. */
export async function apiKeysCommand(store: Store, sub: string | undefined, args: ParsedArgs, rest: string[]): Promise<number> {
  const workspaceId = stringOption(args, 'workspace');
  if (!['list', 'create', 'rotate', 'revoke'].includes(sub ?? '')) throw new UsageError(`unknown api-keys command ${JSON.stringify(sub ?? '')}`);
  if (!workspaceId) throw new UsageError(`api-keys ${sub} needs --workspace`);
  const json = args.options.has('json');
  await store.migrate();
  if (!(await findWorkspace(store.db, workspaceId))) throw new UsageError(`no workspace ${workspaceId}`);
  switch (sub) {
    case 'list': {
      const keys = await listKeys(store, workspaceId);
      console.log(json ? JSON.stringify(keys) : keys.map(describe).join('\n') || 'no API keys');
      return 0;
    }
    case 'create': {
      const parsed = CreateApiKeyBody.safeParse({ name: rest.join(' '), scopes: (stringOption(args, 'scopes') ?? '').split(',').map((s) => s.trim()).filter(Boolean) });
      if (!parsed.success) throw new UsageError(parsed.error.issues.map((i) => `${i.path[0] === 'scopes' ? '--scopes' : 'name'}${formatPath(i.path.slice(1)) ? ` ${formatPath(i.path.slice(1))}` : ''}: ${i.message}`).join('; ') + ` (scopes: ${API_KEY_SCOPES.join(', ')})`);
      const created = await createKey(store, workspaceId, ACTOR, parsed.data);
      console.log(json ? JSON.stringify(created) : `${describe(created)}\n  key: ${created.key}\nThe key is shown only now.`);
      return 0;
    }
    case 'rotate': {
      const grace = Number(stringOption(args, 'grace-seconds') ?? 0);
      if (!Number.isInteger(grace) || grace < 0 || grace > MAX_GRACE_SECONDS) throw new UsageError(`--grace-seconds takes a whole number from 0 to ${MAX_GRACE_SECONDS}`);
      const created = await rotateKey(store, workspaceId, ACTOR, oneId(rest, 'rotate'), grace);
      console.log(json ? JSON.stringify(created) : `${describe(created)}\n  key: ${created.key}\nThe key is shown only now. The old key ${grace ? `stops in ${grace} s` : 'has stopped'}; running servers notice within ${SECONDS} seconds.`);
      return 0;
    }
    default: {
      const revoked = await revokeKey(store, workspaceId, ACTOR, oneId(rest, 'revoke'));
      console.log(json ? JSON.stringify(revoked) : `${describe(revoked)}\nRunning servers refuse it within ${SECONDS} seconds.`);
      return 0;
    }
  }
}

function oneId(rest: string[], sub: string): string {
  if (rest.length !== 1) throw new UsageError(`api-keys ${sub} needs one key id (see api-keys list)`);
  return rest[0]!;
}

function describe(k: ApiKeyView): string {
  const state = k.revokedAt === null ? 'active' : Date.parse(k.revokedAt) > Date.now() ? `stops ${k.revokedAt}` : `revoked ${k.revokedAt}`;
  return `${k.id}  ${k.name}  [${k.scopes.join(', ')}]  ${state}  created ${k.createdAt}${k.createdBy ? ` by ${k.createdBy}` : ''}  last used ${k.lastUsedAt ?? 'never'}`;
}
