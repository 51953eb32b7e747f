import type { CrmRef, OutboundContext } from '../outbound.js';
import { listV2 } from './api.js';

interface DealV2 {
  id: number;
  status: string;
  person_id: number | null;
  update_time: string | null;
}

/**
 * The person's open deal: of several, the one changed last (the one being worked on). Deals
 * created on request are in deal-requests.ts.
 */
export async function findOpenDeal(ctx: OutboundContext, contact: CrmRef): Promise<CrmRef | undefined> {
  if (contact.object !== 'person') return undefined;
  const { items } = await listV2<DealV2>(ctx, '/deals', { person_id: contact.id, status: 'open' });
  const open = items
    .filter((d) => d.status === 'open' && String(d.person_id) === contact.id)
    .sort((a, b) => (b.update_time ?? '').localeCompare(a.update_time ?? '') || b.id - a.id);
  return open[0] && { object: 'deal', id: String(open[0].id) };
}
