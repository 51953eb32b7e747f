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
}

export async function destinationOf(ctx: OutboundContext, module = ctx.destination.module ?? ZOHO.defaults.module): Promise<Destination> {
  const d = ctx.destination;
  const fields = new Set((await moduleFields(ctx, module)).map((f) => f.api_name));
  // The destination's field choices belong to its module; a linked record in another module gets the defaults.
  const own = (d.module ?? ZOHO.defaults.module) === module;
  const leadSource = own && d.leadSourceField ? d.leadSourceField : fields.has(ZOHO.defaults.leadSourceField) ? ZOHO.defaults.leadSourceField : undefined;
  return {
    module,
    phoneField: (own && d.phoneField) || ZOHO.defaults.phoneField,
    nameField: (own && d.nameField) || ZOHO.defaults.nameField,
    chatLinkField: own ? d.chatLinkField : undefined,
    leadSourceField: leadSource,
    leadSourceValue: d.leadSourceValue,
    fields,
  };
}
