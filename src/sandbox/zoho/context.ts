import type { SandboxCrmContext } from '../kit/crm.js';
import type { OAuthServer } from '../kit/oauth.js';
import type { RateWindow } from '../kit/rate-window.js';
import type { WebhookHub } from '../kit/webhooks.js';
import type { ZohoLimits } from './limits.js';
import type { ZohoNotifications } from './notifications.js';
import type { ZohoStore } from './state.js';

/** What the route plugins share: the org's records, its OAuth server, limits and notification channels. */
export interface ZohoDeps {
  ctx: SandboxCrmContext;
  store: ZohoStore;
  oauth: OAuthServer;
  hub: WebhookHub;
  limits: ZohoLimits;
  notifications: ZohoNotifications;
  /** Refresh tokens handed out with the seeded account and revoked since (reset restores them). */
  seededRevoked: Set<string>;
  /** Zoho lets one refresh token mint at most 10 access tokens in 10 minutes. */
  refreshBurst: RateWindow;
}

/** What a route needs before it runs: the OAuth scope it falls under and what it costs in credits. */
export interface ZohoRouteConfig {
  scope: { family: 'modules' | 'settings' | 'users' | 'org' | 'coql' | 'notifications'; op: 'READ' | 'CREATE' | 'UPDATE' | 'DELETE' };
  /** Credits charged for the call; 1 when absent. */
  credits?: (body: unknown) => number;
}
