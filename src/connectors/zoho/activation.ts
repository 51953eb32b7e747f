import { CrmError } from '../errors.js';
import type { CrmRef, DestinationSettings, OutboundContext } from '../outbound.js';
import { crmUrl, failureOf, ZOHO } from './api.js';
import { contactRecord } from './contact-fields.js';
import { destinationOf } from './destination.js';
import { moduleFields, type ZohoField } from './fields.js';
import { writeRecords } from './writes.js';

const TEST_PHONE = '+10000000000';

/**
 * Activation (PRODUCT.md K8): checks each chosen field against the module's metadata (it
 * exists, has the right kind, the lead-source value fits a picklist, nothing else mandatory is
 * left empty), then writes a test record exactly as a sync would and deletes it. Every check
 * that fails is named, together, so the admin fixes them in one go.
 */
export async function activate(ctx: OutboundContext, settings: DestinationSettings): Promise<{ record: CrmRef; removed: boolean }> {
  const scoped = { ...ctx, destination: settings };
  const d = await destinationOf(scoped);
  const fields = new Map((await moduleFields(scoped, d.module)).map((f) => [f.api_name, f]));
  if (fields.size === 0) throw new CrmError('invalid', `${ZOHO.name} has no module ${d.module} (or it has no fields crm-sync can read).`);
  const problems: string[] = [];
  const need = (role: string, name: string | undefined, ok: (f: ZohoField) => boolean, kind: string) => {
    if (!name) return;
    const f = fields.get(name);
    if (!f) problems.push(`the ${d.module} module has no field ${name} (chosen as the ${role} field)`);
    else if (f.read_only) problems.push(`${d.module}.${name} is read-only (chosen as the ${role} field)`);
    else if (!ok(f)) problems.push(`${d.module}.${name} is a ${f.data_type} field, not ${kind} (chosen as the ${role} field)`);
  };
  need('phone', d.phoneField, (f) => f.data_type === 'phone', 'a phone field');
  need('name', d.nameField, (f) => ['text', 'textarea'].includes(f.data_type), 'a text field');
  need('chat link', d.chatLinkField, (f) => ['text', 'textarea', 'website'].includes(f.data_type), 'a text or URL field');
  need('lead source', d.leadSourceField, (f) => ['text', 'textarea', 'picklist'].includes(f.data_type), 'a text field or picklist');
  // Unchosen, Zoho's own Lead_Source is used only when the value fits it: say so now rather than
  // let the lead source go silently unwritten.
  const source = fields.get(d.leadSourceField ?? ZOHO.defaults.leadSourceField);
  if (source?.data_type === 'picklist' && !source.pick_list_values.some((p) => p.actual_value === d.leadSourceValue))
    problems.push(`${d.module}.${source.api_name} is a picklist without the value "${d.leadSourceValue}": add it in Zoho CRM or choose one of ${source.pick_list_values.map((p) => `"${p.actual_value}"`).join(', ')}`);

  const record = contactRecord(
    { clientId: 'crm-sync-activation-test', firstName: 'crm-sync', lastName: 'activation test', emails: [], phones: [TEST_PHONE], fallbackName: 'crm-sync activation test', properties: {}, chatUrl: 'https://crm-sync.invalid/activation-test' },
    d,
    'create',
  );
  const missing = [...fields.values()].filter((f) => f.system_mandatory && !f.read_only && record[f.api_name] === undefined).map((f) => f.api_name);
  if (missing.length) problems.push(`the ${d.module} module requires ${missing.join(', ')}, which crm-sync does not fill: choose it as the name field or pick another module`);
  if (problems.length) throw new CrmError('invalid', `${ZOHO.name} cannot take clients with these settings: ${problems.join('; ')}.`);

  const [written] = await writeRecords(scoped, d.module, { kind: 'insert' }, [record]);
  if (!written?.ok) throw written?.error ?? new CrmError('unavailable', `${ZOHO.name} gave no answer for the test record.`);
  const res = await ctx.http({ method: 'DELETE', url: crmUrl(ctx, `/${d.module}/${written.id}`) }).catch(() => undefined);
  return { record: { object: d.module, id: written.id }, removed: res !== undefined && !failureOf(res) };
}
