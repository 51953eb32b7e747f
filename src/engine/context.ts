import { storedDailyQuota } from '../connections/daily-quota.js';
import type { AccessTokens } from '../connections/tokens.js';
import type { CrmHttp } from '../connectors/http/client.js';
import { connectionHttp, credentialsFor, failureByStatus } from '../connectors/http/resilient.js';
import { RateBudget } from '../connectors/http/rate-budget.js';
import type { OutboundContext } from '../connectors/outbound.js';
import { OUTBOUND } from '../connectors/outbound-registry.js';
import { connectionFacts } from '../connectors/registry.js';
import type { ConnectionTarget } from '../connectors/types.js';
import { ConnectionSettings } from '../domain/connection-settings.js';
import type { CrmId } from '../domain/crm.js';
import { createNotes } from '../store/create-notes.js';
import type { ConnectionTable } from '../store/schema.js';
import { readJson, type Store } from '../store/store.js';

/**
 * How the worker that holds a connection's lease reaches its CRM: authenticated, refreshed on
 * a 401, retried and paced by the connection's rate budget. Built once per lease, so the
 * budget and the connector's cache live as long as this worker drives the connection.
 */
export function outboundContext(store: Store, tokens: AccessTokens, base: CrmHttp, row: ConnectionTable): OutboundContext {
  const crm = row.crm as CrmId;
  const facts = connectionFacts(crm);
  const connector = OUTBOUND[crm];
  const target = readJson<ConnectionTarget>(row.target);
  const http = connectionHttp({
    crm,
    base,
    credentials: credentialsFor(tokens, facts, row.id, target),
    budget: new RateBudget({ crm, connectionId: row.id, quota: storedDailyQuota(store.db) }),
    // Connectors read their vendors' refusals themselves; the shared layer handles only what
    // retrying can fix, unless the connector knows better for its vendor.
    classify: (res) => {
      const own = connector?.classify?.(res);
      if (own === 'pass') return undefined;
      if (own) return own;
      return res.status === 401 || res.status === 429 || res.status >= 500 ? failureByStatus(crm)(res) : undefined;
    },
  });
  return { http, apiBase: facts.apiBase(target), target, cache: new Map(), destination: ConnectionSettings.parse(readJson(row.settings)).destination, ledger: createNotes(store.db, row.id) };
}
