const norm = (v: unknown) => (typeof v === 'string' ? v.trim().toLowerCase() : '');

/**
 * Whether a CRM record found only by phone may be this client's. A phone is often shared (a
 * family, a switchboard, a shop) and an e-mail is a person's own, so a record that has an
 * e-mail, none of them the client's, is someone else: matching it would overwrite that
 * person's e-mail with the client's. A record without an e-mail is taken.
 */
export function phoneMatchFits(clientEmails: readonly string[], recordEmails: readonly unknown[]): boolean {
  const theirs = recordEmails.map(norm).filter(Boolean);
  if (theirs.length === 0) return true;
  const mine = new Set(clientEmails.map(norm));
  return theirs.some((e) => mine.has(e));
}
