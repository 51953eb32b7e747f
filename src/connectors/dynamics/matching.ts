import type { CanonicalContact, CrmRef, OutboundContext } from '../outbound.js';
import { anyOf, chunks, DYNAMICS, literal, query } from './api.js';
import { MATCH_ORDER, PEOPLE, type PersonSet } from './people.js';

type Row = Record<string, unknown>;

const EMAILS = ['emailaddress1', 'emailaddress2', 'emailaddress3'] as const;
const PHONES = ['telephone1', 'mobilephone'] as const;
const norm = (s: unknown) => (typeof s === 'string' ? s.trim().toLowerCase() : '');
/** Phones as typed ("+34 600 11 12 22") compared by their digits and plus. */
const digits = (s: unknown) => (typeof s === 'string' ? s.replace(/[^\d+]/g, '') : '');
/** Clients per query: each brings its key, e-mails (three columns each) or phones, and the URL must stay short. */
const PER_QUERY = 20;

/**
 * Finds each client's contact or lead: by our key (cs_crmsyncid) or an e-mail on
 * emailaddress1..3 (Dataverse compares strings without case), on active contacts then open
 * leads; then, for the clients still unmatched, by phone in E.164 on telephone1 or mobilephone,
 * contacts then leads. A contact wins over a lead (it is the person once the lead is
 * qualified), and of two records the oldest, so every run picks the same one. Dataverse reads
 * are consistent: there is no index to lag.
 */
export async function matchContacts(ctx: OutboundContext, contacts: CanonicalContact[]): Promise<Map<string, CrmRef>> {
  const found = new Map<string, CrmRef>();
  const pending = () => contacts.filter((c) => !found.has(c.clientId));
  for (const set of MATCH_ORDER) await matchIn(ctx, set, pending(), byKeyOrEmail, found);
  for (const set of MATCH_ORDER) await matchIn(ctx, set, pending().filter((c) => c.phones.length > 0), byPhone, found);
  return found;
}

interface Pass {
  filter(chunk: CanonicalContact[]): string;
  pick(c: CanonicalContact, rows: Row[]): Row | undefined;
}

const emailsOf = (c: CanonicalContact) => [...new Set(c.emails.map(norm).filter(Boolean))];

const byKeyOrEmail: Pass = {
  filter(chunk) {
    const emails = [...new Set(chunk.flatMap(emailsOf))];
    const keys = anyOf(chunk.map((c) => c.clientId), (k) => `${DYNAMICS.keyColumn} eq ${literal(k)}`);
    if (emails.length === 0) return keys;
    return `(${keys} or ${anyOf(emails, (e) => EMAILS.map((col) => `${col} eq ${literal(e)}`).join(' or '))})`;
  },
  pick(c, rows) {
    const mine = rows.find((r) => norm(r[DYNAMICS.keyColumn]) === norm(c.clientId));
    if (mine) return mine;
    for (const e of emailsOf(c)) {
      const hit = rows.find((r) => EMAILS.some((col) => norm(r[col]) === e));
      if (hit) return hit;
    }
    return undefined;
  },
};

const byPhone: Pass = {
  filter(chunk) {
    const phones = [...new Set(chunk.flatMap((c) => c.phones))];
    return anyOf(phones, (p) => PHONES.map((col) => `${col} eq ${literal(p)}`).join(' or '));
  },
  pick(c, rows) {
    for (const p of c.phones) {
      const hit = rows.find((r) => PHONES.some((col) => digits(r[col]) === p));
      if (hit) return hit;
    }
    return undefined;
  },
};

async function matchIn(ctx: OutboundContext, set: PersonSet, clients: CanonicalContact[], pass: Pass, found: Map<string, CrmRef>): Promise<void> {
  const id = PEOPLE[set].primaryId;
  for (const chunk of chunks(clients, PER_QUERY)) {
    // Active contacts and open leads: a qualified or disqualified lead is no longer the record to write to.
    const rows = await query<Row>(ctx, set, {
      $select: [id, ...EMAILS, ...PHONES, DYNAMICS.keyColumn].join(','),
      $filter: `statecode eq 0 and ${pass.filter(chunk)}`,
      $orderby: 'createdon asc',
    });
    for (const c of chunk) {
      const hit = pass.pick(c, rows);
      if (hit && typeof hit[id] === 'string') found.set(c.clientId, { object: set, id: hit[id] });
    }
  }
}
