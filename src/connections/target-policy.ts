import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { ConnectionTarget, CrmConnection } from '../connectors/types.js';
import type { ErrorDetail } from '../errors.js';

/**
 * Where a connection may point. Credentials are sent to these URLs, so a hostile or mistaken
 * URL must not receive them: instance URLs are https on the vendor's own domains and never a
 * private address; `baseUrl` (another root for every vendor host) is for the local sandbox only.
 */
export async function checkTarget(
  crm: CrmConnection,
  target: ConnectionTarget,
  options: { sandboxEnabled: boolean },
): Promise<ErrorDetail[]> {
  const problems: ErrorDetail[] = [];
  if (target.baseUrl !== undefined) {
    const u = parseUrl(target.baseUrl);
    if (!u) problems.push({ path: 'baseUrl', message: 'must be a URL' });
    else if (!options.sandboxEnabled)
      problems.push({ path: 'baseUrl', message: 'may only point at the local CRM sandbox, which is turned off (CRM_SYNC_SANDBOX=0)' });
    else if (!isLoopback(u.hostname) || !/\/sandbox\/[a-z]+\/?$/.test(u.pathname))
      problems.push({ path: 'baseUrl', message: `must be the local sandbox, e.g. http://127.0.0.1:3000/sandbox/${crm.id}` });
  }
  if (target.instanceUrl !== undefined) {
    const u = parseUrl(target.instanceUrl);
    if (!u) problems.push({ path: 'instanceUrl', message: 'must be a URL such as https://acme.my.salesforce.com' });
    else if (options.sandboxEnabled && isLoopback(u.hostname)) {
      // The demo and the tests point instance URLs at the sandbox on loopback.
    } else if (u.protocol !== 'https:') problems.push({ path: 'instanceUrl', message: 'must use https' });
    else if (!crm.instanceHosts.some((h) => h.test(u.hostname)))
      problems.push({ path: 'instanceUrl', message: `${u.hostname} is not a ${crm.id} host` });
    else if (await resolvesPrivate(u.hostname)) problems.push({ path: 'instanceUrl', message: `${u.hostname} is a private or local address` });
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

export function isLoopback(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127\./.test(h);
}

/** 10/8, 172.16/12, 192.168/16, 169.254/16 (cloud metadata), 100.64/10, loopback, and IPv6 local ranges. */
export function isPrivateAddress(address: string): boolean {
  const a = address.replace(/^\[|\]$/g, '').toLowerCase();
  if (isIP(a) === 4) {
    const [x, y] = a.split('.').map(Number) as [number, number];
    return x === 10 || x === 127 || x === 0 || (x === 172 && y >= 16 && y <= 31) || (x === 192 && y === 168) || (x === 169 && y === 254) || (x === 100 && y >= 64 && y <= 127);
  }
  if (isIP(a) === 6) return a === '::1' || a === '::' || a.startsWith('fc') || a.startsWith('fd') || a.startsWith('fe80') || a.startsWith('::ffff:');
  return a === 'localhost';
}

async function resolvesPrivate(hostname: string): Promise<boolean> {
  if (isIP(hostname.replace(/^\[|\]$/g, ''))) return isPrivateAddress(hostname);
  try {
    const addresses = await lookup(hostname, { all: true });
    return addresses.some((a) => isPrivateAddress(a.address));
  } catch {
    // Unresolvable now: the connection test will report it; it is not a private address we know of.
    return false;
  }
}
