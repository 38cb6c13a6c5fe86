import { createHash } from "node:crypto";
import type pg from "pg";
import { preparesStatements, type Db, type Tx } from "./client";

/**
 * A minimal SQL runner: parameterized statements ($1, $2, …) and their rows. The functions on
 * the webhook's hot path (claiming the event, applying the PaymentIntent, posting journals, the
 * receipt email and the audit event) are written against it, so they run either inside a Prisma
 * transaction (any caller's `tx`) or on a plain `pg` client in a transaction of its own
 * (`pgTransaction`), which costs the Node process about a third of what Prisma's per-statement
 * work does (bench/README.md).
 *
 * Rows come back as the `pg` driver and Prisma's raw queries agree on them: int4 → number,
 * timestamptz → Date, json → value, uuid/text → string. Statements here never select int8,
 * numeric or date columns (the two differ there: pg gives strings for the first two and local
 * midnight for a date).
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
type ParsedPending = PendingWrite & { parsed: ParsedWrite };

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

/** Every relation a write names, read or written (schema-qualified names count by their last part). */
const RELATION_PATTERN = /\b(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM|FROM|JOIN|USING)\s+((?:[a-z_][a-z0-9_]*\.)?[a-z_][a-z0-9_]*)/gi;

/**
 * Splits `[WITH a AS (…), b AS (…)] INSERT/UPDATE/DELETE …` into its WITH list and main statement.
 * Refuses what this small reader could misread: several statements, comments, dollar quotes,
 * E'' strings and quoted identifiers (quoted type names in casts, `::"InvoiceStatus"`, are fine).
 */
function parseWrite(text: string): ParsedWrite {
  if (/;|\$\$|--|\/\*|\bE'/i.test(text) || /"/.test(text.replace(/::"[A-Za-z_][A-Za-z0-9_]*"/g, ""))) {
    throw new Error("sql: a batched write is one statement without comments, dollar quotes, E'' strings or quoted identifiers");
  }
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
  const tables = [...text.matchAll(RELATION_PATTERN)].map((match) => match[1]!.split(".").at(-1)!.toLowerCase());
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
export function combineWrites(writes: readonly (PendingWrite & { parsed?: ParsedWrite })[]): PendingWrite {
  if (writes.length === 1) return writes[0]!;
  const parts: string[] = [];
  const values: unknown[] = [];
  writes.forEach((write, index) => {
    const parsed = write.parsed ?? parseWrite(write.text);
    const offset = values.length;
    for (const cte of parsed.ctes) parts.push(`${cte.name} AS ${shiftParameters(cte.body, offset)}`);
    parts.push(`batched_write_${index} AS (${shiftParameters(parsed.main, offset)})`);
    values.push(...write.values);
  });
  return { text: `WITH ${parts.join(",\n")}\nSELECT 1`, values };
}

/**
 * Whether `next` can join `pending` in one statement: not when it names (reads or writes) a
 * table a pending write names (one statement does not see its own changes, and a row changed
 * twice in one statement keeps only one change), nor when a WITH name of one appears in the other
 * (it would shadow a table or repeat a name).
 */
function canJoin(pending: readonly ParsedPending[], next: ParsedPending): boolean {
  const mentions = (text: string, name: string) => new RegExp(`\\b${name}\\b`, "i").test(text);
  for (const write of pending) {
    if (next.parsed.tables.some((table) => write.parsed.tables.includes(table))) return false;
    if (next.parsed.ctes.some((cte) => mentions(write.text, cte.name)) || write.parsed.ctes.some((cte) => mentions(next.text, cte.name))) return false;
  }
  return true;
}

type BatchingSql = Sql & {
  /** Sends the held writes now (one statement). */
  flush(): Promise<void>;
  /** Forgets the held writes (the transaction is being rolled back). */
  discard(): void;
};

/**
 * A runner whose writes are held and sent as one statement (combineWrites) before the next read,
 * before a write that cannot join them, or at flush().
 */
function batchingWrites(base: Pick<Sql, "query" | "execute">, key: object): BatchingSql {
  let pending: ParsedPending[] = [];
  const flush = async () => {
    if (pending.length === 0) return;
    const batch = combineWrites(pending);
    pending = [];
    await base.execute(batch.text, batch.values);
  };
  return {
    query: async <R>(text: string, values: readonly unknown[] = []) => {
      await flush();
      return base.query<R>(text, values);
    },
    execute: async (text: string, values: readonly unknown[] = []) => {
      await flush();
      return base.execute(text, values);
    },
    write: async (text: string, values: readonly unknown[] = []) => {
      const write = { text, values, parsed: parseWrite(text) };
      if (!canJoin(pending, write)) await flush();
      pending.push(write);
    },
    flush,
    discard: () => {
      pending = [];
    },
    key,
  };
}

/**
 * Inside a Prisma transaction: runs `fn` with a runner whose writes are batched like
 * pgTransaction's, and sends what is still held before returning. For the end of a transaction
 * that holds a contended lock (a numbering counter): the writes after taking it cost one round
 * trip instead of one each. On an error nothing held is sent (the transaction rolls back anyway).
 */
export async function withBatchedWrites<T>(tx: Tx, fn: (sql: Sql) => Promise<T>): Promise<T> {
  const base = sqlOf(tx);
  const sql = batchingWrites(base, base.key);
  try {
    const result = await fn(sql);
    await sql.flush();
    return result;
  } catch (error) {
    sql.discard();
    throw error;
  }
}

/**
 * Named prepared statements for pgTransaction: PostgreSQL parses and plans each text once per
 * connection instead of on every execution (webhook +17% in `npm run bench`: PostgreSQL shares the
 * machine's cores with the app). The name is a hash of the text, so every copy of this module
 * (Next.js loads one per route bundle, all on the same pooled connections) names a text alike. The
 * texts are the app's fixed statements and the batches they combine into: a small set, capped all
 * the same (past the cap, new texts run unnamed).
 */
const statementNames = new Map<string, string>();
const MAX_PREPARED = 500;
function statement(text: string, values: readonly unknown[], prepare: boolean): pg.QueryConfig {
  let name = prepare ? statementNames.get(text) : undefined;
  if (prepare && !name && statementNames.size < MAX_PREPARED) {
    name = `carebill_${createHash("sha256").update(text).digest("base64url").slice(0, 32)}`;
    statementNames.set(text, name);
  }
  return name ? { name, text, values: values as unknown[] } : { text, values: values as unknown[] };
}

/**
 * Runs `fn` in one transaction on a connection of `pool` (BEGIN … COMMIT; ROLLBACK and the error
 * on any failure). Writes (`sql.write`) are batched into one statement until the next read or
 * COMMIT. A connection whose ROLLBACK failed is discarded rather than reused.
 */
export async function pgTransaction<T>(pool: pg.Pool, fn: (sql: Sql) => Promise<T>, options: { timeoutMs?: number } = {}): Promise<T> {
  const prepare = preparesStatements(pool);
  const client = await pool.connect();
  // While checked out, a client has no pool listener: a connection that dies mid-transaction
  // (server restart, failover) would otherwise raise an unhandled 'error' and end the process.
  // The failing query rejects on its own; the connection is then discarded below.
  let connectionError: Error | undefined;
  const onError = (error: Error) => {
    connectionError = error;
  };
  client.on("error", onError);
  const sql = batchingWrites(
    {
      query: async <R>(text: string, values: readonly unknown[] = []) => (await client.query(statement(text, values, prepare))).rows as R[],
      execute: async (text: string, values: readonly unknown[] = []) => (await client.query(statement(text, values, prepare))).rowCount ?? 0,
    },
    // One object per transaction (the pooled connection outlives it).
    {},
  );
  // Like Prisma's interactive transactions (5 s): no lock wait holds a pooled connection longer,
  // so a stuck row lock cannot drain the pool the rest of the app uses. (The statements here are
  // point reads and writes by key: waiting for a lock is the only way they take long. A
  // statement_timeout as well cost ~5% of webhook throughput in `npm run bench`.)
  const timeoutMs = Math.max(1, Math.floor(options.timeoutMs ?? 5_000));
  let broken: Error | undefined;
  try {
    await client.query(`BEGIN; SET LOCAL lock_timeout = ${timeoutMs}`);
    const result = await fn(sql);
    await sql.flush();
    await client.query("COMMIT");
    return result;
  } catch (error) {
    sql.discard();
    await client.query("ROLLBACK").catch((rollbackError: unknown) => {
      broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
    });
    throw error;
  } finally {
    client.off("error", onError);
    client.release(broken ?? connectionError);
  }
}
