import { CrmError } from '../errors.js';
import type { CrmResponse } from './client.js';

/** The most of a vendor's own error message an admin is shown. */
export const VENDOR_MESSAGE_MAX = 300;

/**
 * A vendor's message as it may be shown: one line, at most VENDOR_MESSAGE_MAX characters.
 * Whatever answered may not be the vendor, so its words are quoted, never its whole body.
 */
export function vendorText(message: string): string {
  const line = message.replace(/\s+/g, ' ').trim();
  return line.length > VENDOR_MESSAGE_MAX ? `${line.slice(0, VENDOR_MESSAGE_MAX - 1)}…` : line;
}

/**
 * Turns a failed HTTP answer into a CrmError an admin can act on. `vendorMessage` is the
 * CRM's own words (from its error body), quoted so the admin can search for them.
 */
export function failureFromStatus(crmName: string, res: CrmResponse, vendorMessage: string | undefined, vendorCode?: string): CrmError {
  const said = vendorMessage ? `: "${vendorText(vendorMessage)}"` : '';
  const details = { status: res.status, vendorCode, body: res.body };
  if (res.status === 401)
    return new CrmError('auth', `${crmName} refused the credentials${said}. Reconnect ${crmName} from the connection page.`, details);
  if (res.status === 403)
    return new CrmError('forbidden', `${crmName} denied access${said}. Check that the connected user or app has the permissions and scopes crm-sync needs.`, details);
  if (res.status === 404) return new CrmError('not_found', `${crmName} has no such record or endpoint${said}.`, details);
  if (res.status === 409) return new CrmError('conflict', `${crmName} reports a conflict${said}.`, details);
  if (res.status === 429) {
    const retryAfterMs = retryAfter(res.headers.get('retry-after'));
    return new CrmError('rate_limited', `${crmName} rate limit reached${said}; crm-sync will retry.`, { ...details, retryAfterMs });
  }
  if (res.status >= 500) return new CrmError('unavailable', `${crmName} had a server error (HTTP ${res.status})${said}; crm-sync will retry.`, details);
  return new CrmError('invalid', `${crmName} refused the request (HTTP ${res.status})${said}.`, details);
}

/** Retry-After in seconds or as an HTTP date, in milliseconds from now. */
export function retryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  // Whole milliseconds, as every time crm-sync keeps ("1.5" is 1,500; "0.0005" waits 1 ms rather than 0.5).
  if (Number.isFinite(seconds)) return Math.max(0, Math.ceil(seconds * 1000));
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * The first string found at one of these keys of a JSON error body, bounded; undefined for
 * an answer without the vendor's error shape (a text or HTML page is never quoted: it may be
 * another service's, e.g. a login page or a secret).
 */
export function pickMessage(body: unknown, ...keys: string[]): string | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const first = Array.isArray(body) ? body[0] : body;
  for (const key of keys) {
    const v = key.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), first);
    if (typeof v === 'string' && v.trim()) return vendorText(v);
  }
  return undefined;
}
