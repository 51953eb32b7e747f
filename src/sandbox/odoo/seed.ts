/** The seeded database: fixed credentials, users and the reference data a fresh Odoo CRM has. */
export const DATABASE = 'sandbox';
export const ADMIN_LOGIN = 'admin@sandbox.crm-sync.test';
export const ADMIN_PASSWORD = 'sandbox-admin-password';
/** Odoo API keys are 40 hex characters (160 bits). */
export const ADMIN_API_KEY = '5a4db0c8e1f2a3b4c5d6e7f8091a2b3c4d5e6f70';
/** What `common.version` and `/web/webclient/version_info` answer, for a major version (19, or 17 for the older mount). */
export const serverVersion = (major: number) => ({ server_version: `${major}.0`, server_version_info: [major, 0, 0, 'final', 0, ''], server_serie: `${major}.0`, protocol_version: 1 });
export const SERVER_VERSION = serverVersion(19);
/** The path under the sandbox's Odoo where the same database is served as Odoo 17 would: /jsonrpc only, no JSON-2. */
export const LEGACY_PREFIX = '/odoo17';
export const LEGACY_MAJOR = 17;

type Row = Record<string, unknown> & { id: number };

export const SEED: Record<string, Row[]> = {
  'res.country': [
    { id: 233, name: 'United States', code: 'US', phone_code: 1 },
    { id: 231, name: 'United Kingdom', code: 'GB', phone_code: 44 },
    { id: 57, name: 'Germany', code: 'DE', phone_code: 49 },
    { id: 75, name: 'France', code: 'FR', phone_code: 33 },
    { id: 20, name: 'Belgium', code: 'BE', phone_code: 32 },
    { id: 104, name: 'India', code: 'IN', phone_code: 91 },
    { id: 13, name: 'Australia', code: 'AU', phone_code: 61 },
    { id: 31, name: 'Brazil', code: 'BR', phone_code: 55 },
  ],
  'res.partner': [
    { id: 1, name: 'Sandbox Motors', is_company: true, type: 'contact', country_id: 233, email: 'info@sandbox.crm-sync.test', active: true },
    { id: 3, name: 'Ada Admin', is_company: false, type: 'contact', parent_id: 1, email: ADMIN_LOGIN, active: true },
    { id: 7, name: 'Sam Seller', is_company: false, type: 'contact', parent_id: 1, email: 'sam.seller@sandbox.crm-sync.test', active: true },
    { id: 8, name: 'Rita Rep', is_company: false, type: 'contact', parent_id: 1, email: 'rita.rep@sandbox.crm-sync.test', active: true },
  ],
  'res.users': [
    { id: 2, name: 'Ada Admin', login: ADMIN_LOGIN, email: ADMIN_LOGIN, partner_id: 3, active: true },
    { id: 6, name: 'Sam Seller', login: 'sam.seller@sandbox.crm-sync.test', email: 'sam.seller@sandbox.crm-sync.test', partner_id: 7, active: true },
    { id: 7, name: 'Rita Rep', login: 'rita.rep@sandbox.crm-sync.test', email: 'rita.rep@sandbox.crm-sync.test', partner_id: 8, active: true },
  ],
  'crm.stage': [
    { id: 1, name: 'New', sequence: 1, is_won: false, fold: false },
    { id: 2, name: 'Qualified', sequence: 2, is_won: false, fold: false },
    { id: 3, name: 'Proposition', sequence: 3, is_won: false, fold: false },
    { id: 4, name: 'Won', sequence: 70, is_won: true, fold: false },
  ],
  'mail.message.subtype': [
    { id: 1, name: 'Discussions', internal: false },
    { id: 2, name: 'Note', internal: true },
    { id: 3, name: 'Activities', internal: true },
  ],
  'mail.activity.type': [
    { id: 1, name: 'Email', category: 'default', delay_count: 0, sequence: 3, active: true },
    { id: 2, name: 'Call', category: 'phonecall', delay_count: 2, sequence: 6, active: true },
    { id: 3, name: 'Meeting', category: 'meeting', delay_count: 0, sequence: 9, active: true },
    { id: 4, name: 'To-Do', category: 'default', delay_count: 5, sequence: 12, active: true },
  ],
};

export const SUBTYPE_XMLIDS: Record<string, number> = { 'mail.mt_comment': 1, 'mail.mt_note': 2, 'mail.mt_activities': 3 };
export const ACTIVITY_TYPE_XMLIDS: Record<string, number> = {
  'mail.mail_activity_data_email': 1,
  'mail.mail_activity_data_call': 2,
  'mail.mail_activity_data_meeting': 3,
  'mail.mail_activity_data_todo': 4,
};
/** The seeded external ids as ir.model.data rows (`complete_name` is `module.name`). */
export const XMLID_ROWS: Row[] = [
  ...Object.entries(SUBTYPE_XMLIDS).map(([xmlid, resId]) => ({ xmlid, model: 'mail.message.subtype', resId })),
  ...Object.entries(ACTIVITY_TYPE_XMLIDS).map(([xmlid, resId]) => ({ xmlid, model: 'mail.activity.type', resId })),
].map(({ xmlid, model, resId }, i) => {
  const [module, name] = xmlid.split('.') as [string, string];
  return { id: i + 1, module, name, complete_name: xmlid, model, res_id: resId, noupdate: true };
});
SEED['ir.model.data'] = XMLID_ROWS;
export const USERS = SEED['res.users']!.map((u) => ({ id: u.id, email: String(u.email), name: String(u.name), login: String(u.login) }));
