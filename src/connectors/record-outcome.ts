import { CrmError } from './errors.js';
import type { CrmRef, RecordOutcome } from './outbound.js';

/**
 * One record's outcome: what `write` made of it, or the CrmError it failed with, so that a bad
 * record fails alone where the vendor writes one record per call. Anything else is a bug and
 * is thrown.
 */
export async function outcomeOf<R = CrmRef>(write: () => Promise<RecordOutcome<R>>): Promise<RecordOutcome<R>> {
  try {
    return await write();
  } catch (err) {
    if (!(err instanceof CrmError)) throw err;
    return { ok: false, error: err };
  }
}
