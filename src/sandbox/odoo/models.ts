/**
 * The Odoo models the sandbox serves, as `fields_get` describes them: field types,
 * labels, relations, selections, required and read-only flags, plus each model's
 * default order and whether it hides archived records.
 */
export type OdooFieldType = 'char' | 'text' | 'html' | 'boolean' | 'integer' | 'float' | 'selection' | 'many2one' | 'one2many' | 'many2many' | 'date' | 'datetime' | 'many2one_reference';

export interface OdooField {
  type: OdooFieldType;
  string: string;
  relation?: string;
  selection?: [string, string][];
  required?: boolean;
  readonly?: boolean;
  /** For one2many: the many2one on the relation that points back. */
  inverse?: string;
  help?: string;
}

export interface OdooModel {
  name: string;
  description: string;
  order: string;
  /** Has an `active` field, so search hides archived records unless asked. */
  archivable: boolean;
  /** Field whose value is the record's display_name. */
  recName: string;
  fields: Record<string, OdooField>;
}

const f = (type: OdooFieldType, string: string, extra: Partial<OdooField> = {}): OdooField => ({ type, string, ...extra });
const m2o = (relation: string, string: string, extra: Partial<OdooField> = {}) => f('many2one', string, { relation, ...extra });
const AUDIT: Record<string, OdooField> = {
  id: f('integer', 'ID', { readonly: true }),
  display_name: f('char', 'Display Name', { readonly: true }),
  create_date: f('datetime', 'Created on', { readonly: true }),
  create_uid: m2o('res.users', 'Created by', { readonly: true }),
  write_date: f('datetime', 'Last Updated on', { readonly: true }),
  write_uid: m2o('res.users', 'Last Updated by', { readonly: true }),
};
const model = (name: string, description: string, fields: Record<string, OdooField>, extra: Partial<OdooModel> = {}): OdooModel => ({
  name,
  description,
  order: 'id',
  archivable: 'active' in fields,
  recName: 'name',
  fields: { ...fields, ...AUDIT },
  ...extra,
});

export const MODELS: OdooModel[] = [
  model('res.partner', 'Contact', {
    name: f('char', 'Name'),
    complete_name: f('char', 'Complete Name', { readonly: true }),
    ref: f('char', 'Reference'),
    is_company: f('boolean', 'Is a Company'),
    company_type: f('selection', 'Company Type', { selection: [['person', 'Individual'], ['company', 'Company']] }),
    type: f('selection', 'Address Type', { selection: [['contact', 'Contact'], ['invoice', 'Invoice Address'], ['delivery', 'Delivery Address'], ['other', 'Other Address']] }),
    parent_id: m2o('res.partner', 'Related Company'),
    child_ids: f('one2many', 'Contact', { relation: 'res.partner', inverse: 'parent_id' }),
    email: f('char', 'Email'),
    phone: f('char', 'Phone'),
    mobile: f('char', 'Mobile'),
    function: f('char', 'Job Position'),
    website: f('char', 'Website Link'),
    street: f('char', 'Street'),
    street2: f('char', 'Street2'),
    city: f('char', 'City'),
    zip: f('char', 'Zip'),
    country_id: m2o('res.country', 'Country'),
    user_id: m2o('res.users', 'Salesperson'),
    comment: f('html', 'Notes'),
    active: f('boolean', 'Active'),
  }, { order: 'complete_name ASC, id DESC', recName: 'complete_name' }),
  model('crm.lead', 'Lead/Opportunity', {
    name: f('char', 'Opportunity', { required: true }),
    type: f('selection', 'Type', { required: true, selection: [['lead', 'Lead'], ['opportunity', 'Opportunity']] }),
    partner_id: m2o('res.partner', 'Customer'),
    partner_name: f('char', 'Company Name'),
    contact_name: f('char', 'Contact Name'),
    email_from: f('char', 'Email'),
    phone: f('char', 'Phone'),
    mobile: f('char', 'Mobile'),
    stage_id: m2o('crm.stage', 'Stage'),
    user_id: m2o('res.users', 'Salesperson'),
    probability: f('float', 'Probability'),
    expected_revenue: f('float', 'Expected Revenue'),
    priority: f('selection', 'Priority', { selection: [['0', 'Low'], ['1', 'Medium'], ['2', 'High'], ['3', 'Very High']] }),
    description: f('html', 'Notes'),
    street: f('char', 'Street'),
    city: f('char', 'City'),
    zip: f('char', 'Zip'),
    country_id: m2o('res.country', 'Country'),
    date_deadline: f('date', 'Expected Closing'),
    active: f('boolean', 'Active'),
  }, { order: 'priority desc, id desc' }),
  model('crm.stage', 'CRM Stages', {
    name: f('char', 'Stage Name', { required: true }),
    sequence: f('integer', 'Sequence'),
    is_won: f('boolean', 'Is Won Stage?'),
    fold: f('boolean', 'Folded in Pipeline'),
  }, { order: 'sequence, name, id' }),
  model('mail.message', 'Message', {
    model: f('char', 'Related Document Model'),
    res_id: f('many2one_reference', 'Related Document ID'),
    record_name: f('char', 'Message Record Name', { readonly: true }),
    body: f('html', 'Contents'),
    subject: f('char', 'Subject'),
    message_type: f('selection', 'Type', { required: true, selection: [['email', 'Incoming Email'], ['comment', 'Comment'], ['email_outgoing', 'Outgoing Email'], ['notification', 'System notification'], ['auto_comment', 'Automated Targeted Notification'], ['user_notification', 'User Specific Notification']] }),
    subtype_id: m2o('mail.message.subtype', 'Subtype'),
    author_id: m2o('res.partner', 'Author'),
    date: f('datetime', 'Date'),
  }, { order: 'id desc', recName: 'record_name' }),
  model('mail.message.subtype', 'Message subtypes', {
    name: f('char', 'Message Type', { required: true }),
    internal: f('boolean', 'Internal Only'),
  }),
  model('mail.activity', 'Activity', {
    res_model_id: m2o('ir.model', 'Document Model', { required: true }),
    res_model: f('char', 'Related Document Model', { readonly: true }),
    res_id: f('many2one_reference', 'Related Document ID', { required: true }),
    res_name: f('char', 'Document Name', { readonly: true }),
    activity_type_id: m2o('mail.activity.type', 'Activity Type'),
    summary: f('char', 'Summary'),
    note: f('html', 'Note'),
    date_deadline: f('date', 'Due Date', { required: true }),
    user_id: m2o('res.users', 'Assigned to'),
    state: f('selection', 'State', { readonly: true, selection: [['overdue', 'Overdue'], ['today', 'Today'], ['planned', 'Planned'], ['done', 'Done']] }),
  }, { order: 'date_deadline ASC, id ASC', recName: 'summary' }),
  model('mail.activity.type', 'Activity Type', {
    name: f('char', 'Name', { required: true }),
    category: f('selection', 'Action', { selection: [['default', 'None'], ['upload_file', 'Upload Document'], ['phonecall', 'Phonecall'], ['meeting', 'Meeting']] }),
    delay_count: f('integer', 'Schedule'),
    sequence: f('integer', 'Sequence'),
    active: f('boolean', 'Active'),
  }, { order: 'sequence, id' }),
  model('res.users', 'User', {
    name: f('char', 'Name', { required: true }),
    login: f('char', 'Login', { required: true }),
    email: f('char', 'Email'),
    partner_id: m2o('res.partner', 'Related Partner', { required: true }),
    active: f('boolean', 'Active'),
  }),
  model('res.country', 'Country', {
    name: f('char', 'Country Name', { required: true }),
    code: f('char', 'Country Code'),
    phone_code: f('integer', 'Country Calling Code'),
  }, { order: 'name, id' }),
  model('ir.model', 'Models', {
    name: f('char', 'Model Description', { required: true }),
    model: f('char', 'Model', { required: true }),
  }, { order: 'model' }),
  // External ids (`mail.mt_note` is module `mail`, name `mt_note`): how a client finds seeded records whatever their names.
  model('ir.model.data', 'Model Data', {
    name: f('char', 'External Identifier', { required: true }),
    complete_name: f('char', 'Complete ID', { readonly: true }),
    module: f('char', 'Module', { required: true }),
    model: f('char', 'Model Name', { required: true }),
    res_id: f('many2one_reference', 'Record ID'),
    noupdate: f('boolean', 'Non Updatable'),
  }, { order: 'module, model, name', recName: 'complete_name' }),
];

export function findModel(name: string): OdooModel | undefined {
  return MODELS.find((m) => m.name === name);
}
