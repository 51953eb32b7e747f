import { CrmError } from '../errors.js';
import { CRM_NAME } from './facts.js';
import { ErrorBody } from './schemas.js';

/** One property HubSpot refused, as listed in its VALIDATION_ERROR. */
export interface PropertyProblem {
  name: string;
  message: string;
  code?: string;
}

const LISTED = 'Property values were not valid: ';

/**
 * The refused properties of a VALIDATION_ERROR. HubSpot lists them as JSON inside `message`
 * ("Property values were not valid: [{name, message, error}]"); single errors also carry
 * `errors[].context.propertyName`.
 */
export function propertyProblems(message: string, body?: unknown): PropertyProblem[] {
  const at = message.indexOf(LISTED);
  if (at >= 0) {
    try {
      const listed = JSON.parse(message.slice(at + LISTED.length)) as unknown;
      if (Array.isArray(listed)) {
        const problems = listed.flatMap((p: { name?: unknown; message?: unknown; error?: unknown }) =>
          typeof p?.name === 'string' ? [{ name: p.name, message: String(p.message ?? ''), code: typeof p.error === 'string' ? p.error : undefined }] : [],
        );
        if (problems.length > 0) return problems;
      }
    } catch {
      // not the JSON list; fall back to `errors`
    }
  }
  const parsed = ErrorBody.safeParse(body);
  if (!parsed.success) return [];
  return (parsed.data.errors ?? []).flatMap((e) => {
    const name = e.context?.propertyName?.[0];
    return name ? [{ name, message: e.message ?? '', code: e.code }] : [];
  });
}

/** HubSpot's 409 on a contact create: "Contact already exists. Existing ID: 51000001". */
export function existingContactId(message: string): string | undefined {
  return /Existing ID: (\d+)/.exec(message)?.[1];
}

/**
 * The error of one refused record, naming the property and the value we sent
 * (`HubSpot refused email = "ana@": Email address ana@ is invalid`).
 */
export function recordRefusal(
  what: string,
  refusal: { status?: number; category?: string; message: string; body?: unknown },
  sent: Record<string, unknown>,
  problems = propertyProblems(refusal.message, refusal.body),
): CrmError {
  const details = { status: refusal.status, vendorCode: refusal.category, body: refusal.body };
  if (refusal.category === 'CONFLICT' || refusal.status === 409) {
    return new CrmError('conflict', `${CRM_NAME} refused the ${what}: ${refusal.message}`, details);
  }
  if (refusal.category === 'OBJECT_NOT_FOUND') {
    return new CrmError('not_found', `${CRM_NAME} has no such ${what} (deleted?): ${refusal.message}`, details);
  }
  if (problems.length === 0) return new CrmError('invalid', `${CRM_NAME} refused the ${what}: ${refusal.message}`, details);
  const said = problems.map((p) => (sent[p.name] === undefined ? `${p.name}: ${p.message}` : `${p.name} = "${String(sent[p.name])}": ${p.message}`));
  return new CrmError('invalid', `${CRM_NAME} refused ${said.join('; ')}`, { ...details, vendorCode: problems[0]?.code ?? refusal.category });
}

/** Whether HubSpot's message quotes this value (as it does for bad e-mails, options, owners and duplicate ids). */
export function quotes(message: string, value: unknown): boolean {
  if (value === undefined || value === null) return false;
  const v = String(value);
  if (v.length === 0) return false;
  return (
    message.startsWith(`${v} `) ||
    message.includes(` ${v} `) ||
    message.endsWith(` ${v}`) ||
    message.includes(`"${v}"`) ||
    message.includes(`[${v}]`) ||
    message.includes(`: ${v}`)
  );
}
