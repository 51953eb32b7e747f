import type { FastifyInstance } from 'fastify';
import { badRequest, notFound, OdooException, unauthorized, asOdooException } from './errors.js';
import { callMethod, resolve } from './orm.js';
import { ADMIN_API_KEY, DATABASE } from './seed.js';
import type { OdooStore } from './store.js';

/**
 * Odoo 19's External JSON-2 API: `POST /json/2/<model>/<method>` with
 * `Authorization: bearer <api key>`, named arguments in the body (`ids`, `context`
 * and the method's parameters) and the bare result as the answer. Errors use real
 * HTTP statuses with Odoo's serialized exception.
 */
export const API_KEYS = new Map<string, number>([[ADMIN_API_KEY, 2]]);

export async function registerJson2(app: FastifyInstance, store: OdooStore): Promise<void> {
  app.post<{ Params: { model: string; method: string } }>('/json/2/:model/:method', async (req, reply) => {
    let context: Record<string, unknown> = {};
    try {
      const auth = /^bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
      const uid = auth ? API_KEYS.get(auth[1]!) : undefined;
      if (uid === undefined) throw unauthorized();
      const db = req.headers['x-odoo-database'];
      if (db !== undefined && db !== DATABASE) throw notFound(`The database '${String(db)}' does not exist.`);
      const body = req.body ?? {};
      if (typeof body !== 'object' || Array.isArray(body)) throw badRequest('could not parse the body as json: expected a JSON object');
      const { ids, context: ctx, ...kwargs } = body as Record<string, unknown>;
      context = ctx && typeof ctx === 'object' ? (ctx as Record<string, unknown>) : {};
      const { sig } = resolve(req.params.model, req.params.method);
      const idList = ids === undefined || ids === null ? [] : Array.isArray(ids) ? ids.map(Number) : [Number(ids)];
      if (!sig.record && idList.length) kwargs.ids = ids; // @api.model methods take no ids: let the signature check name it
      const result = callMethod(store, { model: req.params.model, method: req.params.method, ids: idList, kwargs, env: { uid, context }, flavor: 'json2' });
      return reply.type('application/json; charset=utf-8').send(JSON.stringify(result));
    } catch (e) {
      const err = asOdooException(e);
      return reply.code(err.status).type('application/json; charset=utf-8').send(err.serialize(context));
    }
  });
}

/** The body for statuses the sandbox itself produces: injected faults, unknown routes, unparsable JSON. */
export function odooFailure(status: number, message: string): unknown {
  if (status === 404)
    return notFound('The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.').serialize();
  if (status === 400) return badRequest(`could not parse the body as json: ${message}`).serialize();
  const names: Record<number, string> = { 500: 'InternalServerError', 502: 'BadGateway', 503: 'ServiceUnavailable', 504: 'GatewayTimeout' };
  return new OdooException(`werkzeug.exceptions.${names[status] ?? 'HTTPException'}`, message, status, [message, status]).serialize();
}
