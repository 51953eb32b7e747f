import type { Db, Tx } from './store.js';

/**
 * Spends `calls` from a connection's allocation for one UTC day, in one atomic statement on
 * both engines: the row is created on the day's first call, and an update that would pass
 * `limit` does not happen. Returns the new total, or undefined when the calls do not fit.
 */
export async function spendQuota(db: Db | Tx, p: { connectionId: string; day: string; calls: number; limit: number }): Promise<number | undefined> {
  if (p.calls > p.limit) return undefined;
  const row = await db
    .insertInto('crm_quotas')
    .values({ connection_id: p.connectionId, day: p.day, used: p.calls, limit: p.limit })
    .onConflict((oc) =>
      oc
        .columns(['connection_id', 'day'])
        .doUpdateSet((eb) => ({ used: eb('crm_quotas.used', '+', eb.ref('excluded.used')), limit: eb.ref('excluded.limit') }))
        .where((eb) => eb(eb('crm_quotas.used', '+', eb.ref('excluded.used')), '<=', eb.ref('excluded.limit'))),
    )
    .returning('used')
    .executeTakeFirst();
  return row?.used;
}

/** Calls spent on that day (0 when none yet). */
export async function quotaUsed(db: Db | Tx, connectionId: string, day: string): Promise<number> {
  const row = await db.selectFrom('crm_quotas').select('used').where('connection_id', '=', connectionId).where('day', '=', day).executeTakeFirst();
  return row?.used ?? 0;
}
