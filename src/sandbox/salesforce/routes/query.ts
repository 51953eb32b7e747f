import { ok, type ApiRequest, type ApiResponse, type ApiRoute } from '../api.js';
import { batchSizeFrom } from '../cursors.js';
import { restError } from '../errors.js';
import { runSoql } from '../soql/evaluate.js';

/** SOQL through `/query` and `/queryAll` (deleted records too), paged through query locators. */
export const queryRoutes: ApiRoute[] = [
  { pattern: ['query'], methods: { GET: (req) => query(req, false) } },
  { pattern: ['queryAll'], methods: { GET: (req) => query(req, true) } },
  { pattern: ['query', ':locator'], methods: { GET: (req, p) => ok(req.org.cursors.next(p.locator as string, req.version)) } },
  { pattern: ['queryAll', ':locator'], methods: { GET: (req, p) => ok(req.org.cursors.next(p.locator as string, req.version)) } },
];

function query(req: ApiRequest, includeDeleted: boolean): ApiResponse {
  const soql = req.query.get('q');
  if (soql === null || soql.trim() === '') {
    // Salesforce answers a bare /query with its parameter complaint.
    throw restError(400, 'MALFORMED_QUERY', 'A query string has to be specified');
  }
  const run = runSoql(soql, req.org.store, { version: req.version, includeDeleted });
  const batch = batchSizeFrom(req.headers['sforce-query-options']);
  return ok(req.org.cursors.first(run.records, run.totalSize, batch, req.version));
}
