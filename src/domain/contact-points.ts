import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';

/**
 * What an address may hold, said in every refusal: RFC 5322's dot-atom in ASCII, which is
 * what every CRM we sync to stores as an e-mail (quoted local parts, address literals and
 * non-ASCII addresses are refused by several of them, so they would fail at sync time).
 */
export const EMAIL_RULE =
  "expected name@example.com: ASCII letters, digits and . ! # $ % & ' * + - / = ? ^ _ ` { | } ~ before the @ (no dot first, last or twice in a row), and after it a domain of letters, digits and hyphens ending in a name of at least two letters";

const LOCAL_PART = /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const DOMAIN_LABEL = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;
/** A top-level domain is letters, or an internationalised one in its ASCII form (xn--). */
const TOP_LABEL = /^([a-z]{2,}|xn--[a-z0-9-]+)$/;

/** E-mail as matching sees it: trimmed and lower-cased (case and spaces do not matter, Y4); undefined when it is no address (EMAIL_RULE). */
export function normalizeEmail(raw: string): string | undefined {
  const value = raw.trim().toLowerCase();
  const at = value.lastIndexOf('@');
  if (at < 1 || value.length > 254) return undefined;
  const local = value.slice(0, at);
  const labels = value.slice(at + 1).split('.');
  if (local.length > 64 || !LOCAL_PART.test(local)) return undefined;
  if (labels.length < 2 || !TOP_LABEL.test(labels[labels.length - 1]!)) return undefined;
  return labels.every((l) => l.length <= 63 && DOMAIN_LABEL.test(l)) ? value : undefined;
}

/** The refusal of an address, the same wherever an e-mail is read. */
export const invalidEmail = (raw: string): string => `${JSON.stringify(raw)} is not a valid e-mail address (${EMAIL_RULE})`;

/**
 * Phone in E.164, read with the workspace's default country when the number has no
 * country code. Undefined when libphonenumber cannot make a possible number of it.
 */
export function normalizePhone(raw: string, defaultCountry: string): string | undefined {
  const trimmed = raw.trim();
  if (!/\d/.test(trimmed)) return undefined;
  // WhatsApp ids and some platforms send "0034..." or "34..." without a plus.
  const candidate = trimmed.startsWith('00') ? `+${trimmed.slice(2)}` : trimmed;
  const parsed = parsePhoneNumberFromString(candidate, defaultCountry as CountryCode);
  if (!parsed || !parsed.isPossible()) return undefined;
  return parsed.number;
}

/** A company's web domain, as matching compares it: no scheme, no www., no path, lower-case. */
export function normalizeDomain(raw: string): string | undefined {
  const value = raw
    .trim()
    .toLowerCase()
    .replace(/^[a-z]+:\/\//, '')
    .replace(/^www\./, '')
    .replace(/[/?#].*$/, '')
    .replace(/\.$/, '');
  return /^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(value) ? value : undefined;
}
