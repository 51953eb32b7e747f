import type { ConnectionTarget, CrmConnection } from '../connectors/types.js';
import type { ErrorDetail } from '../errors.js';
import { publicHostProblem, resolveAll, type Resolve } from '../net/addresses.js';
import { isSandboxBase, isSandboxInstance, type SandboxOrigins } from './sandbox-origins.js';

export { isLoopback, isPrivateAddress } from '../net/addresses.js';

export interface TargetPolicy {
  /** The sandboxes a connection may point at; none when the sandbox is off and none is configured. */
  sandboxOrigins: SandboxOrigins;
  /** How host names are resolved (tests answer from a table). */
  resolve?: Resolve;
}

/**
 * Where a connection may point. Credentials are sent to these URLs, so a hostile or mistaken
 * URL must not receive them: instance URLs are https on the vendor's own domains and never a
 * private address; `baseUrl` (another root for every vendor host) is a sandbox's mount of
 * this very CRM and nothing else, so the server cannot be made to relay to other local
 * services. The same addresses are checked again on every request (connectors/http/destinations.ts).
 */
export async function checkTarget(crm: CrmConnection, target: ConnectionTarget, policy: TargetPolicy): Promise<ErrorDetail[]> {
  const problems: ErrorDetail[] = [];
  const origins = policy.sandboxOrigins();
  const example = `${origins[0] ?? 'http://127.0.0.1:3000'}/sandbox/${crm.id}`;
  if (target.baseUrl !== undefined) {
    const u = parseUrl(target.baseUrl);
    if (!u) problems.push({ path: 'baseUrl', message: 'must be a URL' });
    else if (origins.length === 0)
      problems.push({ path: 'baseUrl', message: 'may only point at the CRM sandbox, which is turned off (CRM_SYNC_SANDBOX=0) and not configured (CRM_SYNC_SANDBOX_URL)' });
    else if (!isSandboxBase(u, crm.id, origins)) problems.push({ path: 'baseUrl', message: `must be the sandbox's ${crm.id}, e.g. ${example}` });
  }
  if (target.instanceUrl !== undefined) {
    const u = parseUrl(target.instanceUrl);
    if (!u) problems.push({ path: 'instanceUrl', message: 'must be a URL such as https://acme.my.salesforce.com' });
    else if (isSandboxInstance(u, crm.id, origins)) {
      // The demo and the tests point instance URLs at the sandbox's fake of this CRM.
    } else if (u.protocol !== 'https:') problems.push({ path: 'instanceUrl', message: 'must use https' });
    else if (!crm.instanceHosts.some((h) => h.test(u.hostname)))
      problems.push({ path: 'instanceUrl', message: `${u.hostname} is not a ${crm.id} host` });
    else {
      const problem = await publicHostProblem(u.hostname, policy.resolve ?? resolveAll);
      if (problem) problems.push({ path: 'instanceUrl', message: problem });
    }
  }
  return problems;
}

function parseUrl(v: string): URL | undefined {
  try {
    const u = new URL(v);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u : undefined;
  } catch {
    return undefined;
  }
}
