/** `npm run db:migrate`: applies pending migrations to DATABASE_URL (or the embedded database). */
import nextEnv from "@next/env";
import { migrate } from "@/lib/db/migrate";
import { logger } from "@/lib/observability/logger";
import { openScriptDatabase } from "@/platform/runtime/script-database";

nextEnv.loadEnvConfig(process.cwd());
const log = logger.child({ component: "db:migrate" });

const database = await openScriptDatabase(process.env);
try {
  const result = await migrate({ connectionString: database.migrationUrl, onApplied: (name) => log.info({ migration: name }, "migration applied") });
  log.info({ applied: result.applied.length, alreadyApplied: result.alreadyApplied, embedded: database.embedded }, "migrations up to date");
} catch (error) {
  log.fatal({ err: error }, "migration failed");
  process.exitCode = 1;
} finally {
  await database.close();
}
