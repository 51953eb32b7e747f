import type { FastifyInstance } from 'fastify';
import type { ZohoDeps, ZohoRouteConfig } from '../context.js';
import { coqlCredits } from '../limits.js';
import { CoqlSyntaxError, MAX_COQL_LIMIT, parseCoql } from '../coql.js';
import { CriteriaError, fieldsOf, parseCriteria } from '../criteria.js';
import { invalidModule, requiredParamMissing, sendError } from '../errors.js';
import { evaluate, fieldValue, type Condition } from '../match.js';
import { findField, findModule, type ZohoModule } from '../metadata.js';
import type { ZohoRecord } from '../state.js';
import { selectView } from '../views.js';
import { listPage } from './records.js';

/** Search (criteria, email, phone, word) and COQL; both see a record only after the search lag. */
export async function registerQueryRoutes(app: FastifyInstance, deps: ZohoDeps): Promise<void> {
  const visible = (mod: ZohoModule): ZohoRecord[] => {
    const lag = deps.ctx.settings().searchLagMs;
    const cutoff = Date.now() - lag;
    return deps.store.table(mod).filter((r) => lag === 0 || r.updatedAt <= cutoff);
  };

  const searchConfig: { config: { zoho: ZohoRouteConfig } } = { config: { zoho: { scope: { family: 'modules', op: 'READ' } } } };
  app.get<{ Params: { module: string } }>('/crm/v8/:module/search', searchConfig, async (req, reply) => {
    const mod = findModule(req.params.module);
    if (!mod) return invalidModule(reply);
    const q = req.query as Record<string, string | undefined>;
    let cond: Condition;
    try {
      cond = searchCondition(mod, q);
    } catch (e) {
      if (e === MISSING) return requiredParamMissing(reply, 'criteria');
      const unknown = e instanceof UnknownFieldError ? { api_name: e.message } : {};
      return sendError(reply, 400, 'INVALID_QUERY', 'Please check whether the input values are correct', { reason: 'invalid criteria', ...unknown });
    }
    const rows = visible(mod).filter((r) => evaluate(cond, r));
    return listPage(reply, mod, rows, q, false);
  });

  const coqlConfig: { config: { zoho: ZohoRouteConfig } } = {
    config: {
      zoho: {
        scope: { family: 'coql', op: 'READ' },
        credits: (body) => {
          try {
            return coqlCredits(parseCoql(String((body as { select_query?: unknown })?.select_query ?? '')).limit);
          } catch {
            return 1;
          }
        },
      },
    },
  };
  app.post('/crm/v8/coql', coqlConfig, async (req, reply) => {
    const text = (req.body as { select_query?: unknown } | undefined)?.select_query;
    if (typeof text !== 'string' || !text.trim()) return sendError(reply, 400, 'REQUIRED_PARAM_MISSING', 'One of the expected parameter is missing', { param: 'select_query' });
    let query;
    try {
      query = parseCoql(text);
    } catch (e) {
      const clause = e instanceof CoqlSyntaxError ? e.clause : 'select';
      return sendError(reply, 400, 'SYNTAX_ERROR', 'invalid query formed', { clause });
    }
    const mod = findModule(query.module);
    if (!mod) return sendError(reply, 400, 'INVALID_QUERY', 'invalid module', { module: query.module, clause: 'from' });
    const columns = [...query.fields, ...(query.where ? fieldsOf(query.where) : []), ...query.orderBy.map((o) => o.field)];
    const bad = columns.find((c) => c !== 'id' && !findField(mod, c.split('.')[0]!));
    if (bad) return sendError(reply, 400, 'INVALID_QUERY', 'column given seems to be invalid', { column_name: bad, clause: query.fields.includes(bad) ? 'select' : 'where' });
    if (query.limit > MAX_COQL_LIMIT) return sendError(reply, 400, 'LIMIT_EXCEEDED', 'limit exceeded', { by: 'limit', limit: MAX_COQL_LIMIT });
    let rows = visible(mod).filter((r) => !query.where || evaluate(query.where, r));
    rows = [...rows].sort((a, b) => {
      for (const o of query.orderBy) {
        const va = String(fieldValue(a, o.field) ?? '');
        const vb = String(fieldValue(b, o.field) ?? '');
        if (va !== vb) return (va < vb ? -1 : 1) * (o.desc ? -1 : 1);
      }
      return 0;
    });
    const page = rows.slice(query.offset, query.offset + query.limit);
    if (page.length === 0) return reply.code(204).send();
    const data = page.map((r) => {
      const base = selectView(r, query.fields.filter((f) => !f.includes('.')));
      for (const f of query.fields.filter((x) => x.includes('.'))) base[f] = fieldValue(r, f) ?? null;
      return base;
    });
    return { data, info: { count: data.length, more_records: query.offset + query.limit < rows.length } };
  });
}

const MISSING = Symbol('missing');
class UnknownFieldError extends Error {}

function searchCondition(mod: ZohoModule, q: Record<string, string | undefined>): Condition {
  if (q.criteria) {
    let cond: Condition;
    try {
      cond = parseCriteria(q.criteria);
    } catch (e) {
      if (e instanceof CriteriaError) throw e;
      throw new CriteriaError(String(e));
    }
    const bad = fieldsOf(cond).find((f) => f !== 'id' && !findField(mod, f.split('.')[0]!));
    if (bad) throw new UnknownFieldError(bad);
    return cond;
  }
  const anyOf = (types: string[], op: 'equals' | 'like', value: string): Condition => ({
    kind: 'or',
    parts: mod.fields.filter((f) => types.includes(f.data_type)).map((f) => ({ kind: 'cmp', field: f.api_name, op, value })),
  });
  if (q.email) return anyOf(['email'], 'equals', q.email);
  if (q.phone) return anyOf(['phone'], 'equals', q.phone);
  if (q.word) return anyOf(['text', 'email', 'phone', 'website', 'textarea'], 'like', `%${q.word}%`);
  throw MISSING;
}
