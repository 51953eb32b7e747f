import type { OutboundContext } from '../outbound.js';
import type { CrmRequest } from '../http/client.js';
import { classifyAnswer } from './failures.js';

/** Salesforce's facts for outbound sync, in one place. */
export const SALESFORCE = {
  name: 'Salesforce',
  apiVersion: 'v60.0',
  /** sObject Collections take at most 200 records per call. */
  collectionLimit: 200,
  /** The external id field the crm-sync package installs on Lead and Contact: our client id, unique. */
  externalIdField: 'CrmSync_Id__c',
  /**
   * Characters of URL-encoded literals per SOQL query sent by GET: Salesforce refuses request
   * URIs beyond about 16,000 characters, well before SOQL's own 100,000-character limit.
   */
  queryLiteralBudget: 12_000,
} as const;

/** `/sobjects/Lead/describe` -> https://<instance>/services/data/v60.0/sobjects/Lead/describe */
export function dataUrl(ctx: OutboundContext, path: string): string {
  return `${ctx.apiBase}/services/data/${SALESFORCE.apiVersion}${path}`;
}

/** One call to the REST API; a non-2xx answer becomes a classified CrmError. Returns the parsed body. */
export async function callSalesforce(ctx: OutboundContext, req: CrmRequest): Promise<unknown> {
  const res = await ctx.http(req);
  const failure = classifyAnswer(res);
  if (failure) throw failure;
  return res.body;
}
