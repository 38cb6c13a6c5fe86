import type PgBoss from "pg-boss";
import type { Logger } from "pino";
import type { Db } from "@/lib/db/client";
import { runAutopay } from "@/lib/autopay/run-autopay";
import { requestEmailDelivery } from "@/lib/email/request-email-delivery";
import { RUN_AUTOPAY_QUEUE } from "./boss";

/**
 * Every 5 minutes, on one app instance (a singleton queue; and a second run at once would still
 * charge once: runAutopay claims with SKIP LOCKED and Stripe sees each attempt's own key): charges
 * what came due at the clinics' local charge hour, retries, and reminders. The clock is the
 * server's here and nowhere else in the engine.
 */
export async function startRunAutopayJob(boss: PgBoss, options: { db: Db; log: Logger }): Promise<{ stop(): Promise<void> }> {
  await boss.schedule(RUN_AUTOPAY_QUEUE, "*/5 * * * *");
  await boss.work(RUN_AUTOPAY_QUEUE, async () => {
    const summary = await runAutopay(options.db, { now: new Date() });
    if (summary.charged + summary.resumed + summary.reminded + summary.failed + summary.canceled > 0) {
      options.log.info(summary, "autopay run");
      await requestEmailDelivery();
    }
  });
  return { stop: () => boss.offWork(RUN_AUTOPAY_QUEUE) };
}
