import type { FastifyInstance, FastifyRequest } from 'fastify';
import { requestOrigin } from '../../kit/origin.js';
import type { ZohoDeps, ZohoRouteConfig } from '../context.js';
import { apiDomain } from '../data-centres.js';
import { requiredParamMissing, zohoError, type ZohoError } from '../errors.js';
import { findModule } from '../metadata.js';
import { expandEvents, MAX_CHANNEL_MS } from '../notifications.js';
import { zohoTime } from '../state.js';

/** `/crm/v8/actions/watch`: enable (POST), replace (PUT), add or remove events (PATCH), list (GET), disable (DELETE). */
const cfg = (op: ZohoRouteConfig['scope']['op']): { config: { zoho: ZohoRouteConfig } } => ({ config: { zoho: { scope: { family: 'notifications', op } } } });
type Item = Record<string, unknown>;
const MESSAGES = {
  POST: 'Successfully subscribed for actions-watch of the given module',
  PUT: 'Successfully updated the subscribe details',
  PATCH: 'Successfully updated the subscribe details',
  REMOVE: 'Successfully removed the subscribe details',
  DELETE: 'Successfully un-subscribed from actions-watch',
};

export async function registerWatchRoutes(app: FastifyInstance, deps: ZohoDeps, dc: string): Promise<void> {
  const n = deps.notifications;
  const domainOf = (req: FastifyRequest) => apiDomain(`${requestOrigin(req)}/sandbox/zoho`, dc);

  const success = (channelId: string, message: string) => {
    const sub = n.get(channelId);
    const events = [...new Set((sub?.events ?? []).map((e) => e.split('.')[0]!))].map((name) => ({
      channel_expiry: sub?.meta?.channel_expiry,
      resource_uri: `${sub?.meta?.api_domain ?? ''}/crm/v8/${name}`,
      resource_id: findModule(name)?.id,
      resource_name: name,
      channel_id: channelId,
    }));
    return { code: 'SUCCESS', details: { events }, message, status: 'success' };
  };

  /** Checks one `watch` item; undefined when it is good. */
  const invalid = (item: Item, i: number, full: boolean): ZohoError | undefined => {
    const at = (f: string) => ({ api_name: f, json_path: `$.watch[${i}].${f}` });
    if (item.channel_id === undefined || item.channel_id === null) return zohoError('MANDATORY_NOT_FOUND', 'required field not found', at('channel_id'));
    if (!Array.isArray(item.events) || item.events.length === 0) return zohoError('MANDATORY_NOT_FOUND', 'required field not found', at('events'));
    if (!expandEvents(item.events.map(String))) return zohoError('INVALID_DATA', 'invalid data', { ...at('events'), expected_data_type: 'jsonarray' });
    if (full && (typeof item.notify_url !== 'string' || !/^https?:\/\//.test(item.notify_url))) return zohoError(item.notify_url ? 'INVALID_DATA' : 'MANDATORY_NOT_FOUND', item.notify_url ? 'invalid data' : 'required field not found', at('notify_url'));
    if (item.token !== undefined && (typeof item.token !== 'string' || item.token.length > 50)) return zohoError('INVALID_DATA', 'invalid data', { ...at('token'), maximum_length: 50 });
    if (item.channel_expiry !== undefined) {
      const t = Date.parse(String(item.channel_expiry));
      if (Number.isNaN(t) || t <= Date.now() || t > Date.now() + MAX_CHANNEL_MS) return zohoError('INVALID_DATA', 'invalid data', { ...at('channel_expiry'), expected_data_type: 'datetime' });
    }
    return undefined;
  };

  const items = (body: unknown): Item[] | undefined => {
    const w = (body as { watch?: unknown } | undefined)?.watch;
    return Array.isArray(w) && w.length > 0 ? (w as Item[]) : undefined;
  };

  const write = (method: 'POST' | 'PUT') => async (req: FastifyRequest, reply: import('fastify').FastifyReply) => {
    const list = items(req.body);
    if (!list) return requiredParamMissing(reply, 'watch');
    const results = list.map((item, i) => {
      const err = invalid(item, i, true);
      if (err) return err;
      const id = String(item.channel_id);
      const existing = n.get(id);
      if (method === 'PUT' && !existing) return zohoError('NOT_SUBSCRIBED', 'the channel is not subscribed', { channel_id: id });
      n.save({
        channel_id: id,
        events: expandEvents((item.events as unknown[]).map(String))!,
        notify_url: String(item.notify_url),
        token: item.token as string | undefined,
        channel_expiry: zohoTime(item.channel_expiry ? Date.parse(String(item.channel_expiry)) : Date.now() + 3_600_000),
        notify_on_related_action: item.notify_on_related_action === true,
        apiDomain: domainOf(req),
      });
      return success(id, MESSAGES[method]);
    });
    return reply.code(results.every((r) => r.status === 'success') ? 200 : 400).send({ watch: results });
  };
  app.post('/crm/v8/actions/watch', cfg('CREATE'), write('POST'));
  app.put('/crm/v8/actions/watch', cfg('UPDATE'), write('PUT'));

  app.patch('/crm/v8/actions/watch', cfg('UPDATE'), async (req, reply) => {
    const list = items(req.body);
    if (!list) return requiredParamMissing(reply, 'watch');
    const results = list.map((item, i) => {
      const err = invalid(item, i, false);
      if (err) return err;
      const id = String(item.channel_id);
      const sub = n.get(id);
      if (!sub) return zohoError('NOT_SUBSCRIBED', 'the channel is not subscribed', { channel_id: id });
      const changed = expandEvents((item.events as unknown[]).map(String))!;
      const removing = item._delete_events === true;
      const events = removing ? sub.events.filter((e) => !changed.includes(e)) : [...new Set([...sub.events, ...changed])];
      if (events.length === 0) n.remove(id);
      else n.save({ channel_id: id, events, notify_url: sub.url, token: sub.secret, channel_expiry: sub.meta?.channel_expiry ?? '', notify_on_related_action: sub.meta?.notify_on_related_action === 'true', apiDomain: sub.meta?.api_domain ?? '' });
      return { ...success(id, removing ? MESSAGES.REMOVE : MESSAGES.PATCH), ...(events.length === 0 ? { details: { events: [] } } : {}) };
    });
    return reply.code(results.every((r) => r.status === 'success') ? 200 : 400).send({ watch: results });
  });

  app.get('/crm/v8/actions/watch', cfg('READ'), async (_req, reply) => {
    const subs = n.list();
    if (subs.length === 0) return reply.code(204).send();
    return { watch: subs.map((s) => n.view(s)), info: { per_page: 200, page: 1, count: subs.length, more_records: false } };
  });

  app.delete('/crm/v8/actions/watch', cfg('DELETE'), async (req, reply) => {
    const ids = String((req.query as { channel_ids?: string }).channel_ids ?? '').split(',').map((s) => s.trim()).filter(Boolean);
    if (ids.length === 0) return requiredParamMissing(reply, 'channel_ids');
    const results = ids.map((id) => {
      if (!n.get(id)) return zohoError('NOT_SUBSCRIBED', 'the channel is not subscribed', { channel_id: id });
      const out = success(id, MESSAGES.DELETE);
      n.remove(id);
      return out;
    });
    return reply.code(results.every((r) => r.status === 'success') ? 200 : 400).send({ watch: results });
  });
}
