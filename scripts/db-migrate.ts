/** `npm run db:migrate`: applies pending migrations to DATABASE_URL (or the embedded database). */
import nextEnv from "@next/env";
import { join, resolve } from "node:path";
import { startEmbeddedDatabase } from "@/lib/db/embedded";
import { migrate } from "@/lib/db/migrate";
import { logger } from "@/lib/observability/logger";

nextEnv.loadEnvConfig(process.cwd());
const log = logger.child({ component: "db:migrate" });

const embedded = process.env.DATABASE_URL
  ? undefined
  : await startEmbeddedDatabase({ dataDir: join(resolve(process.env.CAREBILL_DATA_DIR || ".data"), "pglite") });
try {
  const result = await migrate({
    connectionString: process.env.DATABASE_URL || embedded!.url,
    onApplied: (name) => log.info({ migration: name }, "migration applied"),
  });
  log.info({ applied: result.applied.length, alreadyApplied: result.alreadyApplied, embedded: Boolean(embedded) }, "migrations up to date");
} catch (error) {
  log.fatal({ err: error }, "migration failed");
  process.exitCode = 1;
} finally {
  await embedded?.stop();
}
