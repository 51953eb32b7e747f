import { z } from 'zod';
import type { ErrorDetail } from '../errors.js';
import { normalizeDomain } from './contact-points.js';
import { PropertyMap } from './schema-parts.js';

export const CompanyInput = z
  .object({
    name: z.string().max(300),
    domain: z.string().max(300),
    /** The company's id in the platform's own account system, matched against the CRM. */
    externalAccountId: z.string().max(200),
    properties: PropertyMap,
  })
  .partial()
  .strict();
export type CompanyInput = z.infer<typeof CompanyInput>;

export const CompanyView = z.object({
  id: z.string(),
  name: z.string().optional(),
  domain: z.string().optional(),
  externalAccountId: z.string().optional(),
  properties: z.record(z.string(), z.unknown()),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type CompanyView = z.infer<typeof CompanyView>;
export type CompanyBody = Omit<CompanyView, 'version' | 'createdAt' | 'updatedAt'>;

export function normalizeCompany(
  id: string,
  input: CompanyInput,
  path = '',
): { ok: true; body: CompanyBody } | { ok: false; details: ErrorDetail[] } {
  let domain: string | undefined;
  if (input.domain !== undefined && input.domain.trim() !== '') {
    domain = normalizeDomain(input.domain);
    if (!domain) return { ok: false, details: [{ path: path ? `${path}.domain` : 'domain', message: `${JSON.stringify(input.domain)} is not a web domain such as acme.io` }] };
  }
  return {
    ok: true,
    body: {
      id,
      name: input.name?.trim() || undefined,
      domain,
      externalAccountId: input.externalAccountId?.trim() || undefined,
      properties: input.properties ?? {},
    },
  };
}
