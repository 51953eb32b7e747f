/**
 * Salesforce record ids: 15 case-sensitive characters (a 3-character key prefix naming
 * the object, then pod and sequence characters) plus a 3-character suffix that encodes
 * the case of the first 15, so the 18-character form survives case-insensitive tools.
 */
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const SUFFIX = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
/** Pod and reserved characters after the key prefix, as in a real org's ids. */
const POD = '8c0';

/** The case-safe 3-character suffix of a 15-character id. */
export function caseSuffix(id15: string): string {
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let flags = 0;
    for (let i = 0; i < 5; i++) {
      const c = id15.charCodeAt(chunk * 5 + i);
      if (c >= 65 && c <= 90) flags |= 1 << i;
    }
    suffix += SUFFIX[flags];
  }
  return suffix;
}

/** The 18-character id for a key prefix and a sequence number. */
export function makeId(keyPrefix: string, n: number): string {
  let digits = '';
  for (let v = n; v > 0; v = Math.floor(v / 62)) digits = BASE62[v % 62] + digits;
  const id15 = keyPrefix + POD + digits.padStart(9, '0');
  return id15 + caseSuffix(id15);
}

const ID_SHAPE = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;

/** The 18-character form of a 15- or 18-character id, or undefined when it is not id-shaped. */
export function normalizeId(value: string): string | undefined {
  if (!ID_SHAPE.test(value)) return undefined;
  const id15 = value.slice(0, 15);
  return id15 + caseSuffix(id15);
}

export function keyPrefixOf(id: string): string {
  return id.slice(0, 3);
}
