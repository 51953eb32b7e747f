/**
 * Every route the client calls, as data: the client builds its URLs from this table and
 * a test checks each entry against the server's OpenAPI document.
 */
export const CLIENT_ROUTES = {
  putClient: { method: 'PUT', path: '/v1/clients/{clientId}' },
  getClient: { method: 'GET', path: '/v1/clients/{clientId}' },
  putCompany: { method: 'PUT', path: '/v1/companies/{companyId}' },
  getCompany: { method: 'GET', path: '/v1/companies/{companyId}' },
  putConversation: { method: 'PUT', path: '/v1/conversations/{conversationId}' },
  getConversation: { method: 'GET', path: '/v1/conversations/{conversationId}' },
  putDeal: { method: 'PUT', path: '/v1/deals/{dealId}' },
  getDeal: { method: 'GET', path: '/v1/deals/{dealId}' },
  addMessages: { method: 'POST', path: '/v1/conversations/{conversationId}/messages' },
  batch: { method: 'POST', path: '/v1/batch' },
  health: { method: 'GET', path: '/healthz' },
  listApiKeys: { method: 'GET', path: '/v1/api-keys' },
  createApiKey: { method: 'POST', path: '/v1/api-keys' },
  rotateApiKey: { method: 'POST', path: '/v1/api-keys/{id}/rotate' },
  revokeApiKey: { method: 'DELETE', path: '/v1/api-keys/{id}' },
  connectionProgress: { method: 'GET', path: '/v1/connections/{id}/progress' },
  listAudit: { method: 'GET', path: '/v1/audit' },
} as const satisfies Record<string, ClientRoute>;

export interface ClientRoute {
  method: 'GET' | 'PUT' | 'POST' | 'DELETE';
  /** OpenAPI style: `{name}` marks a path parameter. */
  path: string;
}

export type ClientRouteName = keyof typeof CLIENT_ROUTES;

/** Fills `{name}` placeholders with URL-encoded values (ids may hold `?`, `#`, `%`...). */
export function fillPath(path: string, params: Record<string, string>): string {
  return path.replace(/\{(\w+)\}/g, (_m, name: string) => {
    const value = params[name];
    if (value === undefined) throw new TypeError(`missing path parameter ${name}`);
    return encodeURIComponent(value);
  });
}
