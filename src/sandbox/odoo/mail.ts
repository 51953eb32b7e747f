import { missingError, valueError } from './errors.js';
import { findModel, type OdooModel } from './models.js';
import { ACTIVITY_TYPE_XMLIDS, SUBTYPE_XMLIDS } from './seed.js';
import { odooDatetime, type OdooStore, type Row } from './store.js';
import type { Env } from './values.js';

/** The chatter: message_post into mail.message, and activity_schedule into mail.activity. */
const escapeHtml = (s: string) => s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;').replaceAll("'", '&#x27;');

export function messagePost(store: OdooStore, m: OdooModel, record: Row, a: Record<string, unknown>, env: Env): number {
  const messageType = String(a.message_type ?? 'notification');
  if (!['email', 'comment', 'email_outgoing', 'notification', 'auto_comment', 'user_notification'].includes(messageType))
    throw valueError(`Wrong value for mail.message.message_type: '${messageType}'`);
  const xmlid = typeof a.subtype_xmlid === 'string' ? a.subtype_xmlid : undefined;
  if (xmlid !== undefined && !(xmlid in SUBTYPE_XMLIDS)) throw valueError(`External ID not found in the system: ${xmlid}`);
  const subtypeId = typeof a.subtype_id === 'number' ? a.subtype_id : xmlid ? SUBTYPE_XMLIDS[xmlid]! : SUBTYPE_XMLIDS['mail.mt_note']!;
  // Over RPC a body is plain text unless body_is_html says otherwise, so Odoo escapes it.
  const body = typeof a.body === 'string' ? (a.body_is_html === true ? a.body : escapeHtml(a.body)) : '';
  const user = store.table('res.users').get(env.uid);
  const now = odooDatetime(Date.now());
  return store.insert('mail.message', {
    model: m.name,
    res_id: record.id,
    record_name: store.displayName(m.name, record.id),
    body,
    subject: typeof a.subject === 'string' ? a.subject : false,
    message_type: messageType,
    subtype_id: subtypeId,
    author_id: typeof a.author_id === 'number' ? a.author_id : (user?.partner_id ?? false),
    date: now,
    create_date: now,
    write_date: now,
    create_uid: env.uid,
    write_uid: env.uid,
  }).id;
}

/**
 * A mail.message created directly (`create` with a vals_list, as Odoo's importers write many chatter
 * entries at once): the defaults of Odoo's fields (type comment, the caller's partner as author, now,
 * an empty body), and the record name of the document it is about. With `model` and `res_id` it shows
 * in that record's chatter, so both must name a record that exists (MissingError otherwise, as the
 * access check on the document raises). The body is stored as given: a field value is HTML already.
 */
export function messageDefaults(store: OdooStore, row: Record<string, unknown>, env: Env): void {
  const user = store.table('res.users').get(env.uid);
  if (row.message_type === undefined) row.message_type = 'comment';
  if (row.author_id === undefined) row.author_id = user?.partner_id ?? false;
  if (row.date === undefined) row.date = row.create_date;
  if (row.body === undefined) row.body = '';
  if (typeof row.model !== 'string' || !row.model) return;
  const doc = findModel(row.model);
  if (!doc) throw valueError(`Invalid model name '${row.model}'`);
  const resId = typeof row.res_id === 'number' ? row.res_id : 0;
  if (!store.table(doc.name).has(resId)) throw missingError(doc.name, [resId], env.uid);
  row.record_name = store.displayName(doc.name, resId);
}

export function activitySchedule(store: OdooStore, m: OdooModel, records: Row[], a: Record<string, unknown>, env: Env): number[] {
  const xmlid = typeof a.act_type_xmlid === 'string' && a.act_type_xmlid ? a.act_type_xmlid : undefined;
  if (xmlid && !(xmlid in ACTIVITY_TYPE_XMLIDS)) throw valueError(`External ID not found in the system: ${xmlid}`);
  const typeId = typeof a.activity_type_id === 'number' ? a.activity_type_id : xmlid ? ACTIVITY_TYPE_XMLIDS[xmlid]! : ACTIVITY_TYPE_XMLIDS['mail.mail_activity_data_todo']!;
  const type = store.table('mail.activity.type').get(typeId);
  if (!type) throw valueError(`Invalid activity type ${typeId}`);
  let deadline = a.date_deadline;
  if (deadline === undefined || deadline === null || deadline === false) deadline = new Date(Date.now() + Number(type.delay_count ?? 0) * 86_400_000).toISOString().slice(0, 10);
  if (typeof deadline !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(deadline)) throw valueError(`time data '${String(deadline)}' does not match format '%Y-%m-%d'`);
  const model = store.rows('ir.model').find((r) => r.model === m.name)!;
  const now = odooDatetime(Date.now());
  return records.map(
    (r) =>
      store.insert('mail.activity', {
        res_model_id: model.id,
        res_model: m.name,
        res_id: r.id,
        res_name: store.displayName(m.name, r.id),
        activity_type_id: typeId,
        summary: typeof a.summary === 'string' && a.summary ? a.summary : false,
        note: typeof a.note === 'string' && a.note ? a.note : false,
        date_deadline: deadline,
        user_id: typeof a.user_id === 'number' ? a.user_id : env.uid,
        create_date: now,
        write_date: now,
        create_uid: env.uid,
        write_uid: env.uid,
      }).id,
  );
}

/** overdue / today / planned, from the deadline (in UTC). */
export function activityState(row: Row): string {
  const today = new Date().toISOString().slice(0, 10);
  const d = String(row.date_deadline ?? '');
  return d < today ? 'overdue' : d === today ? 'today' : 'planned';
}
