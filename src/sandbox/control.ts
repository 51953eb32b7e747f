import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { CRM_IDS, CRM_NAMES, isCrmId, type CrmId } from '../domain/crm.js';
import { SandboxSettingsPatchSchema } from './kit/settings.js';
import { requestOrigin } from './kit/origin.js';
import type { Sandbox } from './runtime.js';

const CrmQuery = z.object({ crm: z.string().optional() });
const SettingsBody = SandboxSettingsPatchSchema.extend({ crm: z.string().optional() }).strict();

/**
 * The sandbox's own API, for tests and people: what to connect with, reset, fault
 * settings, a dump of every record, webhook deliveries and request counts.
 */
export async function registerControlRoutes(app: FastifyInstance, sandbox: Sandbox): Promise<void> {
  const base = '/sandbox/__control';

  const pickCrm = (value: string | undefined): CrmId | undefined | 'bad' =>
    value === undefined ? undefined : isCrmId(value) ? value : 'bad';
  const badCrm = (value: unknown) => ({
    error: { code: 'unknown_crm', message: `crm must be one of ${CRM_IDS.join(', ')}; got ${JSON.stringify(value)}` },
  });

  app.get(base, async (req) => {
    const origin = requestOrigin(req);
    return {
      origin,
      crms: Object.fromEntries(
        CRM_IDS.map((id) => {
          const baseUrl = `${origin}/sandbox/${id}`;
          return [id, { name: CRM_NAMES[id], baseUrl, settings: sandbox.settings(id), ...sandbox.crm(id).account(baseUrl) }];
        }),
      ),
    };
  });

  app.post(`${base}/reset`, async (req, reply) => {
    const crm = pickCrm(CrmQuery.parse(req.query ?? {}).crm);
    if (crm === 'bad') return reply.code(400).send(badCrm((req.query as { crm?: string }).crm));
    sandbox.reset(crm);
    return { reset: crm ?? 'all' };
  });

  app.patch(`${base}/settings`, async (req, reply) => {
    const parsed = SettingsBody.safeParse(req.body ?? {});
    if (!parsed.success) {
      return reply.code(400).send({
        error: {
          code: 'invalid_settings',
          message: 'The settings are not valid',
          details: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
        },
      });
    }
    const { crm: crmName, ...patch } = parsed.data;
    const crm = pickCrm(crmName);
    if (crm === 'bad') return reply.code(400).send(badCrm(crmName));
    sandbox.configure(patch, crm);
    return { settings: Object.fromEntries((crm ? [crm] : CRM_IDS).map((id) => [id, sandbox.settings(id)])) };
  });

  app.get(`${base}/records`, async (req, reply) => {
    const crm = pickCrm(CrmQuery.parse(req.query ?? {}).crm);
    if (crm === 'bad') return reply.code(400).send(badCrm((req.query as { crm?: string }).crm));
    return Object.fromEntries((crm ? [crm] : CRM_IDS).map((id) => [id, sandbox.crm(id).dump()]));
  });

  app.get(`${base}/webhooks`, async () =>
    Object.fromEntries(
      CRM_IDS.map((id) => {
        const hub = sandbox.crm(id).webhooks;
        return [id, { subscriptions: hub?.list() ?? [], deliveries: hub?.deliveries ?? [] }];
      }),
    ),
  );

  app.get(`${base}/stats`, async () =>
    Object.fromEntries(
      CRM_IDS.map((id) => [id, { ...sandbox.counts(id), tokenRequests: sandbox.crm(id).oauth?.tokenRequests ?? 0 }]),
    ),
  );

  app.post(`${base}/expire-tokens`, async (req, reply) => {
    const crm = pickCrm(CrmQuery.parse(req.query ?? {}).crm);
    if (crm === 'bad') return reply.code(400).send(badCrm((req.query as { crm?: string }).crm));
    for (const id of crm ? [crm] : CRM_IDS) sandbox.crm(id).oauth?.expireAccessTokens();
    return { expired: crm ?? 'all' };
  });
}
