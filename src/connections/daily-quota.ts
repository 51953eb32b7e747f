import type { DailyQuota } from '../connectors/http/rate-budget.js';
import { spendQuota } from '../store/quotas.js';
import type { Db } from '../store/store.js';

/** A connection's daily quota counted in the database: every process on it spends from one row. */
export function storedDailyQuota(db: Db): DailyQuota {
  return { spend: (p) => spendQuota(db, p) };
}
