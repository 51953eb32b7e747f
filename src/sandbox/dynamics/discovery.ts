import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { OAuthServer } from '../kit/oauth.js';
import { ADMIN_USER, ENVIRONMENT, ORGANIZATION_ID, ORGANIZATION_NAME, TENANT_ID } from './facts.js';

/**
 * The Global Discovery Service (https://globaldisco.crm.dynamics.com/api/discovery/v2.0/): the
 * environments a signed-in user can reach, as OData `Instances`. The sandbox has one environment
 * (itself), so the service answers at the sandbox's own root. Reads only: the whole set, one
 * instance by id or by `UniqueName='...'`, with `$select`.
 */
export function registerDiscovery(app: FastifyInstance, opts: { oauth: OAuthServer; instanceUrl(req: FastifyRequest): string }): void {
  const serve = (req: FastifyRequest, reply: FastifyReply) => {
    const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const access = opts.oauth.checkAccess(bearer);
    // The real service takes tokens for its own resource; the sandbox takes any token of its tenant.
    if (!access.ok) return reply.code(401).header('www-authenticate', `Bearer authorization_uri=${opts.instanceUrl(req)}/login/${TENANT_ID}/oauth2/authorize`).send();
    const { version, rest } = req.params as { version: string; rest?: string };
    if (version !== 'v2.0') return notFound(reply, `The version '${version}' of the discovery service does not exist; use v2.0.`);
    const base = `${opts.instanceUrl(req)}/api/discovery/v2.0`;
    const instance = instanceOf(opts.instanceUrl(req), access.token.userId);
    const select = (req.query as { $select?: string }).$select;
    const shaped = select ? pick(instance, select.split(',').map((s) => s.trim())) : instance;
    const key = /^Instances(?:\((.*)\))?$/.exec(rest ?? '');
    if (!key) return notFound(reply, `Resource not found for the segment '${rest ?? ''}'.`);
    reply.header('odata-version', '4.0').header('content-type', 'application/json; odata.metadata=minimal');
    if (key[1] === undefined) return reply.send({ '@odata.context': `${base}/$metadata#Instances${select ? `(${select})` : ''}`, value: [shaped] });
    const wanted = /^(?:Id=)?([0-9a-f-]{36})$/i.exec(key[1])?.[1] ?? /^UniqueName='(.*)'$/.exec(key[1])?.[1];
    if (wanted?.toLowerCase() !== instance.Id && wanted?.toLowerCase() !== instance.UniqueName) return notFound(reply, `No instance matches ${key[1]}.`);
    return reply.send({ '@odata.context': `${base}/$metadata#Instances/$entity`, ...shaped });
  };
  app.get('/api/discovery/:version/:rest', serve);
}

/** The sandbox environment as the Global Discovery Service describes one. */
function instanceOf(url: string, userId: string) {
  return {
    ApiUrl: url,
    DatacenterId: ENVIRONMENT.datacenterId,
    DatacenterName: null,
    EnvironmentId: ENVIRONMENT.environmentId,
    FriendlyName: ENVIRONMENT.friendlyName,
    Id: ORGANIZATION_ID,
    IsUserSysAdmin: userId === ADMIN_USER.id,
    LastUpdated: ENVIRONMENT.lastUpdated,
    OrganizationType: 0,
    Purpose: '',
    Region: ENVIRONMENT.region,
    SchemaType: 'Standard',
    State: 0,
    StatusMessage: 0,
    TenantId: TENANT_ID,
    TrialExpirationDate: null,
    UniqueName: ENVIRONMENT.uniqueName,
    UrlName: ORGANIZATION_NAME,
    Url: url,
    Version: ENVIRONMENT.version,
  };
}

function pick<T extends Record<string, unknown>>(o: T, names: string[]): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([k]) => names.includes(k))) as Partial<T>;
}

function notFound(reply: FastifyReply, message: string) {
  return reply.code(404).header('content-type', 'application/json').send({ error: { code: '0x80060888', message } });
}
