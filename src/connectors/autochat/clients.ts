import { CrmError } from '../errors.js';
import type { CanonicalContact, CrmRef, OutboundContext, RecordOutcome } from '../outbound.js';
import { answerFailure, AUTOCHAT, callAutoChat, fetchAutoChat, refusal } from './api.js';
import { clientBody } from './client-fields.js';
import { Client, ClientBatch, parseAnswer } from './schemas.js';

type Item = { contact: CanonicalContact; existing?: CrmRef; allowCreate: boolean };

export const CLIENT = 'client';
const ref = (id: string): CrmRef => ({ object: CLIENT, id });

/**
 * Matched or linked clients are updated by id with only what we know; new clients are upserted
 * on external_id = our client id, so a replay after a timeout updates the client the first
 * attempt made instead of creating a second one, and the request can safely be retried. One
 * write goes alone (PATCH by id, PUT by external id); more go together through the batch
 * endpoint, which takes updates by id and upserts alike, 100 per call.
 */
export async function upsertContacts(ctx: OutboundContext, items: Item[]): Promise<RecordOutcome[]> {
  const outcomes: (RecordOutcome | undefined)[] = items.map(() => undefined);
  const writes: { index: number; body: Record<string, unknown> }[] = [];
  for (const [index, { contact, existing, allowCreate }] of items.entries()) {
    try {
      if (existing && existing.object !== CLIENT) outcomes[index] = { ok: false, error: new CrmError('invalid', `AutoChat CRM ${existing.object} ${existing.id} is not a client.`) };
      else if (existing) {
        const body = await clientBody(ctx, contact, false);
        // Nothing we know to send: the client stays as it is.
        if (Object.keys(body).length === 0) outcomes[index] = { ok: true, ref: existing, created: false };
        else writes.push({ index, body: { id: existing.id, ...body } });
      } else if (allowCreate) writes.push({ index, body: { ...(await clientBody(ctx, contact, true)), external_id: contact.clientId } });
      else outcomes[index] = { ok: false, error: new CrmError('not_found', `No AutoChat CRM client matches client ${contact.clientId}, and this connection only updates existing records.`) };
    } catch (err) {
      if (!(err instanceof CrmError)) throw err;
      outcomes[index] = { ok: false, error: err };
    }
  }
  if (writes.length === 1) {
    const { index, body } = writes[0]!;
    outcomes[index] = await writeOne(ctx, body);
  } else {
    for (let i = 0; i < writes.length; i += AUTOCHAT.batchSize) {
      const chunk = writes.slice(i, i + AUTOCHAT.batchSize);
      const results = await upsertBatch(ctx, chunk.map((w) => w.body));
      chunk.forEach((w, j) => (outcomes[w.index] = results[j]));
    }
  }
  return outcomes as RecordOutcome[];
}

/** One client alone: PATCH by id (an update), or PUT by external id (an upsert). */
async function writeOne(ctx: OutboundContext, body: Record<string, unknown>): Promise<RecordOutcome> {
  const { id, ...rest } = body;
  if (typeof id !== 'string') return upsertOne(ctx, body);
  try {
    await callAutoChat(ctx, { method: 'PATCH', url: `${ctx.apiBase}/clients/${encodeURIComponent(id)}`, body: rest });
    return { ok: true, ref: ref(id), created: false };
  } catch (err) {
    if (!(err instanceof CrmError)) throw err;
    return { ok: false, error: err };
  }
}

async function upsertOne(ctx: OutboundContext, body: Record<string, unknown>): Promise<RecordOutcome> {
  const { external_id: externalId, ...rest } = body;
  try {
    const res = await ctx.http({ method: 'PUT', url: `${ctx.apiBase}/clients/by-external-id/${encodeURIComponent(String(externalId))}`, body: rest });
    if (res.status === 200 || res.status === 201) return { ok: true, ref: ref(parseAnswer(Client, res.body, 'PUT /clients/by-external-id').id), created: res.status === 201 };
    return { ok: false, error: answerFailure(res, rest) };
  } catch (err) {
    if (!(err instanceof CrmError)) throw err;
    return { ok: false, error: err };
  }
}

/** One batch call; each result is read on its own, so a bad client fails alone. */
async function upsertBatch(ctx: OutboundContext, bodies: Record<string, unknown>[]): Promise<RecordOutcome[]> {
  let results: ClientBatch['data'];
  try {
    // Upserts on external ids and updates by id: sending it twice has the effect of sending it once.
    const req = { method: 'POST' as const, url: `${ctx.apiBase}/clients/batch`, body: { clients: bodies }, idempotent: true };
    results = (await fetchAutoChat(ctx, req, ClientBatch, 'POST /clients/batch')).data;
  } catch (err) {
    if (!(err instanceof CrmError)) throw err;
    return bodies.map(() => ({ ok: false, error: err }));
  }
  return bodies.map((body, i): RecordOutcome => {
    const r = results.find((x) => x.index === i);
    if (r && r.status !== 'failed') return { ok: true, ref: ref(r.client.id), created: r.status === 'created' };
    return { ok: false, error: r ? refusal(r.error, body) : new CrmError('unavailable', 'AutoChat CRM gave no result for this client') };
  });
}
