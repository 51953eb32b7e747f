import { parseVendorAnswer } from '../http/answers.js';
import { z } from 'zod';
import { CrmError } from '../errors.js';
import { failureFromStatus, pickMessage } from '../http/classify.js';
import type { CrmRequest, CrmResponse } from '../http/client.js';
import type { OutboundContext } from '../outbound.js';

/** Zoho CRM's facts for outbound sync, in one place. */
export const ZOHO = {
  name: 'Zoho CRM',
  apiVersion: 'v8',
  /** Insert, update and upsert take at most 100 records per call. */
  writeLimit: 100,
  /**
   * COQL (Query API limitations): `in` takes up to 50 values, a WHERE clause up to 25
   * criteria, and a query returns up to 2,000 rows; it costs 1 credit for LIMIT <= 200, 2 for
   * <= 1,000 and 3 for <= 2,000, where a search costs 1 per call of 200 rows.
   */
  coql: { inValues: 50, criteria: 25, maxLimit: 2_000, creditTiers: [200, 1_000, 2_000] },
  /** Records per page of a list, search or related list. */
  pageSize: 200,
  /**
   * Upsert's duplicate_check_fields may name only these system duplicate-check fields and the
   * fields an org marked unique; Zoho refuses any other (INVALID_DATA), Phone in a default org.
   */
  systemDuplicateCheck: { Leads: ['Email'], Contacts: ['Email'], Accounts: ['Account_Name'], Deals: ['Deal_Name'] } as Record<string, readonly string[]>,
  /** Defaults of the destination when the admin chose nothing (PRODUCT.md S4). */
  defaults: { module: 'Leads', phoneField: 'Phone', nameField: 'Last_Name', leadSourceField: 'Lead_Source' },
} as const;

/** `/Leads/upsert` -> <api domain>/crm/v8/Leads/upsert (the API domain is the connection's data centre). */
export const crmUrl = (ctx: OutboundContext, path: string) => `${ctx.apiBase}/crm/${ZOHO.apiVersion}${path}`;

/** Zoho's error object, alone or per record inside `data`. */
export const ZohoErrorBody = z.object({
  code: z.string(),
  message: z.string().optional(),
  status: z.literal('error'),
  details: z.record(z.string(), z.unknown()).default({}),
});
export type ZohoErrorBody = z.infer<typeof ZohoErrorBody>;

/** A failed answer as a CrmError, in Zoho's own words; undefined when the answer is a success (2xx). */
export function failureOf(res: CrmResponse): CrmError | undefined {
  if (res.status >= 200 && res.status < 300) return undefined;
  const message = pickMessage(res.body, 'message');
  const code = pickMessage(res.body, 'code');
  // Zoho answers a bad module name with 400 INVALID_MODULE: name it, it is the destination setting.
  if (code === 'INVALID_MODULE') return new CrmError('invalid', `${ZOHO.name} has no such module (INVALID_MODULE): check the destination module in the connection settings.`, { status: res.status, vendorCode: code, body: res.body });
  return failureFromStatus(ZOHO.name, res, message && code ? `${code}: ${message}` : message, code);
}

/** One call; a non-2xx answer becomes a CrmError. 204 (Zoho's "nothing found") is `undefined`. */
export async function callZoho(ctx: OutboundContext, req: CrmRequest): Promise<unknown> {
  const res = await ctx.http(req);
  const failure = failureOf(res);
  if (failure) throw failure;
  return res.status === 204 || res.body === '' ? undefined : res.body;
}

/** Parses what Zoho answered with its schema; `undefined` (204) stays undefined. */
export async function fetchZoho<T extends z.ZodType>(ctx: OutboundContext, req: CrmRequest, schema: T): Promise<z.infer<T> | undefined> {
  const body = await callZoho(ctx, req);
  if (body === undefined) return undefined;
  return parseVendorAnswer(ZOHO.name, schema, body, new URL(req.url).pathname);
}

/** Zoho criteria values escape their syntax characters. */
export const criteriaValue = (v: string) => v.replace(/[(),\\]/g, (c) => `\\${c}`);

/** A COQL string literal. */
export const coqlString = (v: string) => `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

export function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
