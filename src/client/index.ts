/** `crm-sync/client`: a typed client for the ingest API, API-key management and connections' sync progress. Runtime code here imports nothing from the server. */
export { CrmSyncClient, type CrmSyncClientOptions, type RequestOptions } from './client.js';
export { CrmSyncApiError, type ClientSideCode } from './errors.js';
export { CLIENT_ROUTES, type ClientRoute, type ClientRouteName } from './routes.js';
export type * from './types.js';
