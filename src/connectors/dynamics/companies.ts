import { CrmError } from '../errors.js';
import type { CanonicalCompany, CrmRef, OutboundContext, RecordOutcome } from '../outbound.js';
import { anyOf, byKey, chunks, DYNAMICS, literal, writeOutcome } from './api.js';
import { sendBatch, type BatchRequest } from './batch.js';
import { queryMany, type Query } from './reads.js';
import { AccountRow } from './schemas.js';

type Item = { company: CanonicalCompany; existing?: CrmRef; allowCreate: boolean };

/** Account Number holds at most 20 characters: a longer platform id cannot be kept there (our key still finds the account). */
const ACCOUNT_NUMBER_MAX = 20;
const PER_QUERY = 20;

/** `https://www.Acme.io/about` -> `acme.io`: how a typed website compares with a company's domain. */
export const domainOf = (url: unknown) =>
  typeof url === 'string' ? url.trim().toLowerCase().replace(/^[a-z]+:\/\//, '').replace(/^www\./, '').split(/[/?#:]/)[0] ?? '' : '';

/**
 * Finds each company's active account (PRODUCT.md Y4): the one crm-sync wrote (cs_crmsyncid =
 * our company id) or the one whose Account Number is the platform's account id, then for the
 * rest the one whose website is on the company's domain. The oldest wins, so every run picks
 * the same one. Each step's queries (a few companies each) travel together in one `$batch`.
 */
export async function matchCompanies(ctx: OutboundContext, companies: CanonicalCompany[]): Promise<Map<string, CrmRef>> {
  const found = new Map<string, CrmRef>();
  const search = (filter: string): Query => ({
    set: 'accounts',
    params: { $select: `accountid,accountnumber,websiteurl,${DYNAMICS.keyColumn}`, $filter: `statecode eq 0 and ${filter}`, $orderby: 'createdon asc' },
  });
  const keyRuns = chunks(companies, PER_QUERY);
  const keyed = await queryMany(
    ctx,
    keyRuns.map((chunk) => {
      const numbers = chunk.flatMap((c) => (c.externalAccountId && c.externalAccountId.length <= ACCOUNT_NUMBER_MAX ? [c.externalAccountId] : []));
      const keys = anyOf(chunk.map((c) => c.companyId), (k) => `${DYNAMICS.keyColumn} eq ${literal(k)}`);
      return search(numbers.length ? `(${keys} or ${anyOf(numbers, (n) => `accountnumber eq ${literal(n)}`)})` : keys);
    }),
    AccountRow,
  );
  keyRuns.forEach((chunk, n) => {
    const rows = keyed[n] ?? [];
    for (const c of chunk) {
      const hit = rows.find((r) => r[DYNAMICS.keyColumn] === c.companyId) ?? (c.externalAccountId ? rows.find((r) => r.accountnumber === c.externalAccountId) : undefined);
      if (hit) found.set(c.companyId, { object: 'accounts', id: hit.accountid });
    }
  });
  const domainRuns = chunks(companies.filter((c) => !found.has(c.companyId) && c.domain), PER_QUERY);
  // contains() narrows the rows; the host comparison below decides (acme.io is not notacme.io).
  const hosted = await queryMany(
    ctx,
    domainRuns.map((chunk) => search(anyOf([...new Set(chunk.map((c) => domainOf(c.domain)))], (d) => `contains(websiteurl,${literal(d)})`))),
    AccountRow,
  );
  domainRuns.forEach((chunk, n) => {
    const rows = hosted[n] ?? [];
    for (const c of chunk) {
      const hit = rows.find((r) => domainOf(r.websiteurl) === domainOf(c.domain));
      if (hit) found.set(c.companyId, { object: 'accounts', id: hit.accountid });
    }
  });
  return found;
}

/**
 * One `$batch` of PATCHes, as for contacts: a matched account is updated by id with
 * `If-Match: *` (never recreated if someone deleted it), a new one is upserted on the alternate
 * key cs_crmsyncid = our company id, so a replay after a lost answer updates it. Only what we
 * know is sent; a new account without a name is called by its domain.
 */
export async function upsertCompanies(ctx: OutboundContext, items: Item[]): Promise<RecordOutcome[]> {
  const outcomes: (RecordOutcome | undefined)[] = items.map(() => undefined);
  const sent: { index: number; request: BatchRequest }[] = [];
  const prefer = { prefer: 'return=representation' };
  items.forEach(({ company: c, existing, allowCreate }, index) => {
    if (existing && existing.object !== 'accounts') {
      outcomes[index] = { ok: false, error: new CrmError('invalid', `${DYNAMICS.name} ${existing.object} ${existing.id} is not an account; crm-sync writes companies to accounts.`) };
    } else if (existing) {
      sent.push({ index, request: { method: 'PATCH', url: `${ctx.apiBase}/accounts(${existing.id})?$select=accountid`, body: accountValues(c), headers: { ...prefer, 'if-match': '*' } } });
    } else if (allowCreate) {
      const body = { name: c.name?.trim() || domainOf(c.domain) || c.companyId, ...accountValues(c) };
      sent.push({ index, request: { method: 'PATCH', url: `${ctx.apiBase}/${byKey('accounts', c.companyId)}?$select=accountid`, body, headers: prefer } });
    } else {
      outcomes[index] = { ok: false, error: new CrmError('not_found', `No ${DYNAMICS.name} account matches company ${c.companyId}, and this connection only updates existing records.`) };
    }
  });
  let answers;
  try {
    answers = await sendBatch(ctx, sent.map((s) => s.request));
  } catch (err) {
    if (!(err instanceof CrmError)) throw err;
    for (const s of sent) outcomes[s.index] = { ok: false, error: err };
    return outcomes as RecordOutcome[];
  }
  sent.forEach(({ index, request }, n) => {
    const res = answers[n] as (typeof answers)[number];
    outcomes[index] = writeOutcome(res, 'accounts', 'accountid', request.body);
  });
  return outcomes as RecordOutcome[];
}

function accountValues(c: CanonicalCompany): Record<string, string | number | boolean> {
  const v: Record<string, string | number | boolean> = {};
  if (c.name?.trim()) v.name = c.name.trim();
  if (c.domain) v.websiteurl = `https://${domainOf(c.domain)}`;
  if (c.externalAccountId && c.externalAccountId.length <= ACCOUNT_NUMBER_MAX) v.accountnumber = c.externalAccountId;
  return { ...v, ...c.properties };
}
