import { sql } from 'kysely';
import type { Db, Tx } from './store.js';

/** The latest end of a lock among `keys` that is still ahead of `now`, if any. */
export async function lockedUntil(db: Db | Tx, keys: string[], now: number): Promise<number | undefined> {
  const row = await db
    .selectFrom('sign_in_attempts')
    .select((eb) => eb.fn.max('locked_until').as('until'))
    .where('key', 'in', keys)
    .where('locked_until', '>', now)
    .executeTakeFirst();
  return row?.until == null ? undefined : Number(row.until);
}

/**
 * Counts one failure for `key` in one atomic statement on both engines: a window older than
 * `windowMs` starts again at one; reaching `limit` in the window locks the key for `lockMs`.
 */
export async function countFailure(db: Db | Tx, p: { key: string; now: number; windowMs: number; limit: number; lockMs: number }): Promise<void> {
  const stale = sql<boolean>`sign_in_attempts.window_started_at <= ${p.now - p.windowMs}`;
  const failures = sql<number>`case when ${stale} then 1 else sign_in_attempts.failures + 1 end`;
  await db
    .insertInto('sign_in_attempts')
    .values({ key: p.key, failures: 1, window_started_at: p.now, locked_until: p.limit <= 1 ? p.now + p.lockMs : null })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        failures,
        window_started_at: sql<number>`case when ${stale} then ${p.now} else sign_in_attempts.window_started_at end`,
        locked_until: sql<number | null>`case when ${failures} >= ${p.limit} then ${p.now + p.lockMs} else sign_in_attempts.locked_until end`,
      }),
    )
    .execute();
}

export async function clearFailures(db: Db | Tx, key: string): Promise<void> {
  await db.deleteFrom('sign_in_attempts').where('key', '=', key).execute();
}

/** Rows whose window and lock are both over say nothing any more. */
export async function forgetOldFailures(db: Db | Tx, now: number, windowMs: number): Promise<void> {
  await db
    .deleteFrom('sign_in_attempts')
    .where('window_started_at', '<=', now - windowMs)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', now)]))
    .execute();
}
