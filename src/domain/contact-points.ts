import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';

/** E-mail as matching sees it: trimmed and lower-cased (case and spaces do not matter, Y4). */
export function normalizeEmail(raw: string): string | undefined {
  const value = raw.trim().toLowerCase();
  // Deliberately loose: one @, something on each side, a dot in the domain, no spaces.
  return /^[^\s@]+@[^\s@]+\.[^\s@.]+$/.test(value) ? value : undefined;
}

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
