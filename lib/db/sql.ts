import type pg from "pg";
import type { Db, Tx } from "./client";

/**
 * A minimal SQL runner: parameterized statements ($1, $2, …) and their rows. The functions on
 * the webhook's hot path (claiming the event, applying the PaymentIntent, posting journals, the
 * receipt email and the audit event) are written against it, so they run either inside a Prisma
 * transaction (any caller's `tx`) or on a plain `pg` client in a transaction of its own
 * (`pgTransaction`), which costs the Node process about a third of what Prisma's per-statement
 * work does (bench/README.md).
 *
 * Rows come back as the `pg` driver and Prisma's raw queries agree on them: int4 → number,
 * timestamptz → Date, json → value, uuid/text → string. Statements here never select int8 or
 * numeric (the two differ there).
 */
export type Sql = {
  query<T>(text: string, values?: readonly unknown[]): Promise<T[]>;
  /** The number of rows the statement changed. */
  execute(text: string, values?: readonly unknown[]): Promise<number>;
  /** What identifies the transaction (for per-transaction caches): the same object for one transaction. */
  readonly key: object;
};

const wrapped = new WeakMap<object, Sql>();

function isSql(value: Db | Tx | Sql): value is Sql {
  return typeof (value as Sql).query === "function" && typeof (value as Sql).execute === "function" && "key" in value;
}

/** The runner for a Prisma client or transaction (the same object each time for one `tx`), or the runner itself. */
export function sqlOf(db: Db | Tx | Sql): Sql {
  if (isSql(db)) return db;
  let sql = wrapped.get(db);
  if (!sql) {
    sql = {
      query: <T>(text: string, values: readonly unknown[] = []) => db.$queryRawUnsafe<T[]>(text, ...values),
      execute: (text: string, values: readonly unknown[] = []) => db.$executeRawUnsafe(text, ...values),
      key: db,
    };
    wrapped.set(db, sql);
  }
  return sql;
}

/**
 * Runs `fn` in one transaction on a connection of `pool` (BEGIN … COMMIT; ROLLBACK and the error
 * on any failure). A connection whose ROLLBACK failed is discarded rather than reused.
 */
export async function pgTransaction<T>(pool: pg.Pool, fn: (sql: Sql) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  const sql: Sql = {
    query: async <R>(text: string, values: readonly unknown[] = []) => (await client.query(text, values as unknown[])).rows as R[],
    execute: async (text: string, values: readonly unknown[] = []) => (await client.query(text, values as unknown[])).rowCount ?? 0,
    key: client,
  };
  let broken: Error | undefined;
  try {
    await client.query("BEGIN");
    const result = await fn(sql);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch((rollbackError: unknown) => {
      broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
    });
    throw error;
  } finally {
    client.release(broken);
  }
}
