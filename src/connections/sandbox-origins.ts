import { canonicalIp } from '../net/addresses.js';

/**
 * Where a sandbox may be: this server's own origin (when it mounts the sandbox) and any
 * sandbox the operator named (CRM_SYNC_SANDBOX_URL). A function, since the listening port is
 * known only once the server listens.
 */
export type SandboxOrigins = () => readonly string[];

/** Same scheme, port and host; hosts that are IPs compare as parsed addresses, names as lower-case names. */
export function sameOrigin(a: URL, b: URL): boolean {
  if (a.protocol !== b.protocol || a.port !== b.port) return false;
  const ipA = canonicalIp(a.hostname);
  const ipB = canonicalIp(b.hostname);
  if (ipA !== undefined || ipB !== undefined) return ipA === ipB;
  return a.hostname.toLowerCase() === b.hostname.toLowerCase();
}

function atSandboxOrigin(u: URL, origins: readonly string[]): boolean {
  if (u.username || u.password || u.search || u.hash) return false;
  return origins.some((o) => {
    try {
      return sameOrigin(u, new URL(o));
    } catch {
      return false;
    }
  });
}

/** A connection's `baseUrl`: exactly `<sandbox origin>/sandbox/<crm>`, nothing before or after. */
export function isSandboxBase(u: URL, crm: string, origins: readonly string[]): boolean {
  return atSandboxOrigin(u, origins) && (u.pathname === `/sandbox/${crm}` || u.pathname === `/sandbox/${crm}/`);
}

/** An instance or server URL inside one CRM's fake (the fake Odoo serves an older Odoo under a sub-path). */
export function isSandboxInstance(u: URL, crm: string, origins: readonly string[]): boolean {
  return atSandboxOrigin(u, origins) && (u.pathname === `/sandbox/${crm}` || u.pathname.startsWith(`/sandbox/${crm}/`));
}

/** A request into some fake CRM: sent as is, since the sandbox is on loopback by design. */
export function isSandboxRequest(u: URL, origins: readonly string[]): boolean {
  if (u.username || u.password) return false;
  return /^\/sandbox\/[a-z]+(\/|$)/.test(u.pathname) && origins.some((o) => URL.canParse(o) && sameOrigin(u, new URL(o)));
}
