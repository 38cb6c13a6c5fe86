import { PrismaPg } from "@prisma/adapter-pg";
import { getEnv } from "@/lib/env";
import { PrismaClient } from "./generated/client";

export function createDb(options: { connectionString: string; poolSize?: number }) {
  const adapter = new PrismaPg({
    connectionString: options.connectionString,
    max: options.poolSize ?? 10,
    // Fail fast when the database is down so health checks and pages answer 503 quickly.
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
  });
  return new PrismaClient({ adapter, omit: { user: { passwordHash: true } } });
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
    globalForDb.carebillDb = createDb({ connectionString: env.DATABASE_URL, poolSize: env.DATABASE_POOL_SIZE });
  }
  return globalForDb.carebillDb;
}
