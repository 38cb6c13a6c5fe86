import { getDb } from "@/lib/db/client";
import { mailTransportFor } from "@/lib/email/mail-transport";
import { getEnv } from "@/lib/env";
import { logger } from "@/lib/observability/logger";
import { getBoss, stopBoss } from "./boss";
import { startCancelAbandonedPaymentsJob } from "./cancel-abandoned-payments-job";
import { startEmailDeliveryWorker, type EmailDeliveryWorker } from "./email-deliver-job";
import { startRefreshLedgerRollupsJob } from "./refresh-ledger-rollups-job";
import { startEvaluateAlertsJob } from "./evaluate-alerts-job";
import { startPollClearinghousesJob } from "./poll-clearinghouse-job";
import { startPostRemittancesJob } from "./post-remittances-job";
import { startRunAutopayJob } from "./run-autopay-job";

const RETRY_START_AFTER_MS = 15_000;

type JobsState = { stopped: boolean; worker?: EmailDeliveryWorker; retry?: NodeJS.Timeout };

const globalForJobs = globalThis as unknown as { carebillJobs?: JobsState };

/**
 * Starts this server process's background jobs (instrumentation.ts calls it): pg-boss on
 * DATABASE_URL and the email delivery worker, through SMTP_URL or, without it, the demo mailbox.
 * Once per process. Never rejects: while the database is unreachable it logs and tries again.
 * Resolves after the first try.
 */
export async function startJobWorker(): Promise<void> {
  if (globalForJobs.carebillJobs) return;
  const state: JobsState = { stopped: false };
  globalForJobs.carebillJobs = state;
  const log = logger.child({ component: "jobs" });

  const start = async () => {
    try {
      const env = getEnv();
      const boss = await getBoss();
      const db = await getDb();
      const email = await startEmailDeliveryWorker(boss, { db, transport: mailTransportFor(env.SMTP_URL), mailFrom: env.MAIL_FROM, log });
      // Payments need Stripe; without it (no keys configured) there is nothing to cancel.
      const payments = env.STRIPE_SECRET_KEY ? await startCancelAbandonedPaymentsJob(boss, { db, log }) : null;
      const autopay = env.STRIPE_SECRET_KEY ? await startRunAutopayJob(boss, { db, log }) : null;
      const rollups = await startRefreshLedgerRollupsJob(boss, { db, log });
      const alerts = await startEvaluateAlertsJob(boss, { db, log });
      const clearinghouses = await startPollClearinghousesJob(boss, { db, log });
      const remittances = await startPostRemittancesJob(boss, { db, log });
      const worker: EmailDeliveryWorker = {
        stop: async () =>
          void (await Promise.all([email.stop(), payments?.stop(), autopay?.stop(), rollups.stop(), alerts.stop(), clearinghouses.stop(), remittances.stop()])),
      };
      if (state.stopped) return worker.stop();
      state.worker = worker;
      log.info({ emailTransport: env.SMTP_URL ? "smtp" : "mailbox" }, "background jobs started");
    } catch (error) {
      if (state.stopped) return;
      log.error({ err: error }, `background jobs could not start; trying again in ${RETRY_START_AFTER_MS / 1000} s`);
      state.retry = setTimeout(() => void start(), RETRY_START_AFTER_MS).unref();
    }
  };
  await start();
}

/** Stops this process's background jobs and its pg-boss. Queued email stays in the outbox. */
export async function stopJobWorker(): Promise<void> {
  const state = globalForJobs.carebillJobs;
  if (!state) return;
  state.stopped = true;
  clearTimeout(state.retry);
  await state.worker?.stop();
  await stopBoss();
  globalForJobs.carebillJobs = undefined;
}
