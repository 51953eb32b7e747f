import type { CrmRef, OutboundContext } from '../outbound.js';
import { listV2 } from './api.js';
import { DealV2 } from './schemas.js';


/** Of a person's open deals, the one changed last (the one being worked on). */
function latestOpen(deals: DealV2[], person: string): CrmRef | undefined {
  const open = deals
    .filter((d) => d.status === 'open' && String(d.person_id) === person)
    .sort((a, b) => (b.update_time ?? '').localeCompare(a.update_time ?? '') || b.id - a.id);
  return open[0] && { object: 'deal', id: String(open[0].id) };
}

/** The person's open deal. Deals created on request are in deal-requests.ts. */
export async function findOpenDeal(ctx: OutboundContext, contact: CrmRef): Promise<CrmRef | undefined> {
  if (contact.object !== 'person') return undefined;
  const { items } = await listV2(ctx, '/deals', DealV2, { person_id: contact.id, status: 'open' });
  return latestOpen(items, contact.id);
}

/** Persons per page of open deals worth reading instead of asking person by person. */
const PERSONS_PER_PAGE = 5;
const MOST_PAGES = 20;

/**
 * The open deals of many persons. Pipedrive filters deals by one person per call, but lists
 * the company's open deals 500 per page: when they fit in fewer pages than a fifth of the
 * persons, one listing answers for all of them (a pass of 500 persons: one call where it took
 * 500). A company with more open deals than that is asked person by person.
 */
export async function findOpenDeals(ctx: OutboundContext, contacts: CrmRef[]): Promise<Map<string, CrmRef>> {
  const persons = [...new Set(contacts.filter((c) => c.object === 'person').map((c) => c.id))];
  const found = new Map<string, CrmRef>();
  if (!persons.length) return found;
  const pages = Math.min(MOST_PAGES, Math.floor(persons.length / PERSONS_PER_PAGE));
  const all = pages > 0 ? await listV2(ctx, '/deals', DealV2, { status: 'open' }, pages) : undefined;
  for (const person of persons) {
    const deal = all?.complete ? latestOpen(all.items, person) : await findOpenDeal(ctx, { object: 'person', id: person });
    if (deal) found.set(person, deal);
  }
  return found;
}
