/**
 * `npm run seed:large -- --invoices 1000000 [--months 24]`: a realistic 24-month history for four
 * clinics in DATABASE_URL's database (a local PostgreSQL only; created if missing, then migrated),
 * with a progress bar on stderr. See platform/large-seed/seed-large.ts and bench/README.md.
 */
import pg from "pg";
import { migrate } from "@/lib/db/migrate";
import { assertLocalDatabaseUrl, seedLarge } from "@/platform/large-seed/seed-large";
import { LARGE_ADMIN_PASSWORD } from "@/platform/large-seed/large-catalog";
import { createDb } from "@/lib/db/client";
import { refreshLedgerRollups } from "@/lib/analytics/refresh-ledger-rollups";

function argument(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  if (index >= 0) return process.argv[index + 1];
  return process.argv.find((arg) => arg.startsWith(`--${name}=`))?.split("=")[1];
}

function usage(message: string): never {
  process.stderr.write(
    `${message}\nusage: DATABASE_URL=postgresql://postgres@127.0.0.1:5432/carebill_large npm run seed:large -- --invoices 1000000 [--months 24]\n`,
  );
  process.exit(2);
}

const invoices = Number((argument("invoices") ?? "1000000").replace(/[_,]/g, ""));
const months = Number(argument("months") ?? 24);
if (!Number.isInteger(invoices) || invoices <= 0) usage("--invoices must be a positive integer");
if (!Number.isInteger(months) || months < 1 || months > 60) usage("--months must be an integer from 1 to 60");
const url = process.env.DATABASE_URL;
if (!url) usage("DATABASE_URL must name a database on a local PostgreSQL server (the embedded database is not supported at this size)");
try {
  assertLocalDatabaseUrl(url);
} catch (error) {
  usage((error as Error).message);
}

/** Creates the database when it does not exist (connecting to the server's `postgres` database). */
async function ensureDatabase(target: string): Promise<void> {
  const parsed = new URL(target);
  const name = decodeURIComponent(parsed.pathname.slice(1));
  if (!/^[a-z0-9_]+$/.test(name)) usage(`the database name "${name}" must be lowercase letters, digits and underscores`);
  const adminUrl = new URL(target);
  adminUrl.pathname = "/postgres";
  const admin = new pg.Client({ connectionString: adminUrl.toString() });
  await admin.connect();
  try {
    const exists = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (!exists.rowCount) {
      await admin.query(`CREATE DATABASE "${name}"`);
      process.stderr.write(`created database ${name}\n`);
    }
  } finally {
    await admin.end();
  }
}

function formatDuration(seconds: number): string {
  const m = Math.floor(seconds / 60);
  const s = Math.round(seconds % 60);
  return m > 0 ? `${m}m${String(s).padStart(2, "0")}s` : `${s}s`;
}

/** A progress bar on stderr: redrawn in place on a terminal, a line per 5% otherwise. */
function progressBar(total: number) {
  const started = performance.now();
  let lastPercent = -1;
  return (done: number, label: string) => {
    const fraction = done / total;
    const seconds = (performance.now() - started) / 1000;
    const eta = fraction > 0 ? (seconds / fraction) * (1 - fraction) : 0;
    const width = 30;
    const filled = Math.round(fraction * width);
    const line = `[${"#".repeat(filled)}${".".repeat(width - filled)}] ${(fraction * 100).toFixed(1).padStart(5)}%  ${done.toLocaleString("en-US")}/${total.toLocaleString("en-US")} invoices  ${formatDuration(seconds)}  ETA ${formatDuration(eta)}  ${label}`;
    if (process.stderr.isTTY) {
      process.stderr.write(`\r${line.slice(0, (process.stderr.columns ?? 120) - 1).padEnd((process.stderr.columns ?? 120) - 1)}`);
      if (done >= total) process.stderr.write("\n");
    } else {
      const percent = Math.floor(fraction * 20) * 5;
      if (percent !== lastPercent) {
        lastPercent = percent;
        process.stderr.write(`${line}\n`);
      }
    }
  };
}

await ensureDatabase(url);
await migrate({ connectionString: url });
const client = new pg.Client({ connectionString: url });
await client.connect();
try {
  const bar = progressBar(invoices);
  const result = await seedLarge(client, { invoices, months, onProgress: (done, _total, label) => bar(done, label) });
  const sizes = await client.query<{ table: string; rows: string; size: string }>(
    `SELECT c.relname AS table, c.reltuples::bigint::text AS rows, pg_size_pretty(pg_total_relation_size(c.oid)) AS size
     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.reltuples > 0 ORDER BY pg_total_relation_size(c.oid) DESC LIMIT 12`,
  );
  process.stderr.write(`seeded ${result.invoices.toLocaleString("en-US")} invoices in ${formatDuration(result.seconds)}\n`);
  // Analytics' rollups take in the whole history now, as the minute job would on its first run.
  const refreshStarted = performance.now();
  const db = createDb({ connectionString: url, poolSize: 1 });
  try {
    await refreshLedgerRollups(db, { lockTimeoutMs: 600_000 });
    // Statistics and visibility for the fresh rollups (autovacuum would get there too, later).
    await client.query("VACUUM (ANALYZE) ledger_daily_totals, service_daily_totals, ledger_rollup_state");
  } finally {
    await db.$disconnect();
  }
  process.stderr.write(`refreshed the analytics rollups in ${formatDuration((performance.now() - refreshStarted) / 1000)}\n`);
  for (const organization of result.organizations)
    process.stderr.write(
      `  ${organization.name} (${organization.timezone}): ${organization.invoices.toLocaleString("en-US")} invoices, ${organization.patients.toLocaleString("en-US")} patients; sign in as admin@${organization.slug}.example.test / ${LARGE_ADMIN_PASSWORD}\n`,
    );
  process.stderr.write(`largest tables:\n${sizes.rows.map((row) => `  ${row.table.padEnd(28)} ${row.rows.padStart(11)} rows  ${row.size}`).join("\n")}\n`);
} finally {
  await client.end();
}
