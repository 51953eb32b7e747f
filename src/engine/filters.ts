import type { ConnectionSettings } from '../domain/connection-settings.js';
import type { ClientBody } from '../domain/client.js';

/**
 * Why a client is not synced (PRODUCT.md Y6), or undefined when it is. A client with at
 * least one qualified or provisionally qualified conversation stays synced.
 */
export function skipReason(client: ClientBody, qualified: boolean, settings: ConnectionSettings): string | undefined {
  if (!settings.objects.contacts) return 'contacts are turned off for this connection';
  if (settings.syncQualifiedOnly && !qualified) return 'not qualified: the connection syncs qualified clients only';
  if (settings.segments.length && !client.segments.some((s) => settings.segments.includes(s))) {
    return `not in the chosen segments (${settings.segments.join(', ')})`;
  }
  return undefined;
}
