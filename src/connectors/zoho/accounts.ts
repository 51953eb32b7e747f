import { z } from 'zod';
import { normalizeDomain } from '../../domain/contact-points.js';
import { CrmError } from '../errors.js';
import type { CanonicalCompany, CrmRef, OutboundContext, RecordOutcome } from '../outbound.js';
import { chunks, coqlString, crmUrl, fetchZoho, ZOHO } from './api.js';
import { writeRecords, type WriteResult, type ZohoRecord } from './writes.js';

type Item = { company: CanonicalCompany; existing?: CrmRef; allowCreate: boolean };

const ref = (id: string): CrmRef => ({ object: 'Accounts', id });
const Found = z.object({ data: z.array(z.object({ id: z.union([z.string(), z.number()]).transform(String), Website: z.string().nullish() }).loose()) });

/** How people type a domain into Website: bare, with www., with a scheme, with a slash. */
function websiteSpellings(domain: string): string[] {
  const hosts = [domain, `www.${domain}`];
  return [...hosts, ...hosts.flatMap((h) => [`http://${h}`, `https://${h}`, `http://${h}/`, `https://${h}/`])];
}

/**
 * Finds the Account of each company by Website (COQL, read back as a domain; the oldest wins).
 * Zoho Accounts have no field crm-sync knows for the platform's account ids, so those are not
 * matched; a company written before is found by the upsert on its name instead.
 */
export async function matchCompanies(ctx: OutboundContext, companies: CanonicalCompany[]): Promise<Map<string, CrmRef>> {
  const found = new Map<string, CrmRef>();
  const withDomain = companies.filter((c) => c.domain);
  // Each domain has eight spellings; COQL's `in` takes at most 50 values.
  for (const part of chunks(withDomain, 6)) {
    const spellings = [...new Set(part.flatMap((c) => websiteSpellings(c.domain!)))];
    const select_query = `select id, Website from Accounts where Website in (${spellings.map(coqlString).join(', ')}) order by Created_Time asc limit 200`;
    const answer = await fetchZoho(ctx, { method: 'POST', url: crmUrl(ctx, '/coql'), body: { select_query }, idempotent: true }, Found);
    for (const c of part) {
      const hit = answer?.data.find((r) => typeof r.Website === 'string' && normalizeDomain(r.Website) === c.domain);
      if (hit) found.set(c.companyId, ref(hit.id));
    }
  }
  return found;
}

/**
 * Matched Accounts are updated by id with what we know; new ones are upserted with Zoho's
 * duplicate check on Account_Name, so a replay after an unanswered call updates the Account it
 * made. Account_Name is required: the domain or the id stands in for a company without a name.
 */
export async function upsertCompanies(ctx: OutboundContext, items: Item[]): Promise<RecordOutcome[]> {
  const outcomes: (RecordOutcome | undefined)[] = items.map(() => undefined);
  const updates: { index: number; record: ZohoRecord }[] = [];
  const creates: { index: number; record: ZohoRecord }[] = [];
  items.forEach(({ company, existing, allowCreate }, index) => {
    const values = accountValues(company);
    if (existing?.object === 'Accounts') updates.push({ index, record: { id: existing.id, ...values } });
    else if (allowCreate) creates.push({ index, record: { ...values, Account_Name: values.Account_Name ?? company.domain ?? `Company ${company.companyId}` } });
    else outcomes[index] = { ok: false, error: new CrmError('not_found', `No ${ZOHO.name} Account matches company ${company.companyId}, and this connection only updates existing records.`) };
  });
  const apply = (batch: { index: number }[], results: WriteResult[]) =>
    batch.forEach(({ index }, i) => {
      const r = results[i] as WriteResult;
      outcomes[index] = r.ok ? { ok: true, ref: ref(r.id), created: r.created } : r;
    });
  apply(updates, await writeRecords(ctx, 'Accounts', { kind: 'update' }, updates.map((u) => u.record)));
  apply(creates, await writeRecords(ctx, 'Accounts', { kind: 'upsert', duplicateCheck: ['Account_Name'] }, creates.map((c) => c.record)));
  return outcomes as RecordOutcome[];
}

function accountValues(c: CanonicalCompany): ZohoRecord {
  return { ...(c.name ? { Account_Name: c.name } : {}), ...(c.domain ? { Website: c.domain } : {}), ...c.properties };
}
