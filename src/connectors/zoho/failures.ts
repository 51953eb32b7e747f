import { CrmError } from '../errors.js';
import { ZOHO, type ZohoErrorBody } from './api.js';

const EXPECTED: Record<string, string> = {
  picklist: "not one of the picklist's values",
  email: 'not an e-mail address',
  phone: 'not a phone number',
  website: 'not a web address',
  integer: 'not a whole number',
  currency: 'not an amount',
  double: 'not a number',
  boolean: 'not true or false',
  date: 'not a date (YYYY-MM-DD)',
  datetime: 'not a date and time (ISO 8601 with offset)',
  jsonobject: 'not a JSON object',
};

const shown = (v: unknown) => (v === undefined ? 'nothing' : JSON.stringify(v));

/**
 * One record's refusal inside a bulk answer, in words that name the field, the value we sent
 * and what Zoho expected (PRODUCT.md S3, U4): `Lead_Source = "crm-sync": not one of the
 * picklist's values`. `sent` is the record as we sent it, to quote the value.
 */
export function recordFailure(err: ZohoErrorBody, module: string, sent: Record<string, unknown> | undefined): CrmError {
  const d = err.details;
  const field = typeof d.api_name === 'string' ? d.api_name : undefined;
  const details = { vendorCode: err.code, body: err };
  const value = field ? shown(sent?.[field]) : '';
  switch (err.code) {
    case 'INVALID_DATA': {
      if (field === 'id') return new CrmError('not_found', `${ZOHO.name} has no ${module} record ${shown(sent?.id)} any more (deleted or merged).`, details);
      if (!field) return new CrmError('invalid', `${ZOHO.name} refused the ${module} record: ${err.message ?? err.code}.`, details);
      const why =
        typeof d.maximum_length === 'number'
          ? `longer than the ${d.maximum_length} characters the field holds`
          : typeof d.expected_data_type === 'string'
            ? (EXPECTED[d.expected_data_type] ?? `expected ${d.expected_data_type}`)
            : 'not a record Zoho CRM knows for this lookup';
      return new CrmError('invalid', `${ZOHO.name} refused ${module}.${field} = ${value}: ${why}.`, details);
    }
    case 'MANDATORY_NOT_FOUND':
      return new CrmError('invalid', `${ZOHO.name} requires ${module}.${field ?? '?'}, and crm-sync sent no value for it: map a value to it or choose another module.`, details);
    case 'DUPLICATE_DATA': {
      const other = (d.duplicate_record as { id?: string } | undefined)?.id;
      return new CrmError('conflict', `${ZOHO.name} refused ${module}.${field ?? '?'} = ${value}: another ${module} record${other ? ` (${other})` : ''} already has it and the field is unique.`, details);
    }
    case 'INTERNAL_ERROR':
      return new CrmError('unavailable', `${ZOHO.name} had an internal error writing this ${module} record; crm-sync will retry.`, details);
    default:
      return new CrmError('invalid', `${ZOHO.name} refused the ${module} record (${err.code}${err.message ? `: ${err.message}` : ''}).`, details);
  }
}
