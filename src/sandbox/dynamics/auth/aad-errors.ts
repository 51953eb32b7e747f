import { randomUUID } from 'node:crypto';

/**
 * Microsoft identity platform (Azure AD v2) error bodies: an OAuth error plus the
 * AADSTS code, trace and correlation ids, the way login.microsoftonline.com answers.
 */
export interface AadError {
  status: number;
  body: {
    error: string;
    error_description: string;
    error_codes: number[];
    timestamp: string;
    trace_id: string;
    correlation_id: string;
    error_uri: string;
  };
}

export function aadError(status: number, error: string, code: number, description: string, correlationId = randomUUID()): AadError {
  const traceId = randomUUID();
  const timestamp = new Date().toISOString().replace('T', ' ').replace(/\.\d{3}Z$/, 'Z');
  return {
    status,
    body: {
      error,
      error_description: `AADSTS${code}: ${description} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${timestamp}`,
      error_codes: [code],
      timestamp,
      trace_id: traceId,
      correlation_id: correlationId,
      error_uri: `https://login.microsoftonline.com/error?code=${code}`,
    },
  };
}

export const AAD = {
  missingParameter: (name: string) =>
    aadError(400, 'invalid_request', 900144, `The request body must contain the following parameter: '${name}'.`),
  tenantNotFound: (tenant: string) =>
    aadError(400, 'invalid_request', 90002,
      `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.`),
  /** Client credentials sent to `/organizations` or `/common`: an app acts in one tenant, which must be named. */
  noTenant: () =>
    aadError(400, 'invalid_request', 50059, 'No tenant-identifying information found in either the request or implied by any provided credentials.'),
  unknownApplication: (clientId: string, tenant: string) =>
    aadError(400, 'unauthorized_client', 700016,
      `Application with identifier '${clientId}' was not found in the directory '${tenant}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`),
  invalidSecret: (clientId: string) =>
    aadError(401, 'invalid_client', 7000215,
      `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`),
  missingSecret: () =>
    aadError(401, 'invalid_client', 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'."),
  unsupportedGrant: (grant: string) => aadError(400, 'unsupported_grant_type', 70003, `The app requested an unsupported grant type '${grant}'.`),
  expiredGrant: () =>
    aadError(400, 'invalid_grant', 70008,
      'The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.'),
  inactiveRefreshToken: (issuedAt: number) =>
    aadError(400, 'invalid_grant', 700082,
      `The refresh token has expired due to inactivity. The token was issued on ${new Date(issuedAt).toISOString()} and was inactive for 90.00:00:00.`),
  revokedGrant: () =>
    aadError(400, 'invalid_grant', 50173,
      'The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have changed or reset their password.'),
  malformedGrant: () => aadError(400, 'invalid_grant', 9002313, 'Invalid request. Request is malformed or invalid.'),
  codeRedeemed: () =>
    aadError(400, 'invalid_grant', 54005, 'OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.'),
  redirectMismatch: () =>
    aadError(400, 'invalid_grant', 70000, "The provided value for the 'redirect_uri' is not valid. The value must exactly match the redirect URI used to obtain the authorization code."),
  pkceMismatch: () =>
    aadError(400, 'invalid_grant', 501481, 'The Code_Verifier does not match the code_challenge supplied in the authorization request.'),
  scopeNotDefault: (scope: string) =>
    aadError(400, 'invalid_scope', 1002012,
      `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`),
  resourceNotFound: (resource: string, tenant: string) =>
    aadError(400, 'invalid_resource', 500011,
      `The resource principal named ${resource} was not found in the tenant named ${tenant}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.`),
};
