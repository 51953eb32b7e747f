import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/**
 * What an IP address is, judged on the parsed address (never on a string prefix, which
 * `127.attacker.example` passes). Credentials go only to public addresses; the sandbox and
 * its webhooks stay on loopback.
 */

/** Not public: private, shared, loopback, link-local, documentation, benchmarking, multicast, reserved. */
const NOT_PUBLIC = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], // "this network": 0.0.0.0 reaches the local host on Linux
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, cloud metadata
  ['172.16.0.0', 12],
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation
  ['192.88.99.0', 24], // 6to4 relay anycast
  ['192.168.0.0', 16],
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, and broadcast
] as const)
  NOT_PUBLIC.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b:1::', 48], // NAT64 for local networks
  ['100::', 64], // discard
  ['2001::', 32], // Teredo: the client's address is hidden in the tunnel
  ['2001:db8::', 32], // documentation
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated, still routed by some)
  ['ff00::', 8], // multicast
] as const)
  NOT_PUBLIC.addSubnet(net, prefix, 'ipv6');

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

/** The address without URL brackets, lower case; IPv4 carried inside IPv6 (mapped, compatible, NAT64, 6to4) as the IPv4 it reaches. */
export function canonicalIp(address: string): string | undefined {
  const a = address.replace(/^\[|\]$/g, '').toLowerCase();
  const family = isIP(a);
  if (family === 4) return a;
  if (family !== 6) return undefined;
  return embeddedIpv4(ipv6Bytes(a)) ?? a;
}

/** Whether an IP address may receive credentials: not private, local or reserved. Names other than `localhost` are not addresses. */
export function isPrivateAddress(address: string): boolean {
  if (address.toLowerCase() === 'localhost') return true;
  const ip = canonicalIp(address);
  if (!ip) return false;
  return NOT_PUBLIC.check(ip, isIP(ip) === 4 ? 'ipv4' : 'ipv6');
}

/** `localhost` or a loopback IP (127/8, ::1, and IPv4 loopback carried in IPv6). */
export function isLoopback(hostname: string): boolean {
  if (hostname.toLowerCase() === 'localhost') return true;
  const ip = canonicalIp(hostname);
  return ip !== undefined && LOOPBACK.check(ip, isIP(ip) === 4 ? 'ipv4' : 'ipv6');
}

/** Every address a host name resolves to ([] when it does not resolve); an IP is its own answer. */
export type Resolve = (hostname: string) => Promise<string[]>;

export const resolveAll: Resolve = async (hostname) => {
  const h = hostname.replace(/^\[|\]$/g, '');
  if (isIP(h)) return [h];
  try {
    return (await lookup(h, { all: true, verbatim: true })).map((a) => a.address);
  } catch {
    return [];
  }
};

/** Whether an address may receive credentials. */
export const isPublicAddress = (address: string): boolean => !isPrivateAddress(address);

/**
 * The addresses to connect to for a host, or why not: every address it resolves to must be
 * permitted (public, by default). A name that does not resolve is refused too: it cannot be
 * judged, and it may resolve later to anything.
 */
export async function checkHost(
  hostname: string,
  resolve: Resolve = resolveAll,
  permits: (address: string) => boolean = isPublicAddress,
): Promise<{ addresses: string[]; problem?: undefined } | { problem: string; unresolved: boolean }> {
  const name = hostname.replace(/^\[|\]$/g, '');
  const addresses = isIP(name) ? [name] : await resolve(name);
  if (addresses.length === 0) return { problem: `${name} does not resolve to an address`, unresolved: true };
  const refused = addresses.find((a) => !permits(a));
  if (refused === undefined) return { addresses };
  return { problem: refused === name ? `${name} is a private or local address` : `${name} is a private or local address (${refused})`, unresolved: false };
}

/** Why a host may not receive credentials, or undefined when every address it resolves to is public. */
export async function publicHostProblem(hostname: string, resolve: Resolve = resolveAll): Promise<string | undefined> {
  return (await checkHost(hostname, resolve)).problem;
}

function ipv6Bytes(a: string): number[] {
  let text = a;
  // A trailing dotted quad (::ffff:1.2.3.4) is the last two groups.
  const quad = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (quad) {
    const [b1, b2, b3, b4] = quad.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, quad.index)}${((b1 << 8) | b2).toString(16)}:${((b3 << 8) | b4).toString(16)}`;
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const groups = (s: string | undefined) => (s ? s.split(':').map((g) => parseInt(g, 16)) : []);
  const h = groups(head);
  const t = groups(tail);
  const all = tail === undefined ? h : [...h, ...new Array<number>(8 - h.length - t.length).fill(0), ...t];
  return all.flatMap((g) => [g >> 8, g & 0xff]);
}

function embeddedIpv4(b: number[]): string | undefined {
  const zero = (from: number, to: number) => b.slice(from, to).every((x) => x === 0);
  const v4 = (at: number) => b.slice(at, at + 4).join('.');
  // ::ffff:0:0/96 (mapped)
  if (zero(0, 10) && b[10] === 0xff && b[11] === 0xff) return v4(12);
  // ::/96 (compatible), leaving :: and ::1 to the IPv6 table
  if (zero(0, 12) && !(zero(12, 15) && (b[15] === 0 || b[15] === 1))) return v4(12);
  // 64:ff9b::/96 (NAT64, well-known prefix)
  if (b[0] === 0 && b[1] === 0x64 && b[2] === 0xff && b[3] === 0x9b && zero(4, 12)) return v4(12);
  // 2002::/16 (6to4): the IPv4 in the next 32 bits
  if (b[0] === 0x20 && b[1] === 0x02) return v4(2);
  return undefined;
}
