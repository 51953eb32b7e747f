import type { Insertable } from 'kysely';
import { chunks } from './chunks.js';
import type { Database } from './schema.js';
import type { Tx } from './store.js';

/**
 * Inserts rows, replacing every non-key column of the rows that already exist (`on conflict
 * do update set col = excluded.col`), in statements of `per` rows. Same SQL on both engines.
 */
export async function upsertRows<T extends keyof Database & string>(
  tx: Tx,
  table: T,
  rows: Insertable<Database[T]>[],
  key: (keyof Database[T] & string)[],
  keep: (keyof Database[T] & string)[] = [],
  per = 100,
): Promise<void> {
  if (!rows.length) return;
  const replaced = Object.keys(rows[0]!).filter((c) => !key.includes(c as never) && !keep.includes(c as never));
  for (const part of chunks(rows, per)) {
    // Kysely cannot type a table chosen at run time; the column names come from the rows themselves.
    const q = (tx as unknown as Tx).insertInto(table as 'clients').values(part as Insertable<Database['clients']>[]);
    await q
      .onConflict((oc) =>
        oc.columns(key as 'id'[]).doUpdateSet((eb) => Object.fromEntries(replaced.map((c) => [c, eb.ref(`excluded.${c}` as 'excluded.id')]))),
      )
      .execute();
  }
}
