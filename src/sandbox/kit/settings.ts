import { z } from 'zod';

/**
 * Behaviour knobs of one fake CRM, set through the control API. Defaults are the
 * vendor's real behaviour: no injected faults, real rate limits (factor 1).
 */
export const SandboxSettingsSchema = z.object({
  /** Added to every API response, in milliseconds. */
  latencyMs: z.number().int().min(0).max(60_000).default(0),
  /** Share of API requests (0..1) answered with a 5xx before they touch any state. */
  errorRate: z.number().min(0).max(1).default(0),
  /** The next N API requests fail with a 5xx (a burst), then behaviour returns to normal. */
  failNext: z.number().int().min(0).max(100_000).default(0),
  /** Share of writes (0..1) that commit and then answer only after `timeoutDelayMs`. */
  timeoutRate: z.number().min(0).max(1).default(0),
  timeoutDelayMs: z.number().int().min(0).max(600_000).default(30_000),
  /** Multiplies every rate limit (2 = twice as many calls per window); 0 turns limits off. */
  rateLimitFactor: z.number().min(0).max(1_000_000).default(1),
  /** How long a new or changed record stays invisible to search (HubSpot's indexing lag). */
  searchLagMs: z.number().int().min(0).max(600_000).default(0),
  /** Seed of the random faults, so a test run can be repeated exactly. */
  seed: z.number().int().default(1),
});
export type SandboxSettings = z.infer<typeof SandboxSettingsSchema>;
export const SandboxSettingsPatchSchema = SandboxSettingsSchema.partial().strict();
export type SandboxSettingsPatch = z.infer<typeof SandboxSettingsPatchSchema>;

export const defaultSettings = (): SandboxSettings => SandboxSettingsSchema.parse({});

/** mulberry32: a tiny seeded PRNG, enough for repeatable fault injection. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
