import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Stamped, Table } from '../../kit/table.js';
import { callerOf } from '../access.js';
import { idParam, intFilter, mustGet, notify, query, searchable, v1Route, type PipedriveApi } from '../api.js';
import { listPageV2, ok, pageV1, pageV2 } from '../envelope.js';
import { BodyReader, type ApiVersion } from '../input.js';
import { parseSearch, type SearchTerm } from '../search.js';

/**
 * One Pipedrive entity served through v1 (list/get/POST/PUT/DELETE/search with
 * start/limit) and v2 (list/get/POST/PATCH/DELETE/search with cursors). Persons,
 * organizations and deals differ only in what this spec says.
 */
export interface EntitySpec<T extends Stamped> {
  object: 'person' | 'organization' | 'deal';
  plural: 'persons' | 'organizations' | 'deals';
  table: (api: PipedriveApi) => Table<T>;
  notFound: string;
  /** Parses a body into the fields to set; `current` is the row being updated. */
  input: (api: PipedriveApi, r: BodyReader, ctx: { userId: number; current?: T }) => Omit<T, 'id' | 'createdAt' | 'updatedAt'> | Partial<T>;
  v1: (api: PipedriveApi, row: T) => Record<string, unknown>;
  v2: (api: PipedriveApi, row: T) => Record<string, unknown>;
  /** Query-string filters of the list endpoints, by the row's field. */
  filters: string[];
  searchFields: string[];
  searchScore: (api: PipedriveApi, row: T, search: SearchTerm) => number;
  searchItem: (api: PipedriveApi, row: T) => Record<string, unknown>;
}

export function registerEntity<T extends Stamped>(app: FastifyInstance, api: PipedriveApi, spec: EntitySpec<T>): void {
  const table = () => spec.table(api);
  const filtered = (q: Record<string, unknown>, version: ApiVersion) =>
    table().filter((row) =>
      spec.filters.every((f) => {
        const want = intFilter(q, version === 1 && f === 'owner_id' ? 'user_id' : f) ?? intFilter(q, f);
        return want === undefined || (row as unknown as Record<string, unknown>)[f] === want;
      }),
    );
  const views = (row: T | null) => ({ v1: row && spec.v1(api, row), v2: row && spec.v2(api, row) });
  const change = (action: 'create' | 'change' | 'delete', id: string, userId: number, before: T | null, after: T | null) => {
    const b = views(before);
    const a = views(after);
    notify(api, { object: spec.object, action, id: Number(id), userId, v1: { current: a.v1, previous: b.v1 }, v2: { current: a.v2, previous: b.v2 } });
  };

  const create = (version: ApiVersion) => (req: FastifyRequest) => {
    const { userId } = callerOf(req);
    const fields = spec.input(api, new BodyReader(req.body, version), { userId });
    const row = table().insert({ ...fields, id: api.state.nextId(spec.plural) } as T);
    change('create', row.id, userId, null, row);
    return row;
  };
  const update = (version: ApiVersion) => (req: FastifyRequest) => {
    const { userId } = callerOf(req);
    const current = mustGet(table(), idParam(req), spec.notFound);
    const fields = spec.input(api, new BodyReader(req.body, version), { userId, current });
    const row = table().update(current.id, fields as Partial<T>)!;
    change('change', row.id, userId, current, row);
    return row;
  };
  const remove = (req: FastifyRequest) => {
    const current = mustGet(table(), idParam(req), spec.notFound);
    table().delete(current.id);
    change('delete', current.id, callerOf(req).userId, current, null);
    return { id: Number(current.id) };
  };
  const search = (q: Record<string, unknown>) => {
    const s = parseSearch(q, spec.searchFields);
    return table()
      .filter((row) => searchable(api, row))
      .map((row) => ({ row, score: spec.searchScore(api, row, s) }))
      .filter((m) => m.score > 0)
      .sort((a, b) => b.score - a.score || Number(a.row.id) - Number(b.row.id))
      .map((m) => ({ result_score: m.score, item: spec.searchItem(api, m.row) }));
  };

  const path = `/${spec.plural}`;
  v1Route(app, 'GET', path, async (req) => {
    const page = pageV1(filtered(query(req), 1), query(req));
    return ok(page.items.map((r) => spec.v1(api, r)), page.additional);
  });
  v1Route(app, 'GET', `${path}/search`, async (req) => {
    const page = pageV1(search(query(req)), query(req));
    return ok({ items: page.items }, page.additional);
  });
  v1Route(app, 'GET', `${path}/:id`, async (req) => ok(spec.v1(api, mustGet(table(), idParam(req), spec.notFound))));
  v1Route(app, 'POST', path, async (req, reply) => reply.code(201).send(ok(spec.v1(api, create(1)(req)))));
  v1Route(app, 'PUT', `${path}/:id`, async (req) => ok(spec.v1(api, update(1)(req))));
  v1Route(app, 'DELETE', `${path}/:id`, async (req) => ok(remove(req)));

  const v2 = `/api/v2${path}`;
  app.get(v2, async (req) => {
    const page = listPageV2(filtered(query(req), 2), query(req));
    return ok(page.items.map((r) => spec.v2(api, r)), page.additional);
  });
  app.get(`${v2}/search`, async (req) => {
    const results = search(query(req)).map((r, i) => ({ ...r, id: String(i + 1) }));
    const page = pageV2(results, query(req));
    return ok({ items: page.items.map(({ id: _id, ...r }) => r) }, page.additional);
  });
  app.get(`${v2}/:id`, async (req) => ok(spec.v2(api, mustGet(table(), idParam(req), spec.notFound))));
  app.post(v2, async (req) => ok(spec.v2(api, create(2)(req))));
  app.patch(`${v2}/:id`, async (req) => ok(spec.v2(api, update(2)(req))));
  app.delete(`${v2}/:id`, async (req) => ok(remove(req)));
}
