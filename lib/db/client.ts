import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { getEnv } from "@/lib/env";
import { isEmbeddedUrl } from "./embedded-url";
import { PrismaClient } from "./generated/client";

// On globalThis, like the client itself: Next.js can load this module more than once (one copy per
// route bundle), and a client made by one copy must still find its pool from another.
const globalForPools = globalThis as unknown as {
  carebillPools?: WeakMap<object, pg.Pool>;
  carebillPreparingPools?: WeakSet<pg.Pool>;
  carebillPipeliningPools?: WeakSet<pg.Pool>;
};
const pools = (globalForPools.carebillPools ??= new WeakMap<object, pg.Pool>());
const preparingPools = (globalForPools.carebillPreparingPools ??= new WeakSet<pg.Pool>());
const pipeliningPools = (globalForPools.carebillPipeliningPools ??= new WeakSet<pg.Pool>());

/**
 * Whether plain-SQL transactions on this pool may use named prepared statements (parsed and
 * planned once per connection). Not on the embedded server: its clients share one session, where
 * two connections preparing the same name would collide. `prepareStatements: false` (env
 * DATABASE_PREPARED_STATEMENTS=false) turns them off, e.g. behind a transaction-mode pooler.
 */
export function preparesStatements(pool: pg.Pool): boolean {
  return preparingPools.has(pool);
}

/**
 * Whether plain-SQL transactions on this pool may pipeline (send several statements before the
 * first answer). Not on the embedded server, whose socket bridge answers one message exchange at a time.
 */
export function pipelinesQueries(pool: pg.Pool): boolean {
  return pipeliningPools.has(pool);
}

export function createDb(options: { connectionString: string; poolSize?: number; prepareStatements?: boolean }) {
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.poolSize ?? 10,
    // Fail fast when the database is down so health checks and pages answer 503 quickly.
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
  });
  // An idle connection that fails (the server restarted) is dropped from the pool; without a
  // listener (Prisma adds its own only once it connects) that error would end the process.
  pool.on("error", () => undefined);
  if ((options.prepareStatements ?? true) && !isEmbeddedUrl(options.connectionString)) preparingPools.add(pool);
  if (!isEmbeddedUrl(options.connectionString)) pipeliningPools.add(pool);
  // `$disconnect` ends the pool too.
  // A burst (a webhook storm, a busy machine) queues transactions for a pool connection: wait for
  // one up to 10 s rather than Prisma's 2 s, and give a started transaction 10 s (Prisma: 5 s).
  const client = new PrismaClient({
    adapter: new PrismaPg(pool, { disposeExternalPool: true }),
    omit: { user: { passwordHash: true } },
    transactionOptions: { maxWait: 10_000, timeout: 10_000 },
  });
  pools.set(client, pool);
  return client;
}

/**
 * The connection pool under a client from `createDb`, shared with Prisma: for the typed SQL layer
 * (lib/db/sql.ts) only. Code outside lib/db does not use it (eslint.config.mjs, "Data access").
 */
export function poolOf(db: Db): pg.Pool {
  const pool = findPool(db);
  if (!pool) throw new Error("poolOf: not a client made by createDb");
  return pool;
}

/** The pool under `db` when it is a client from `createDb` (not a transaction), else undefined. */
export function findPool(db: object): pg.Pool | undefined {
  return pools.get(db);
}

export type Db = ReturnType<typeof createDb>;
/** The client inside `db.$transaction(async (tx) => …)`. Every domain operation accepts `Db | Tx`. */
export type Tx = Omit<Db, "$connect" | "$disconnect" | "$on" | "$transaction" | "$extends">;

const globalForDb = globalThis as unknown as { carebillDb?: Db };

/**
 * The app's one Prisma client, created on first use from DATABASE_URL and kept on globalThis
 * so that dev-mode module reloads do not open a new pool each time.
 */
export async function getDb(): Promise<Db> {
  // Synchronous up to the assignment: a burst of first requests must not each build a pool.
  if (!globalForDb.carebillDb) {
    const env = getEnv();
    globalForDb.carebillDb = createDb({
      connectionString: env.DATABASE_URL,
      poolSize: env.DATABASE_POOL_SIZE,
      prepareStatements: env.DATABASE_PREPARED_STATEMENTS,
    });
  }
  return globalForDb.carebillDb;
}
