/** Odoo's facts for outbound sync, in one place. */
export const ODOO = {
  name: 'Odoo',
  /** Records per `create` call (vals_list); Odoo has no other batch endpoint. */
  batchSize: 100,
  /** Ids or values per domain `in` list (an engine pass of 500 in one search), so that one search stays a modest request (some 15 KB). */
  searchChunk: 500,
  /**
   * Clients per matching search (a pass of the engine in one call): their keys, e-mails (one =ilike
   * leaf each) and phones in one domain come to about 50 KB, far within what Odoo accepts in a body.
   */
  matchChunk: 500,
  /**
   * How long company names found for a pass (by matching, or by a batch before) are trusted by the
   * pass's later batches instead of searched again: a pass writes within seconds.
   */
  companyNamesTtlMs: 60_000,
  /** Our client id on a partner: `ref` (Internal Reference, in every Odoo's base module) holds `crm-sync:<clientId>`. */
  keyPrefix: 'crm-sync:',
  /** Our company id on a company partner's `ref`: `crm-sync-company:<companyId>`. */
  companyKeyPrefix: 'crm-sync-company:',
  /** Our deal key on an opportunity, as a marker in its internal notes (crm.lead has no reference field). */
  dealKeyPrefix: 'crm-sync-deal:',
  /** The external id of the message subtype notes are logged as (an internal note, not a message to followers). */
  noteSubtype: 'mail.mt_note',
  /** Activity types by the name Odoo seeds them with. */
  activityTypes: { task: 'To-Do', call: 'Call', meeting: 'Meeting' },
  /**
   * The named arguments /jsonrpc's execute_kw must pass positionally, after a record method's
   * ids: `create([vals_list])` (call_kw reads `args[0]`), `write([ids], vals)`. Everything else
   * goes as keywords.
   */
  positional: { create: ['vals_list'], write: ['vals'] },
  /** The first version with JSON-2; /jsonrpc is deprecated there (and due to go in Odoo 22). */
  json2Since: 19,
} as const;

/** Odoo's exception classes that mean the data was refused (ValueError is how Odoo words a bad selection, date or field). */
export const REFUSALS = /ValidationError|UserError|ValueError|UnprocessableEntity|MissingError/;

/** The external API a connection speaks: JSON-2 (19 and later) or /jsonrpc's execute_kw (before 19). */
export type OdooProtocol = 'json2' | 'jsonrpc';
