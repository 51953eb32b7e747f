import { checkHost, isPublicAddress, resolveAll, type Resolve } from '../../net/addresses.js';
import { CrmError } from '../errors.js';

/**
 * Where crm-sync's requests to CRMs may go. Targets are checked when a connection is saved,
 * but a name can resolve elsewhere later (DNS rebinding) and a token response can name a new
 * API host, so every request is checked again: into a sandbox (loopback by design), or to
 * addresses that are all public.
 */
export interface Destinations {
  /** A request into a sandbox that connections may use: sent as it is. */
  isSandbox(url: URL): boolean;
  /** How names resolve (tests answer from a table). */
  resolve?: Resolve;
  /** Which resolved addresses may be connected to; public ones unless a test says otherwise. */
  permits?(address: string): boolean;
}

/**
 * The addresses a request may connect to; undefined for a sandbox request. A private address
 * is not retried (the connection must be fixed); a name that does not resolve may be a
 * passing DNS failure, so it is.
 */
export async function destinationAddresses(url: URL, d: Destinations): Promise<string[] | undefined> {
  if (d.isSandbox(url)) return undefined;
  const checked = await checkHost(url.hostname, d.resolve ?? resolveAll, d.permits ?? isPublicAddress);
  if (checked.problem === undefined) return checked.addresses;
  const advice = ' crm-sync sends CRM requests only to public addresses; check the connection\'s URLs.';
  throw new CrmError(checked.unresolved ? 'unavailable' : 'invalid', `${checked.problem}.${advice}`);
}
