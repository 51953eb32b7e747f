import type { CanonicalContact, CrmRef, OutboundContext } from '../outbound.js';
import { phoneMatchFits } from '../phone-match.js';
import { chunksWithin, DYNAMICS, isIn, literal, valueCost } from './api.js';
import { MATCH_ORDER, PEOPLE, type PersonSet } from './people.js';
import { queryMany, type Query } from './reads.js';
import { AnyRow } from './schemas.js';

type Row = Record<string, unknown>;

const EMAILS = ['emailaddress1', 'emailaddress2', 'emailaddress3'] as const;
const PHONES = ['telephone1', 'mobilephone'] as const;
const norm = (s: unknown) => (typeof s === 'string' ? s.trim().toLowerCase() : '');
/** Phones as typed ("+34 600 11 12 22") compared by their digits and plus. */
const digits = (s: unknown) => (typeof s === 'string' ? s.replace(/[^\d+]/g, '') : '');
const emailsOf = (c: CanonicalContact) => [...new Set(c.emails.map(norm).filter(Boolean))];

/**
 * Finds each client's contact or lead: by our key (cs_crmsyncid) or an e-mail on
 * emailaddress1..3 (Dataverse compares strings without case), on active contacts then open
 * leads; then, for the clients still unmatched, by phone in E.164 on telephone1 or mobilephone,
 * contacts then leads, of a record with no e-mail or one of the client's (phoneMatchFits). A contact wins over a lead (it is the person once the lead is
 * qualified), and of two records the oldest, so every run picks the same one. Dataverse reads
 * are consistent: there is no index to lag.
 *
 * In one call: the clients are split into runs whose keys, e-mails and phones fit a URL; each
 * run is one query on contacts and one on leads asking for any of them at once (In lists per
 * column), and all the queries travel in one `$batch` of GETs. The order above is then applied
 * to the rows, client by client.
 */
export async function matchContacts(ctx: OutboundContext, contacts: CanonicalContact[]): Promise<Map<string, CrmRef>> {
  const found = new Map<string, CrmRef>();
  const runs = chunksWithin(contacts, cost);
  const queries: Query[] = runs.flatMap((run) => MATCH_ORDER.map((set) => ({ set, params: params(set, run) })));
  const answers = await queryMany(ctx, queries, AnyRow);
  runs.forEach((run, r) => {
    const rowsIn = (set: PersonSet) => answers[r * MATCH_ORDER.length + MATCH_ORDER.indexOf(set)] ?? [];
    for (const c of run) {
      const hit = firstHit(c, rowsIn);
      if (hit) found.set(c.clientId, hit);
    }
  });
  return found;
}

/** Key or e-mail before phone; within each, a contact before a lead. */
function firstHit(c: CanonicalContact, rowsIn: (set: PersonSet) => Row[]): CrmRef | undefined {
  for (const pick of [byKeyOrEmail, byPhone]) {
    for (const set of MATCH_ORDER) {
      const id = pick(c, rowsIn(set))?.[PEOPLE[set].primaryId];
      if (typeof id === 'string') return { object: set, id };
    }
  }
  return undefined;
}

/** Active contacts and open leads: a qualified or disqualified lead is no longer the record to write to. The oldest first. */
function params(set: PersonSet, run: CanonicalContact[]): Record<string, string> {
  const emails = [...new Set(run.flatMap(emailsOf))];
  const phones = [...new Set(run.flatMap((c) => c.phones))];
  const any = [
    isIn(DYNAMICS.keyColumn, run.map((c) => c.clientId)),
    ...(emails.length ? EMAILS.map((col) => isIn(col, emails)) : []),
    ...(phones.length ? PHONES.map((col) => isIn(col, phones)) : []),
  ];
  return {
    $select: [PEOPLE[set].primaryId, ...EMAILS, ...PHONES, DYNAMICS.keyColumn].join(','),
    $filter: `statecode eq 0 and (${any.join(' or ')})`,
    $orderby: 'createdon asc',
  };
}

/** The encoded characters a client adds to its run's filter: its key once, each e-mail three times, each phone twice. */
function cost(c: CanonicalContact): number {
  const value = (v: string) => valueCost(literal(v));
  return value(c.clientId) + emailsOf(c).reduce((n, e) => n + EMAILS.length * value(e), 0) + c.phones.reduce((n, p) => n + PHONES.length * value(p), 0);
}

function byKeyOrEmail(c: CanonicalContact, rows: Row[]): Row | undefined {
  const mine = rows.find((r) => norm(r[DYNAMICS.keyColumn]) === norm(c.clientId));
  if (mine) return mine;
  for (const e of emailsOf(c)) {
    const hit = rows.find((r) => EMAILS.some((col) => norm(r[col]) === e));
    if (hit) return hit;
  }
  return undefined;
}

function byPhone(c: CanonicalContact, rows: Row[]): Row | undefined {
  for (const p of c.phones) {
    const hit = rows.find((r) => PHONES.some((col) => digits(r[col]) === p) && phoneMatchFits(c.emails, EMAILS.map((col) => r[col])));
    if (hit) return hit;
  }
  return undefined;
}
