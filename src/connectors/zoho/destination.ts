import type { OutboundContext } from '../outbound.js';
import { ZOHO } from './api.js';
import { moduleFields } from './fields.js';

/** Where and how clients are written: the admin's choices (PRODUCT.md S4) with Zoho's usual defaults. */
export interface Destination {
  module: string;
  phoneField: string;
  nameField: string;
  chatLinkField?: string;
  /** Unset when the admin chose none and the module has no Lead_Source. */
  leadSourceField?: string;
  leadSourceValue: string;
  /** The module's field names, to write the standard fields only where they exist. */
  fields: Set<string>;
  /**
   * Of the phone field and Email, those Zoho takes as an upsert's duplicate_check_fields (a
   * system duplicate-check field, or marked unique): by default Email alone, in Leads and Contacts.
   */
  duplicateCheck: string[];
}

export async function destinationOf(ctx: OutboundContext, module = ctx.destination.module ?? ZOHO.defaults.module): Promise<Destination> {
  const d = ctx.destination;
  const all = await moduleFields(ctx, module);
  const fields = new Set(all.map((f) => f.api_name));
  // The destination's field choices belong to its module; a linked record in another module gets the defaults.
  const own = (d.module ?? ZOHO.defaults.module) === module;
  // Zoho's own Lead_Source is used unasked only when the value fits it: a picklist without the
  // value would refuse every new record, so then no lead source is written (activation says so
  // when the admin chooses the field).
  const standard = all.find((f) => f.api_name === ZOHO.defaults.leadSourceField);
  const fits = standard && (standard.data_type !== 'picklist' || standard.pick_list_values.some((p) => p.actual_value === d.leadSourceValue));
  const leadSource = own && d.leadSourceField ? d.leadSourceField : fits ? ZOHO.defaults.leadSourceField : undefined;
  const phoneField = (own && d.phoneField) || ZOHO.defaults.phoneField;
  const checkable = (name: string) =>
    fields.has(name) && ((ZOHO.systemDuplicateCheck[module] ?? []).includes(name) || Object.keys(all.find((f) => f.api_name === name)?.unique ?? {}).length > 0);
  return {
    module,
    phoneField,
    nameField: (own && d.nameField) || ZOHO.defaults.nameField,
    chatLinkField: own ? d.chatLinkField : undefined,
    leadSourceField: leadSource,
    leadSourceValue: d.leadSourceValue,
    fields,
    duplicateCheck: [phoneField, 'Email'].filter(checkable),
  };
}
