/** The seeded account's fixed credentials, so a person can copy them from /sandbox/__control. */
export const CLIENT_ID = '1000.SANDBOXZOHOCRMCLIENT0000000001';
export const CLIENT_SECRET = 'sandbox0zoho0client0secret0000000000000001';
export const ALL_SCOPES = [
  'ZohoCRM.modules.ALL',
  'ZohoCRM.settings.ALL',
  'ZohoCRM.users.ALL',
  'ZohoCRM.org.ALL',
  'ZohoCRM.coql.READ',
  'ZohoCRM.notifications.ALL',
];
/** A refresh token of the admin user in the US data centre, as a Zoho self-client would hand out once. */
export const SEEDED_REFRESH_TOKEN = '1000.sandboxseededrefresh0000000000000000.us0000000000000000000001';
export const ACCESS_TOKEN_TTL_S = 3600;
