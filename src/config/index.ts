import { z } from 'zod';
import { isLoopback } from '../net/addresses.js';
import type { CrmId } from '../domain/crm.js';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const OAUTH_CRMS = ['hubspot', 'salesforce', 'pipedrive', 'zoho', 'dynamics'] as const satisfies readonly CrmId[];

function oauthAppVariables() {
  return Object.fromEntries(
    OAUTH_CRMS.flatMap((crm) => [
      [`${crm.toUpperCase()}_CLIENT_ID`, z.string().min(1).optional()],
      [`${crm.toUpperCase()}_CLIENT_SECRET`, z.string().min(1).optional()],
    ]),
  ) as Record<`${Uppercase<(typeof OAUTH_CRMS)[number]>}_${'CLIENT_ID' | 'CLIENT_SECRET'}`, z.ZodOptional<z.ZodString>>;
}

const flag = (fallback: boolean) =>
  z
    .enum(['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off'])
    .optional()
    .transform((v) => (v === undefined ? fallback : ['1', 'true', 'yes', 'on'].includes(v)));

/** A whole number of milliseconds (or a count) from the environment; 0 turns the limit off where Node allows it. */
const count = (fallback: number, min = 0) => z.coerce.number().int().min(min).default(fallback);

/** Defaults of the HTTP server's limits; README "Configuration" explains each. */
export const HTTP_LIMIT_DEFAULTS = {
  // The whole request, body included; a 32 MiB batch still fits at about 5 Mbit/s.
  requestTimeoutMs: 60_000,
  headersTimeoutMs: 10_000,
  // A socket with no traffic at all; longer than any answer takes to compute (CRM calls time out sooner).
  connectionTimeoutMs: 120_000,
  // Above the 60 s idle timeout of the usual load balancers, so they close first.
  keepAliveTimeoutMs: 72_000,
  maxRequestsPerSocket: 1_000,
  maxConnections: 1_000,
  // Large bodies (over 1 MiB) being read and processed at once; about one full batch.
  maxInflightBodyMiB: 48,
} as const;

export type HttpLimits = { -readonly [K in keyof typeof HTTP_LIMIT_DEFAULTS]: number };

const EnvSchema = z
  .object({
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: z.string().min(1).default('127.0.0.1'),
    CRM_SYNC_DATA_DIR: z.string().min(1).default('./data'),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
      .optional(),
    CRM_SYNC_SECRET_KEY: z
      .string()
      .refine((v) => decodeKey(v) !== undefined, 'must be 32 bytes, as 64 hex characters or 44 base64 characters')
      .optional(),
    PUBLIC_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
    LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
    /** Mount the fake CRMs on this server (the demo). Unset: on, except in production (see sandboxByDefault). */
    CRM_SYNC_SANDBOX: z.enum(['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off']).optional(),
    NODE_ENV: z.string().optional(),
    /** Other sandboxes connections may point at (`crm-sync sandbox` on another port), comma-separated. */
    CRM_SYNC_SANDBOX_URL: z
      .string()
      .refine((v) => v.split(',').every((u) => sandboxOrigin(u) !== undefined), 'must be a comma-separated list of http(s) URLs')
      .optional(),
    /** On an empty store, create a demo workspace (its sign-in printed once) and feed it sample data. */
    CRM_SYNC_DEMO: flag(true),
    /** Keys that sealed credentials before the current one (comma-separated), kept until `crm-sync keys rotate` has run. */
    CRM_SYNC_PREVIOUS_SECRET_KEYS: z
      .string()
      .refine((v) => v.split(',').every((k) => decodeKey(k) !== undefined), 'must be a comma-separated list of 32-byte keys (64 hex characters each)')
      .optional(),
    CRM_SYNC_REQUEST_TIMEOUT_MS: count(HTTP_LIMIT_DEFAULTS.requestTimeoutMs),
    // Unset: the default, or the request timeout when that is shorter.
    CRM_SYNC_HEADERS_TIMEOUT_MS: z.coerce.number().int().min(1).optional(),
    CRM_SYNC_CONNECTION_TIMEOUT_MS: count(HTTP_LIMIT_DEFAULTS.connectionTimeoutMs),
    CRM_SYNC_KEEP_ALIVE_TIMEOUT_MS: count(HTTP_LIMIT_DEFAULTS.keepAliveTimeoutMs, 1),
    CRM_SYNC_MAX_REQUESTS_PER_SOCKET: count(HTTP_LIMIT_DEFAULTS.maxRequestsPerSocket),
    CRM_SYNC_MAX_CONNECTIONS: count(HTTP_LIMIT_DEFAULTS.maxConnections, 1),
    CRM_SYNC_MAX_INFLIGHT_BODY_MIB: count(HTTP_LIMIT_DEFAULTS.maxInflightBodyMiB, 1),
    ...oauthAppVariables(),
  })
  .superRefine((env, ctx) => {
    for (const crm of OAUTH_CRMS) {
      const id = `${crm.toUpperCase()}_CLIENT_ID` as const;
      const secret = `${crm.toUpperCase()}_CLIENT_SECRET` as const;
      if (Boolean(env[id as keyof typeof env]) !== Boolean(env[secret as keyof typeof env]))
        ctx.addIssue({ code: 'custom', path: [env[id as keyof typeof env] ? secret : id], message: `must be set together with ${env[id as keyof typeof env] ? id : secret}` });
    }
    // Node refuses a server whose headers may take longer than the whole request.
    if (env.CRM_SYNC_REQUEST_TIMEOUT_MS > 0 && env.CRM_SYNC_HEADERS_TIMEOUT_MS !== undefined && env.CRM_SYNC_HEADERS_TIMEOUT_MS > env.CRM_SYNC_REQUEST_TIMEOUT_MS)
      ctx.addIssue({ code: 'custom', path: ['CRM_SYNC_HEADERS_TIMEOUT_MS'], message: 'must not be longer than CRM_SYNC_REQUEST_TIMEOUT_MS' });
    if (env.DATABASE_URL && !env.CRM_SYNC_SECRET_KEY) {
      ctx.addIssue({
        code: 'custom',
        path: ['CRM_SYNC_SECRET_KEY'],
        message: 'is required with DATABASE_URL: every process must share the key that encrypts credentials',
      });
    }
  });

export interface Config {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  readonly databaseUrl: string | undefined;
  /** The credential key from the environment; undefined in the embedded default (it lives in the data dir). */
  readonly secretKey: Buffer | undefined;
  readonly publicUrl: string;
  readonly logLevel: (typeof LOG_LEVELS)[number];
  /** Mount the seven fake CRMs under /sandbox. */
  readonly sandboxEnabled: boolean;
  /** Origins of other sandboxes a connection's baseUrl may name (CRM_SYNC_SANDBOX_URL), e.g. http://127.0.0.1:4010. */
  readonly sandboxUrls: readonly string[];
  /** The demo workspace and its trickle of sample data (CRM_SYNC_DEMO, default on; off: nothing is created or printed). */
  readonly demo: boolean;
  readonly previousSecretKeys: readonly Buffer[];
  /** OAuth apps registered with each vendor, from <CRM>_CLIENT_ID and <CRM>_CLIENT_SECRET. */
  readonly oauthApps: Readonly<Partial<Record<CrmId, { clientId: string; clientSecret: string }>>>;
  /** Timeouts and caps of the HTTP server (CRM_SYNC_*_TIMEOUT_MS, CRM_SYNC_MAX_*). */
  readonly http: Readonly<HttpLimits>;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses the environment once; reports every bad variable together. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const raw = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = EnvSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.') || 'environment'} ${i.message}`));
  }
  const e = parsed.data;
  return Object.freeze({
    port: e.PORT,
    host: e.HOST,
    dataDir: e.CRM_SYNC_DATA_DIR,
    databaseUrl: e.DATABASE_URL,
    secretKey: e.CRM_SYNC_SECRET_KEY ? decodeKey(e.CRM_SYNC_SECRET_KEY) : undefined,
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
    logLevel: e.LOG_LEVEL,
    sandboxEnabled: e.CRM_SYNC_SANDBOX === undefined ? sandboxByDefault(e.NODE_ENV, e.PUBLIC_URL) : ['1', 'true', 'yes', 'on'].includes(e.CRM_SYNC_SANDBOX),
    sandboxUrls: Object.freeze(e.CRM_SYNC_SANDBOX_URL?.split(',').map((u) => sandboxOrigin(u)!) ?? []),
    demo: e.CRM_SYNC_DEMO,
    previousSecretKeys: Object.freeze((e.CRM_SYNC_PREVIOUS_SECRET_KEYS?.split(',') ?? []).map((k) => decodeKey(k)!)),
    oauthApps: Object.freeze(
      Object.fromEntries(
        OAUTH_CRMS.flatMap((crm) => {
          const id = e[`${crm.toUpperCase() as Uppercase<typeof crm>}_CLIENT_ID`];
          const secret = e[`${crm.toUpperCase() as Uppercase<typeof crm>}_CLIENT_SECRET`];
          return id && secret ? [[crm, { clientId: id, clientSecret: secret }]] : [];
        }),
      ),
    ),
    http: Object.freeze({
      requestTimeoutMs: e.CRM_SYNC_REQUEST_TIMEOUT_MS,
      headersTimeoutMs: e.CRM_SYNC_HEADERS_TIMEOUT_MS ?? Math.min(HTTP_LIMIT_DEFAULTS.headersTimeoutMs, e.CRM_SYNC_REQUEST_TIMEOUT_MS || Infinity),
      connectionTimeoutMs: e.CRM_SYNC_CONNECTION_TIMEOUT_MS,
      keepAliveTimeoutMs: e.CRM_SYNC_KEEP_ALIVE_TIMEOUT_MS,
      maxRequestsPerSocket: e.CRM_SYNC_MAX_REQUESTS_PER_SOCKET,
      maxConnections: e.CRM_SYNC_MAX_CONNECTIONS,
      maxInflightBodyMiB: e.CRM_SYNC_MAX_INFLIGHT_BODY_MIB,
    }),
  });
}

/**
 * The sandbox serves fake CRMs with published credentials: right for `npm start` on a laptop,
 * wrong for a server others reach. Unless CRM_SYNC_SANDBOX says otherwise, it is off in
 * production (NODE_ENV=production) and whenever PUBLIC_URL names a host other than loopback.
 */
function sandboxByDefault(nodeEnv: string | undefined, publicUrl: string | undefined): boolean {
  if (nodeEnv === 'production') return false;
  return publicUrl === undefined || isLoopback(new URL(publicUrl).hostname);
}

/** The origin of a sandbox URL (its path is always /sandbox/<crm>), or undefined when it is not http(s). */
function sandboxOrigin(value: string): string | undefined {
  const v = value.trim();
  if (!URL.canParse(v)) return undefined;
  const u = new URL(v);
  return u.protocol === 'http:' || u.protocol === 'https:' ? u.origin : undefined;
}

/** A 256-bit key as 64 hex characters or base64; undefined when it is neither. */
export function decodeKey(value: string): Buffer | undefined {
  const v = value.trim();
  if (/^[0-9a-fA-F]{64}$/.test(v)) return Buffer.from(v, 'hex');
  const b = Buffer.from(v, 'base64');
  return b.length === 32 && /^[A-Za-z0-9+/]+=*$/.test(v) ? b : undefined;
}
