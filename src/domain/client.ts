import { z } from 'zod';
import type { ErrorDetail } from '../errors.js';
import { invalidEmail, normalizeEmail, normalizePhone } from './contact-points.js';
import { PlatformId, PropertyMap } from './schema-parts.js';

export const AddressInput = z
  .object({
    street: z.string().max(500),
    city: z.string().max(200),
    state: z.string().max(200),
    zip: z.string().max(50),
    country: z.string().max(100),
  })
  .partial()
  .strict();

export const ClientInput = z
  .object({
    firstName: z.string().max(200),
    lastName: z.string().max(200),
    emails: z.array(z.string().max(320)).max(50),
    phones: z.array(z.string().max(64)).max(50),
    company: z.string().max(300),
    companyId: PlatformId,
    address: AddressInput,
    ownerEmail: z.string().max(320),
    segments: z.array(z.string().min(1).max(100)).max(100),
    properties: PropertyMap,
  })
  .partial()
  .strict();
export type ClientInput = z.infer<typeof ClientInput>;

export const ContactPoint = z.object({
  /** Normalised: lower-case e-mail or E.164 phone. */
  value: z.string(),
  /** As the platform sent it. */
  raw: z.string(),
});

/** A client as stored and returned: the input with e-mails and phones normalised. */
export const ClientView = z.object({
  id: z.string(),
  firstName: z.string().optional(),
  lastName: z.string().optional(),
  emails: z.array(ContactPoint),
  phones: z.array(ContactPoint),
  company: z.string().optional(),
  companyId: z.string().optional(),
  address: AddressInput.optional(),
  ownerEmail: z.string().optional(),
  segments: z.array(z.string()),
  properties: z.record(z.string(), z.unknown()),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type ClientView = z.infer<typeof ClientView>;
export type ClientBody = Omit<ClientView, 'version' | 'createdAt' | 'updatedAt'>;

/**
 * Turns an accepted input into the stored body, or lists every e-mail and phone that
 * cannot be read. `path` prefixes the details (e.g. `clients[3]` inside a batch).
 */
export function normalizeClient(
  id: string,
  input: ClientInput,
  defaultCountry: string,
  path = '',
): { ok: true; body: ClientBody } | { ok: false; details: ErrorDetail[] } {
  const details: ErrorDetail[] = [];
  const at = (p: string) => (path ? `${path}.${p}` : p);
  const emails = dedupe(
    (input.emails ?? []).flatMap((raw, i) => {
      if (raw.trim() === '') return [];
      const value = normalizeEmail(raw);
      if (!value) details.push({ path: at(`emails[${i}]`), message: invalidEmail(raw) });
      return value ? [{ value, raw }] : [];
    }),
  );
  const phones = dedupe(
    (input.phones ?? []).flatMap((raw, i) => {
      if (raw.trim() === '') return [];
      const value = normalizePhone(raw, defaultCountry);
      if (!value)
        details.push({
          path: at(`phones[${i}]`),
          message: `${JSON.stringify(raw)} is not a valid phone number (read with default country ${defaultCountry}; send it in international format, e.g. +34 600 111 222)`,
        });
      return value ? [{ value, raw }] : [];
    }),
  );
  let ownerEmail: string | undefined;
  if (input.ownerEmail !== undefined && input.ownerEmail.trim() !== '') {
    ownerEmail = normalizeEmail(input.ownerEmail);
    if (!ownerEmail) details.push({ path: at('ownerEmail'), message: invalidEmail(input.ownerEmail) });
  }
  if (details.length) return { ok: false, details };
  return {
    ok: true,
    body: {
      id,
      firstName: blankToUndefined(input.firstName),
      lastName: blankToUndefined(input.lastName),
      emails,
      phones,
      company: blankToUndefined(input.company),
      companyId: input.companyId,
      address: input.address,
      ownerEmail,
      segments: [...new Set(input.segments ?? [])].sort(),
      properties: input.properties ?? {},
    },
  };
}

function dedupe<T extends { value: string }>(points: T[]): T[] {
  const seen = new Set<string>();
  return points.filter((p) => (seen.has(p.value) ? false : (seen.add(p.value), true)));
}

function blankToUndefined(v: string | undefined): string | undefined {
  const t = v?.trim();
  return t ? t : undefined;
}
