import type { Db, Tx } from "@/lib/db/client";

/**
 * Runs `run` in a transaction: a new one on a client, or the caller's when `db` already is one,
 * so an operation composes inside a larger transaction (e.g. a clearinghouse import applying claims).
 */
export function inTransaction<T>(db: Db | Tx, run: (tx: Tx) => Promise<T>, options?: { timeout?: number }): Promise<T> {
  if ("$transaction" in db) return (db as Db).$transaction(run, options);
  return run(db);
}
