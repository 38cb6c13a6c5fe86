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
  /**
   * A write whose result the caller does not need (an INSERT, UPDATE or DELETE, optionally with
   * its own WITH list). In a `pgTransaction` it is held and sent with the writes that follow it as
   * one statement, before the next read and before COMMIT (one round trip instead of several);
   * elsewhere it runs at once. Its errors surface at that point, and roll the transaction back.
   */
  write(text: string, values?: readonly unknown[]): Promise<void>;
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
      write: async (text: string, values: readonly unknown[] = []) => {
        await db.$executeRawUnsafe(text, ...values);
      },
      key: db,
    };
    wrapped.set(db, sql);
  }
  return sql;
}

type PendingWrite = { text: string; values: readonly unknown[] };
type ParsedWrite = { ctes: { name: string; body: string }[]; main: string; tables: string[] };

/** Index just past the parenthesis that closes the one at `open` (single-quoted strings skipped). */
function closingParen(text: string, open: number): number {
  let depth = 0;
  for (let index = open; index < text.length; index++) {
    const char = text[index];
    if (char === "'") {
      index = text.indexOf("'", index + 1);
      if (index < 0) break;
    } else if (char === "(") depth++;
    else if (char === ")" && --depth === 0) return index + 1;
  }
  throw new Error("sql: unbalanced parentheses in a write");
}

const TABLE_PATTERN = /\b(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+("?[a-z_][a-z0-9_]*"?)/gi;

/** Splits `[WITH a AS (…), b AS (…)] INSERT/UPDATE/DELETE …` into its WITH list and main statement. */
function parseWrite(text: string): ParsedWrite {
  if (text.includes("$$") || text.includes(";")) throw new Error("sql: a batched write is one statement without dollar quotes");
  let rest = text.trim();
  const ctes: ParsedWrite["ctes"] = [];
  if (/^WITH\s/i.test(rest)) {
    rest = rest.slice(4).trimStart();
    for (;;) {
      const head = /^([a-z_][a-z0-9_]*)\s+AS\s*\(/i.exec(rest);
      if (!head) throw new Error("sql: cannot read the WITH list of a batched write");
      const end = closingParen(rest, head[0].length - 1);
      ctes.push({ name: head[1]!.toLowerCase(), body: rest.slice(head[0].length - 1, end) });
      rest = rest.slice(end).trimStart();
      if (!rest.startsWith(",")) break;
      rest = rest.slice(1).trimStart();
    }
  }
  if (!/^(INSERT|UPDATE|DELETE)\s/i.test(rest)) throw new Error("sql: write() takes INSERT, UPDATE or DELETE");
  const tables = [...text.matchAll(TABLE_PATTERN)].map((match) => match[1]!.replaceAll('"', "").toLowerCase());
  return { ctes, main: rest, tables };
}

/** `$n` → `$(n + offset)` outside single-quoted strings. */
function shiftParameters(text: string, offset: number): string {
  return text.replace(/'[^']*'|\$(\d+)/g, (match, number: string | undefined) => (number ? `$${Number(number) + offset}` : match));
}

/**
 * One statement that runs every write of the batch: their WITH lists and each main statement as
 * a data-modifying CTE (PostgreSQL runs each exactly once, at the same snapshot; foreign keys are
 * checked at the end of the statement).
 */
export function combineWrites(writes: readonly PendingWrite[]): PendingWrite {
  if (writes.length === 1) return writes[0]!;
  const parts: string[] = [];
  const values: unknown[] = [];
  writes.forEach((write, index) => {
    const parsed = parseWrite(write.text);
    const offset = values.length;
    for (const cte of parsed.ctes) parts.push(`${cte.name} AS ${shiftParameters(cte.body, offset)}`);
    parts.push(`batched_write_${index} AS (${shiftParameters(parsed.main, offset)})`);
    values.push(...write.values);
  });
  return { text: `WITH ${parts.join(",\n")}\nSELECT 1`, values };
}

/**
 * Whether `next` can join `pending` in one statement: not when it touches a table a pending write
 * touches (one statement does not see its own changes, and a row changed twice in one statement
 * keeps only one change) or repeats a WITH name.
 */
function canJoin(pending: readonly PendingWrite[], next: PendingWrite): boolean {
  const parsedNext = parseWrite(next.text);
  const tables = new Set<string>();
  const names = new Set<string>();
  for (const write of pending) {
    const parsed = parseWrite(write.text);
    parsed.tables.forEach((table) => tables.add(table));
    parsed.ctes.forEach((cte) => names.add(cte.name));
  }
  return !parsedNext.tables.some((table) => tables.has(table)) && !parsedNext.ctes.some((cte) => names.has(cte.name));
}

/**
 * Runs `fn` in one transaction on a connection of `pool` (BEGIN … COMMIT; ROLLBACK and the error
 * on any failure). Writes (`sql.write`) are batched into one statement until the next read or
 * COMMIT. A connection whose ROLLBACK failed is discarded rather than reused.
 */
export async function pgTransaction<T>(pool: pg.Pool, fn: (sql: Sql) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let pending: PendingWrite[] = [];
  const flush = async () => {
    if (pending.length === 0) return;
    const batch = combineWrites(pending);
    pending = [];
    await client.query(batch.text, batch.values as unknown[]);
  };
  const sql: Sql = {
    query: async <R>(text: string, values: readonly unknown[] = []) => {
      await flush();
      return (await client.query(text, values as unknown[])).rows as R[];
    },
    execute: async (text: string, values: readonly unknown[] = []) => {
      await flush();
      return (await client.query(text, values as unknown[])).rowCount ?? 0;
    },
    write: async (text: string, values: readonly unknown[] = []) => {
      const write = { text, values };
      if (!canJoin(pending, write)) await flush();
      pending.push(write);
    },
    key: client,
  };
  let broken: Error | undefined;
  try {
    await client.query("BEGIN");
    const result = await fn(sql);
    await flush();
    await client.query("COMMIT");
    return result;
  } catch (error) {
    pending = [];
    await client.query("ROLLBACK").catch((rollbackError: unknown) => {
      broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
    });
    throw error;
  } finally {
    client.release(broken);
  }
}
