import type { AccessTokens } from '../connections/tokens.js';
import { CrmError } from '../connectors/errors.js';
import type { CrmHttp } from '../connectors/http/client.js';
import { OUTBOUND } from '../connectors/outbound-registry.js';
import type { CrmRef } from '../connectors/outbound.js';
import { ConnectionSettings } from '../domain/connection-settings.js';
import { CRM_NAMES, type CrmId } from '../domain/crm.js';
import { AppError } from '../errors.js';
import type { ConnectionTable } from '../store/schema.js';
import { readJson, type Store } from '../store/store.js';
import { LEAD_SOURCE } from './canonical.js';
import { outboundContext } from './context.js';

/**
 * Activation (PRODUCT.md K8): write a test record exactly as a sync would, so a wrong module,
 * field or permission shows now, in words, rather than on the first real client.
 */
export async function activate(deps: { store: Store; tokens: AccessTokens; http: CrmHttp }, row: ConnectionTable): Promise<{ record: CrmRef; removed: boolean }> {
  const crm = row.crm as CrmId;
  const connector = OUTBOUND[crm];
  if (!connector) throw new AppError('activation_failed', `Syncing to ${CRM_NAMES[crm]} is not available yet in this version of crm-sync.`);
  const settings = ConnectionSettings.parse(readJson(row.settings));
  const ctx = outboundContext(deps.store, deps.tokens, deps.http, row);
  try {
    if (connector.activate) return await connector.activate(ctx, settings.destination);
    const [outcome] = await connector.upsertContacts(ctx, [
      {
        contact: {
          clientId: `crm-sync-activation-test`,
          firstName: 'crm-sync',
          lastName: 'activation test',
          emails: ['activation-test@crm-sync.invalid'],
          phones: [],
          fallbackName: 'crm-sync activation test',
          properties: {},
          leadSource: settings.destination.leadSourceValue ?? LEAD_SOURCE,
        },
        allowCreate: true,
      },
    ]);
    if (!outcome?.ok) throw outcome?.error ?? new CrmError('unavailable', 'no answer');
    return { record: outcome.ref, removed: false };
  } catch (err) {
    if (err instanceof CrmError) throw new AppError('activation_failed', `Activation failed: ${err.message}`);
    throw err;
  }
}
