import { z } from 'zod';
import { normalizeEmail } from './contact-points.js';
import { PlatformId } from './schema-parts.js';

/** ISO 4217 codes Node knows (the currencies in circulation). */
const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));

/** A calendar date that exists: 2026-02-30 is refused, not rolled over into March. */
const CalendarDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date as YYYY-MM-DD, e.g. 2026-12-31')
  // zod runs this check even after the pattern failed: a string that is no date at all is left to the pattern's message.
  .refine((v) => {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(v)) return true;
    const d = new Date(`${v}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
  }, 'is not a date in the calendar');

/** A deal to create for a client, on request (PRODUCT.md S8). */
export const DealInput = z
  .object({
    /** The client whose CRM contact the deal is for; the deal waits until that contact exists. */
    clientId: PlatformId,
    title: z
      .string()
      .max(255, 'must be at most 255 characters')
      .refine((v) => v.trim() !== '', 'must not be empty'),
    amount: z.number().finite().min(0, 'must not be negative').max(1e15, 'is too large').optional(),
    currency: z
      .string()
      .refine((v) => CURRENCIES.has(v.trim().toUpperCase()), 'must be an ISO 4217 currency code, e.g. EUR')
      .optional(),
    closeDate: CalendarDate.optional(),
    /** The platform user who owns the deal: the CRM user with this e-mail becomes its owner. */
    ownerEmail: z
      .string()
      .max(320)
      .refine((v) => normalizeEmail(v) !== undefined, 'must be an e-mail address')
      .optional(),
  })
  .strict();
export type DealInput = z.infer<typeof DealInput>;

export const DealView = z.object({
  id: z.string(),
  clientId: z.string(),
  title: z.string(),
  amount: z.number().optional(),
  currency: z.string().optional(),
  closeDate: z.string().optional(),
  ownerEmail: z.string().optional(),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type DealView = z.infer<typeof DealView>;
export type DealBody = Omit<DealView, 'version' | 'createdAt' | 'updatedAt'>;

/** The stored body: title trimmed, currency upper-cased, e-mail normalised, absent values left out. */
export function dealBody(id: string, input: DealInput): DealBody {
  return {
    id,
    clientId: input.clientId,
    title: input.title.trim(),
    ...(input.amount !== undefined ? { amount: input.amount } : {}),
    ...(input.currency !== undefined ? { currency: input.currency.trim().toUpperCase() } : {}),
    ...(input.closeDate !== undefined ? { closeDate: input.closeDate } : {}),
    ...(input.ownerEmail !== undefined ? { ownerEmail: normalizeEmail(input.ownerEmail) } : {}),
  };
}
