import pg from "pg";
import PgBoss from "pg-boss";
import { getEnv } from "@/lib/env";
import { logger } from "@/lib/observability/logger";

/** pg-boss keeps its tables in this schema of the app's database, apart from Prisma's. */
export const JOBS_SCHEMA = "pgboss";

/** Asks a worker to deliver due emails from the outbox (the job carries no data, so no PHI). */
export const EMAIL_DELIVER_QUEUE = "email.deliver";

/** Cancels card attempts abandoned on the pay page (cron, one instance at a time). */
export const CANCEL_ABANDONED_PAYMENTS_QUEUE = "payments.cancel-abandoned";

/** Adds the journals posted since the last run to analytics' rollups (cron, one instance at a time). */
export const REFRESH_LEDGER_ROLLUPS_QUEUE = "analytics.refresh-ledger-rollups";
/** Evaluates every organization's alert rules (cron, one instance at a time). */
export const EVALUATE_ALERTS_QUEUE = "alerts.evaluate";
/** Runs the autopay engine: due plan installments charged off-session, retries, reminders (cron, one instance at a time). */
export const RUN_AUTOPAY_QUEUE = "autopay.run";
/** Exchanges files with each SFTP clearinghouse: sends waiting 837s, imports 999/277CA/271/835 (cron, one instance at a time). */
export const POLL_CLEARINGHOUSES_QUEUE = "clearinghouse.poll";
/** Posts a large 835's payments after its import (one job per payment), and every minute sweeps up those a lost or crashed run left. */
export const POST_REMITTANCES_QUEUE = "remittances.post";

/**
 * Starts a pg-boss instance on `connectionString` (creating or migrating its schema) with the
 * app's queues. `email.deliver` uses the `short` policy: at most one run waits at a time,
 * however many times delivery is asked for.
 */
export async function createBoss(options: { connectionString: string }): Promise<PgBoss> {
  await installJobTables(options.connectionString);
  const boss = new PgBoss({ connectionString: options.connectionString, schema: JOBS_SCHEMA, max: 3, application_name: "carebill-jobs" });
  boss.on("error", (error) => logger.error({ err: error, component: "jobs" }, "job queue error"));
  await boss.start();
  await boss.createQueue(EMAIL_DELIVER_QUEUE, { name: EMAIL_DELIVER_QUEUE, policy: "short", retryLimit: 2, retryDelay: 30, expireInSeconds: 15 * 60 });
  await boss.createQueue(CANCEL_ABANDONED_PAYMENTS_QUEUE, {
    name: CANCEL_ABANDONED_PAYMENTS_QUEUE,
    policy: "singleton",
    retryLimit: 1,
    expireInSeconds: 10 * 60,
  });
  await boss.createQueue(REFRESH_LEDGER_ROLLUPS_QUEUE, {
    name: REFRESH_LEDGER_ROLLUPS_QUEUE,
    policy: "singleton",
    retryLimit: 1,
    expireInSeconds: 10 * 60,
  });
  await boss.createQueue(EVALUATE_ALERTS_QUEUE, { name: EVALUATE_ALERTS_QUEUE, policy: "singleton", retryLimit: 0, expireInSeconds: 5 * 60 });
  // No retries: the next run (5 minutes later) picks up whatever this one left, with the same keys.
  await boss.createQueue(RUN_AUTOPAY_QUEUE, { name: RUN_AUTOPAY_QUEUE, policy: "singleton", retryLimit: 0, expireInSeconds: 30 * 60 });
  // No retries: the next run picks up what this one left (files stay in the outbox until imported).
  await boss.createQueue(POLL_CLEARINGHOUSES_QUEUE, { name: POLL_CLEARINGHOUSES_QUEUE, policy: "singleton", retryLimit: 0, expireInSeconds: 10 * 60 });
  // Standard, not singleton: payments of different clinics post side by side. Two runs on one payment
  // (a retry of a run that outlived its expiry, the sweep) are safe: postRemittance locks each claim
  // payment. An hour covers the largest file (1 MB, some 5,000 claim payments at ~90 ms).
  await boss.createQueue(POST_REMITTANCES_QUEUE, { name: POST_REMITTANCES_QUEUE, policy: "standard", retryLimit: 2, retryDelay: 60, expireInSeconds: 60 * 60 });
  return boss;
}

/**
 * Creates pg-boss's tables when they are missing, as pg-boss does as it starts, but without its
 * `CREATE SCHEMA`: the migrations make the schema, and the app's role may create objects in it
 * but no schemas (prisma/migrations/20261205120200_app_role). pg-boss then finds itself installed
 * and, the app owning its tables, migrates them itself on upgrades.
 */
async function installJobTables(connectionString: string): Promise<void> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    const installed = async () =>
      (await client.query<{ installed: boolean }>("SELECT to_regclass($1) IS NOT NULL AS installed", [`${JOBS_SCHEMA}.version`])).rows[0]!.installed;
    if (await installed()) return;
    const plans = PgBoss.getConstructionPlans(JOBS_SCHEMA);
    const withoutSchema = plans.replace(`CREATE SCHEMA IF NOT EXISTS ${JOBS_SCHEMA}`, "SELECT 1");
    if (withoutSchema === plans) throw new Error("pg-boss: its construction plans no longer start with CREATE SCHEMA; see installJobTables");
    try {
      await client.query(withoutSchema);
    } catch (error) {
      // Another process installed them first (the plans hold an advisory lock, then find the tables there).
      await client.query("ROLLBACK").catch(() => undefined);
      if (!(await installed())) throw error;
    }
  } finally {
    await client.end();
  }
}

const globalForBoss = globalThis as unknown as { carebillBoss?: Promise<PgBoss> };

/** This process's one pg-boss, on DATABASE_URL, started on first use (kept across dev reloads). */
export function getBoss(): Promise<PgBoss> {
  globalForBoss.carebillBoss ??= createBoss({ connectionString: getEnv().DATABASE_URL }).catch((error: unknown) => {
    // Let the next caller try again (the database may be back).
    globalForBoss.carebillBoss = undefined;
    throw error;
  });
  return globalForBoss.carebillBoss;
}

/** Stops this process's pg-boss, letting a running job finish for a few seconds. */
export async function stopBoss(): Promise<void> {
  const started = globalForBoss.carebillBoss;
  globalForBoss.carebillBoss = undefined;
  const boss = await started?.catch(() => undefined);
  await boss?.stop({ graceful: true, timeout: 5_000 });
}
