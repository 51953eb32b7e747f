import type { SandboxCrmContext } from '../kit/crm.js';
import { makeId } from './ids.js';
import { ApiUsage } from './limits.js';
import { QueryCursors } from './cursors.js';
import { sobject, type SObjectDef } from './schema/index.js';
import { OrgStore } from './store.js';

/**
 * The fake org: its id, seeded users and fixed credentials (so a person can copy them
 * from the control API), the records, open query cursors and the daily API allocation.
 */
export const ORG_ID = makeId('00D', 1_000_042);
export const API_VERSIONS = Array.from({ length: 45 }, (_, i) => `${i + 20}.0`); // 20.0 .. 64.0
export const LATEST_VERSION = API_VERSIONS.at(-1) as string;

export const OAUTH_APP = {
  clientId: '3MVG9crmSyncSandboxConsumerKey.q0Vd5Hk8m1ZtR4xYbN2fLpW7sJcE6uAiO3gTvQ',
  clientSecret: 'E1F0C2D3B4A5968778695A4B3C2D1E0F9A8B7C6D5E4F3A2B1C0D9E8F7A6B5C4D',
  name: 'crm-sync',
};

/** A session id as an admin would copy it from Setup; it does not expire, unlike OAuth tokens. */
export const SEEDED_SESSION_ID = `${ORG_ID.slice(0, 15)}!AQsandboxSessionIdForCrmSyncDoNotUseInProduction`;

export const SEEDED_USERS = [
  { FirstName: 'Ada', LastName: 'Admin', Email: 'admin@sandbox.crm-sync.test', Alias: 'aadmin', Title: 'System Administrator', IsActive: true },
  { FirstName: 'Sam', LastName: 'Seller', Email: 'sam.seller@sandbox.crm-sync.test', Alias: 'sseller', Title: 'Account Executive', IsActive: true },
  { FirstName: 'Rita', LastName: 'Former', Email: 'rita.former@sandbox.crm-sync.test', Alias: 'rformer', Title: 'Sales Rep', IsActive: false },
];

export const ADMIN_USER_ID = makeId('005', 1);

export class Org {
  readonly store = new OrgStore();
  readonly cursors = new QueryCursors();
  readonly usage = new ApiUsage();

  constructor(readonly ctx: SandboxCrmContext) {
    this.seed();
  }

  reset(): void {
    this.store.clear();
    this.cursors.clear();
    this.usage.reset();
    this.seed();
  }

  users(): { id: string; email: string; name: string; active: boolean; username: string }[] {
    return this.store.rows(sobject('User') as SObjectDef).map((r) => ({
      id: r.id,
      email: String(r.values.Email),
      name: String(r.values.Name),
      active: r.values.IsActive === true,
      username: String(r.values.Username),
    }));
  }

  private seed(): void {
    const user = sobject('User') as SObjectDef;
    for (const u of SEEDED_USERS) {
      this.store.insertRaw(
        user,
        { ...u, Username: u.Email, UserType: 'Standard', TimeZoneSidKey: 'Europe/Paris', LocaleSidKey: 'en_US', LanguageLocaleKey: 'en_US' },
        ADMIN_USER_ID,
      );
    }
  }
}
