import type { SandboxCrmFactory } from '../kit/crm.js';
import { SalesforceAuth } from './auth.js';
import { failureBody, registerSalesforceHttp } from './http.js';
import { ADMIN_USER_ID, API_VERSIONS, LATEST_VERSION, OAUTH_APP, ORG_ID, Org, SEEDED_SESSION_ID } from './org.js';
import { SOBJECTS } from './schema/index.js';

/**
 * The fake Salesforce: REST API (sObjects, describe, SOQL, sObject Collections,
 * Composite, limits) and OAuth 2 under one base URL, which is both the login URL
 * and the instance URL. No outbound webhooks: Salesforce's own (Outbound Messages,
 * Change Data Capture) are out of scope.
 */
export const createSalesforceSandbox: SandboxCrmFactory = (ctx) => {
  const org = new Org(ctx);
  const auth = new SalesforceAuth(org);
  return {
    id: 'salesforce',
    routes: async (app) => registerSalesforceHttp(app, org, auth),
    account: (baseUrl) => ({
      apiBaseUrl: `${baseUrl}/services/data/v${LATEST_VERSION}`,
      loginUrl: baseUrl,
      instanceUrl: baseUrl,
      apiVersions: [API_VERSIONS[0], LATEST_VERSION],
      auth: ['oauth', 'service'],
      oauth: {
        authorizeUrl: `${baseUrl}/services/oauth2/authorize`,
        tokenUrl: `${baseUrl}/services/oauth2/token`,
        revokeUrl: `${baseUrl}/services/oauth2/revoke`,
        userinfoUrl: `${baseUrl}/services/oauth2/userinfo`,
        clientId: OAUTH_APP.clientId,
        clientSecret: OAUTH_APP.clientSecret,
        scopes: ['api', 'refresh_token'],
        grantTypes: ['authorization_code', 'refresh_token', 'client_credentials'],
      },
      credentials: {
        organizationId: ORG_ID,
        clientId: OAUTH_APP.clientId,
        clientSecret: OAUTH_APP.clientSecret,
        /** A session id that never expires, for quick manual calls: Authorization: Bearer <sessionId>. */
        sessionId: SEEDED_SESSION_ID,
        runAsUserId: ADMIN_USER_ID,
      },
      users: org.users().map((u) => ({ id: u.id, email: u.email, name: u.name, active: u.active })),
      objects: SOBJECTS.map((o) => o.name),
    }),
    dump: () => Object.fromEntries(SOBJECTS.map((o) => [o.name, org.store.rows(o, true).map((r) => r.values)])),
    reset: () => {
      org.reset();
      auth.reset();
    },
    failure: failureBody,
    oauth: auth.oauth,
  };
};
