import { createHash, randomUUID } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import pg from "pg";

/** The key Prisma's own migrate engine locks, so `prisma migrate deploy` and this migrator exclude each other. */
const PRISMA_MIGRATE_LOCK_KEY = 72707369;

const CREATE_MIGRATIONS_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id"                  VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum"            VARCHAR(64) NOT NULL,
  "finished_at"         TIMESTAMPTZ,
  "migration_name"      VARCHAR(255) NOT NULL,
  "logs"                TEXT,
  "rolled_back_at"      TIMESTAMPTZ,
  "started_at"          TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

export type Migration = { name: string; sql: string; checksum: string };

export const DEFAULT_MIGRATIONS_DIR = join(process.cwd(), "prisma", "migrations");

export async function readMigrations(dir = DEFAULT_MIGRATIONS_DIR): Promise<Migration[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    }),
  );
}

export type MigrateResult = { applied: string[]; alreadyApplied: number };

/**
 * Applies every migration not yet recorded in `_prisma_migrations`, each in its own transaction,
 * under a session advisory lock: instances starting together apply each migration exactly once.
 * Refuses to continue past a migration that Prisma recorded as failed.
 */
export async function migrate(options: { connectionString: string; dir?: string; onApplied?: (name: string) => void }): Promise<MigrateResult> {
  const migrations = await readMigrations(options.dir);
  const client = new pg.Client({ connectionString: options.connectionString });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [PRISMA_MIGRATE_LOCK_KEY]);
    try {
      await client.query(CREATE_MIGRATIONS_TABLE);
      const { rows: failed } = await client.query<{ migration_name: string }>(
        `SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NULL AND rolled_back_at IS NULL LIMIT 1`,
      );
      if (failed[0]) {
        throw new Error(`Migration ${failed[0].migration_name} failed earlier and must be resolved before migrating again.`);
      }
      const applied: string[] = [];
      let alreadyApplied = 0;
      for (const migration of migrations) {
        // The "already applied?" check sits inside the migration's own transaction: with the
        // embedded database every connection shares one session (so the advisory lock is
        // shared too), but its transactions run one at a time.
        await client.query("BEGIN");
        try {
          const { rowCount } = await client.query(`SELECT 1 FROM "_prisma_migrations" WHERE migration_name = $1 AND finished_at IS NOT NULL`, [migration.name]);
          if (rowCount) {
            await client.query("COMMIT");
            alreadyApplied++;
            continue;
          }
          await client.query(migration.sql);
          await client.query(
            `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
             VALUES ($1, $2, $3, now(), now(), 1)`,
            [randomUUID(), migration.checksum, migration.name],
          );
          await client.query("COMMIT");
        } catch (error) {
          await client.query("ROLLBACK");
          throw new Error(`Migration ${migration.name} failed: ${(error as Error).message}`, { cause: error });
        }
        applied.push(migration.name);
        options.onApplied?.(migration.name);
      }
      return { applied, alreadyApplied };
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [PRISMA_MIGRATE_LOCK_KEY]);
    }
  } finally {
    await client.end();
  }
}
