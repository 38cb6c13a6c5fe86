import { createHash } from "node:crypto";
import pg from "pg";
import { findPool, pipelinesQueries, poolOf, preparesStatements, type Db, type Tx } from "./client";

/**
 * Carebill's one small typed SQL layer (docs/architecture.md, "Data access"): row locks and the hot
 * money writes (webhook path, ledger, numbering, idempotency, rate limit, audit) are written with
 * the `sql` tag below and run through a `Sql` runner; everything else uses the Prisma client.
 *
 * Three pieces:
 * - `sql\`…${value}…\``: a statement as a fragment. Text and values stay apart; a value that is
 *   itself a fragment is spliced in (fragments compose), and `$1, $2, …` are only numbered when the
 *   statement is rendered for the driver. Nothing here reads, scans or rewrites SQL text.
 * - `Sql`: the runner, the one type every function that takes "a transaction" accepts (as
 *   `Tx | Sql`, through `sqlOf`). `query` returns rows, `execute` the changed-row count, `write`
 *   queues a statement whose result nobody needs.
 * - `pgTransaction(db, fn)`: a transaction on a plain `pg` connection of Prisma's own pool, for the
 *   hot paths (about a third of Prisma's per-statement cost in the Node process; bench/README.md).
 *   Held writes are sent together with the next read or with COMMIT, pipelined: every statement is
 *   its own statement, in order, so each sees what the ones before it wrote, and the whole group
 *   costs one round trip (BEGIN goes with the first statement the same way).
 *
 * Rows come back as the `pg` driver and Prisma's raw queries agree on them: int4 → number,
 * timestamptz → Date, date → Date at UTC midnight (as Prisma gives it), json → value,
 * uuid/text/enum → string, boolean → boolean. Cast int8 and numeric to int in the statement
 * (the two drivers differ there: BigInt/Decimal against strings).
 */

// ---------------------------------------------------------------------------------------------
// Fragments

/** A statement or a piece of one: `strings` around `values` (strings.length = values.length + 1, no fragment among the values). */
export class SqlFragment {
  private rendered?: { text: string; values: unknown[] };

  /** Use the `sql` tag (or `sql.join`); not exported for building text by hand. */
  private constructor(
    readonly strings: readonly string[],
    readonly values: readonly unknown[],
  ) {}

  /** @internal The constructor for this module's helpers. */
  static of(strings: readonly string[], values: readonly unknown[]): SqlFragment {
    const flatStrings: string[] = [strings[0] ?? ""];
    const flatValues: unknown[] = [];
    values.forEach((value, index) => {
      const next = strings[index + 1] ?? "";
      if (value instanceof SqlFragment) {
        // Splice: our last string + its first, its values and middle strings, its last string + our next.
        flatStrings[flatStrings.length - 1] += value.strings[0]!;
        for (let part = 0; part < value.values.length; part++) {
          flatValues.push(value.values[part]);
          flatStrings.push(value.strings[part + 1]!);
        }
        flatStrings[flatStrings.length - 1] += next;
      } else {
        flatValues.push(value);
        flatStrings.push(next);
      }
    });
    return new SqlFragment(flatStrings, flatValues);
  }

  /** The statement as the driver takes it: `$n` numbered here, in order, from 1. */
  render(): { text: string; values: unknown[] } {
    if (!this.rendered) {
      let text = this.strings[0]!;
      for (let index = 0; index < this.values.length; index++) text += `$${index + 1}${this.strings[index + 1]!}`;
      this.rendered = { text, values: [...this.values] };
    }
    return this.rendered;
  }
}

/**
 * The tag for statements: `sql\`UPDATE invoices SET amount_due = ${amount}::int WHERE id = ${id}::uuid\``.
 * Every `${…}` is a parameter, except a fragment, which is spliced in as SQL.
 */
export function sql(strings: TemplateStringsArray, ...values: unknown[]): SqlFragment {
  return SqlFragment.of(strings, values);
}

/** Fragments joined by a fixed separator (a constant in the code, never input): `sql.join([a, b], " AND ")`. */
sql.join = function join(fragments: readonly SqlFragment[], separator = ", "): SqlFragment {
  const strings = ["", ...fragments.slice(1).map(() => separator), ""];
  return SqlFragment.of(strings, fragments);
};

/**
 * `column = value` for each field of `changes` that is not undefined, joined by commas, for an
 * UPDATE's SET list: `sql\`UPDATE payments SET ${sql.assignments(changes)}, updated_at = now() WHERE …\``.
 * Columns come from the field names by the schema's naming rule (`amountDue` → `amount_due`; see
 * `modelRow`); values are parameters, typed by PostgreSQL from their column. Field names are code
 * (a model's keys), never input: anything but letters and digits is refused.
 */
sql.assignments = function assignments(changes: Readonly<Record<string, unknown>>): SqlFragment {
  const fields = Object.keys(changes).filter((field) => changes[field] !== undefined);
  if (fields.length === 0) throw new Error("sql.assignments: nothing to set");
  const strings: string[] = [];
  fields.forEach((field, index) => {
    for (const char of field) {
      if (!((char >= "a" && char <= "z") || (char >= "A" && char <= "Z") || (char >= "0" && char <= "9")))
        throw new Error(`sql.assignments: not a field name: ${field}`);
    }
    strings.push(`${index === 0 ? "" : ", "}${snakeCase(field)} = `);
  });
  strings.push("");
  return SqlFragment.of(
    strings,
    fields.map((field) => changes[field]),
  );
};

/** An empty fragment (for optional pieces: `${condition ? sql\`AND …\` : sql.empty}`). */
sql.empty = SqlFragment.of([""], []);

/** How an int8 (a SUM, a count) comes back: a BigInt through Prisma, a string through `pg`. Read it with Number(). */
export type Int8 = bigint | string;

// ---------------------------------------------------------------------------------------------
// Rows in Prisma's shape

/** `amount_due` → `amountDue`, `card_last4` → `cardLast4`: the rule every column of the schema follows (`@map`). */
function camelCase(column: string): string {
  let result = "";
  for (let index = 0; index < column.length; index++) {
    const char = column[index]!;
    if (char === "_" && index + 1 < column.length) result += column[++index]!.toUpperCase();
    else result += char;
  }
  return result;
}

/** `amountDue` → `amount_due`: the same rule backwards. */
function snakeCase(field: string): string {
  let result = "";
  for (const char of field) result += char >= "A" && char <= "Z" ? `_${char.toLowerCase()}` : char;
  return result;
}

/**
 * A row selected as `table.*` (or a json object of one, e.g. `json_agg(line)`) with its keys renamed
 * to the model's field names. Column names follow the field names by one rule (camelCase field,
 * snake_case column), so there is no column map to keep by hand; lib/db/sql.test.ts checks the
 * rule against the schema for the models read this way.
 */
export function modelRow<T>(row: Record<string, unknown>): T {
  const result: Record<string, unknown> = {};
  for (const [column, value] of Object.entries(row)) result[camelCase(column)] = value;
  return result as T;
}

/**
 * A model object as a json row for `json_populate_record(NULL::table, ${…}::json)` /
 * `json_populate_recordset`: PostgreSQL then converts each value to its column's type (uuid, enum,
 * date, timestamptz), so a whole row is inserted without a list of columns and casts.
 */
export function jsonRow(model: object): string {
  const row: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(model)) row[snakeCase(field)] = value;
  return JSON.stringify(row);
}

// ---------------------------------------------------------------------------------------------
// The runner

/** A rendered statement: text with `$n` and its values. */
type Statement = { text: string; values: readonly unknown[] };

export type Sql = {
  /** The statement's rows. */
  query<T>(statement: SqlFragment): Promise<T[]>;
  /** The number of rows the statement changed. */
  execute(statement: SqlFragment): Promise<number>;
  /**
   * A statement whose result the caller does not need (an INSERT, UPDATE or DELETE). In a
   * `pgTransaction` it is held and sent with the next `query`/`execute` or with COMMIT, in order,
   * in one round trip; elsewhere it runs at once. Its error surfaces at that point and rolls the
   * transaction back.
   */
  write(statement: SqlFragment, options?: WriteOptions): Promise<void>;
  /** What identifies the transaction (for per-transaction caches): the same object for one transaction. */
  readonly key: object;
};

/**
 * `joins`: the tables this write reads or changes, declared by its author (nothing reads them out
 * of the SQL). In a `pgTransaction`, consecutive held writes that all declare their tables, none
 * named twice, are sent as ONE statement (each a data-modifying CTE: PostgreSQL runs each once, at
 * the same snapshot, and checks foreign keys at the end): one execution instead of several, which
 * the webhook's throughput depends on. Because one statement does not see its own changes and
 * keeps one change of a row changed twice, declare it only for a single INSERT, UPDATE or DELETE
 * with no WITH list of its own and no RETURNING, whose result no later write in the group needs.
 * Tables it only references through foreign keys need not be listed. Without `joins` a write is
 * always its own statement (still pipelined). Elsewhere (Prisma transactions, the pool) writes run
 * at once, one by one.
 */
export type WriteOptions = { joins?: readonly string[] };

type HeldWrite = { statement: SqlFragment; joins?: readonly string[] };

/** Held writes as the statements to send: runs of writes with declared, disjoint tables become one statement each. */
export function joinHeldWrites(writes: readonly HeldWrite[]): SqlFragment[] {
  const statements: SqlFragment[] = [];
  let group: SqlFragment[] = [];
  const tables = new Set<string>();
  const flush = () => {
    if (group.length === 1) statements.push(group[0]!);
    else if (group.length > 1) {
      const strings = group.map((_, index) => (index === 0 ? "WITH joined_write_0 AS (" : `), joined_write_${index} AS (`));
      statements.push(SqlFragment.of([...strings, ")\nSELECT 1"], group));
    }
    group = [];
    tables.clear();
  };
  for (const write of writes) {
    if (!write.joins || write.joins.length === 0) {
      flush();
      statements.push(write.statement);
      continue;
    }
    if (write.joins.some((table) => tables.has(table))) flush();
    group.push(write.statement);
    for (const table of write.joins) tables.add(table);
  }
  flush();
  return statements;
}

/** A runner from what it does with one rendered statement. */
function runner(
  key: object,
  run: {
    rows(statement: Statement): Promise<unknown[]>;
    count(statement: Statement): Promise<number>;
    write(statement: SqlFragment, options?: WriteOptions): Promise<void>;
  },
): Sql {
  return {
    query: <T>(statement: SqlFragment) => run.rows(statement.render()) as Promise<T[]>,
    execute: (statement: SqlFragment) => run.count(statement.render()),
    write: (statement: SqlFragment, options?: WriteOptions) => run.write(statement, options),
    key,
  };
}

const wrapped = new WeakMap<object, Sql>();

function isSql(value: Db | Tx | Sql): value is Sql {
  return typeof (value as Sql).query === "function" && typeof (value as Sql).write === "function" && "key" in value;
}

/**
 * The runner for a Prisma transaction or client, or the runner itself (the same object each time
 * for one `tx`). Inside `db.$transaction` it runs on the transaction's connection through Prisma's
 * raw queries; on the app's client (outside any transaction) straight on its `pg` pool, each
 * statement on its own. Writes run at once in both.
 */
export function sqlOf(db: Db | Tx | Sql): Sql {
  if (isSql(db)) return db;
  let found = wrapped.get(db);
  if (!found) {
    const pool = findPool(db);
    if (pool) {
      const prepare = preparesStatements(pool);
      found = runner(db, {
        rows: async (statement) => (await pool.query(driverQuery(statement, prepare))).rows,
        count: async (statement) => (await pool.query(driverQuery(statement, prepare))).rowCount ?? 0,
        write: async (statement) => {
          await pool.query(driverQuery(statement.render(), prepare));
        },
      });
    } else {
      found = runner(db, {
        rows: (statement) => db.$queryRawUnsafe<unknown[]>(statement.text, ...statement.values),
        count: (statement) => db.$executeRawUnsafe(statement.text, ...statement.values),
        write: async (statement) => {
          const { text, values } = statement.render();
          await db.$executeRawUnsafe(text, ...values);
        },
      });
    }
    wrapped.set(db, found);
  }
  return found;
}

// ---------------------------------------------------------------------------------------------
// pgTransaction

/** date (OID 1082) as Prisma gives it: UTC midnight, not the `pg` default of local midnight. */
const DATE_OID = 1082;
const TYPES = {
  getTypeParser: (oid: number, format?: "text" | "binary") =>
    oid === DATE_OID && format !== "binary" ? (value: string) => new Date(`${value}T00:00:00Z`) : pg.types.getTypeParser(oid, format),
};

/**
 * Named prepared statements: PostgreSQL parses and plans each text once per connection instead of
 * on every execution (webhook +17% in `npm run bench`: PostgreSQL shares the machine's cores with
 * the app). The name is a hash of the text, so every copy of this module (Next.js loads one per
 * route bundle, all on the same pooled connections) names a text alike. The texts are the app's
 * fixed statements: a small set, capped all the same (past the cap, new texts run unnamed).
 */
const statementNames = new Map<string, string>();
const MAX_PREPARED = 500;
function driverQuery(statement: Statement, prepare: boolean): pg.QueryConfig & { types: typeof TYPES } {
  const { text, values } = statement;
  let name = prepare ? statementNames.get(text) : undefined;
  if (prepare && !name && statementNames.size < MAX_PREPARED) {
    name = `carebill_${createHash("sha256").update(text).digest("base64url").slice(0, 32)}`;
    statementNames.set(text, name);
  }
  return name ? { name, text, values: values as unknown[], types: TYPES } : { text, values: values as unknown[], types: TYPES };
}

/** The parts of a pooled `pg` client pipelining uses (node-postgres ≥ 8.2x: `pipeline`, documented as a client option). */
type PipeliningClient = pg.PoolClient & { pipeline?: boolean; connection?: { stream?: { cork?: () => void; uncork?: () => void } } };

/**
 * Runs `fn` in one transaction on a connection of the client's pool (Prisma's own): BEGIN …
 * COMMIT, and ROLLBACK plus the error on any failure. Writes (`sql.write`) are held and sent with
 * the next read or with COMMIT, pipelined (one round trip, each statement seeing the ones before
 * it); BEGIN is sent with the first statement. A connection whose ROLLBACK failed is discarded
 * rather than reused. On the embedded server (one shared session) the same statements run one
 * after another, without pipelining or prepared statements.
 */
export async function pgTransaction<T>(db: Db, fn: (sql: Sql) => Promise<T>, options: { timeoutMs?: number } = {}): Promise<T> {
  const pool = poolOf(db);
  const prepare = preparesStatements(pool);
  const client = (await pool.connect()) as PipeliningClient;
  // While checked out, a client has no pool listener: a connection that dies mid-transaction
  // (server restart, failover) would otherwise raise an unhandled 'error' and end the process.
  // The failing query rejects on its own; the connection is then discarded below.
  let connectionError: Error | undefined;
  const onError = (error: Error) => {
    connectionError = error;
  };
  client.on("error", onError);
  // Pipelining for this transaction only (Prisma's own use of the connection stays as it was).
  const pipelined = pipelinesQueries(pool) && typeof client.pipeline === "boolean";
  if (pipelined) client.pipeline = true;

  // Like Prisma's interactive transactions (5 s): no lock wait holds a pooled connection longer,
  // so a stuck row lock cannot drain the pool the rest of the app uses. (The statements here are
  // point reads and writes by key: waiting for a lock is the only way they take long. A
  // statement_timeout as well cost ~5% of webhook throughput in `npm run bench`.)
  const timeoutMs = Math.max(1, Math.floor(options.timeoutMs ?? 5_000));
  const begin: Statement = { text: `BEGIN; SET LOCAL lock_timeout = ${timeoutMs}`, values: [] };
  const commit: Statement = { text: "COMMIT", values: [] };
  let begun = false;
  let held: HeldWrite[] = [];

  /** BEGIN if not sent yet, the held writes, then `last`: all sent before any answer is awaited. The first failure, in order, is thrown. */
  const send = async (last: Statement | null): Promise<pg.QueryResult | null> => {
    const batch = [...(begun ? [] : [begin]), ...joinHeldWrites(held).map((statement) => statement.render()), ...(last ? [last] : [])];
    begun = true;
    held = [];
    // BEGIN (two statements) and COMMIT go as simple queries; the rest as (prepared) extended queries.
    const config = (statement: Statement) => (statement === begin || statement === commit ? statement.text : driverQuery(statement, prepare));
    if (!pipelined) {
      let result: pg.QueryResult | null = null;
      for (const statement of batch) result = await client.query(config(statement) as pg.QueryConfig);
      return last ? result : null;
    }
    const stream = client.connection?.stream;
    stream?.cork?.();
    let sent: Promise<pg.QueryResult>[];
    try {
      sent = batch.map((statement) => client.query(config(statement) as pg.QueryConfig));
    } finally {
      stream?.uncork?.();
    }
    const settled = await Promise.allSettled(sent);
    const failed = settled.find((outcome) => outcome.status === "rejected");
    if (failed) throw failed.reason;
    return last ? (settled.at(-1) as PromiseFulfilledResult<pg.QueryResult>).value : null;
  };

  const sqlRunner = runner(
    // One object per transaction (the pooled connection outlives it).
    {},
    {
      rows: async (statement) => (await send(statement))!.rows,
      count: async (statement) => (await send(statement))!.rowCount ?? 0,
      write: async (statement, options) => {
        held.push({ statement, joins: options?.joins });
      },
    },
  );

  let broken: Error | undefined;
  try {
    const result = await fn(sqlRunner);
    if (begun || held.length > 0) await send(commit);
    return result;
  } catch (error) {
    held = [];
    if (begun) {
      await client.query("ROLLBACK").catch((rollbackError: unknown) => {
        broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
      });
    }
    throw error;
  } finally {
    if (pipelined) client.pipeline = false;
    client.off("error", onError);
    client.release(broken ?? connectionError);
  }
}
