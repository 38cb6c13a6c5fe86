import type PgBoss from "pg-boss";
import type { Logger } from "pino";
import type { Db } from "@/lib/db/client";
import { cancelAbandonedPayments } from "@/lib/payments/cancel-abandoned-payments";
import { CANCEL_ABANDONED_PAYMENTS_QUEUE } from "./boss";

/** Every ten minutes, on one app instance: cancel pay-page attempts left unfinished for an hour. */
export async function startCancelAbandonedPaymentsJob(boss: PgBoss, options: { db: Db; log: Logger }): Promise<{ stop(): Promise<void> }> {
  await boss.schedule(CANCEL_ABANDONED_PAYMENTS_QUEUE, "*/10 * * * *");
  await boss.work(CANCEL_ABANDONED_PAYMENTS_QUEUE, async () => {
    const result = await cancelAbandonedPayments(options.db);
    if (result.canceled + result.synced > 0) options.log.info({ ...result }, "abandoned card attempts cleaned up");
  });
  return { stop: () => boss.offWork(CANCEL_ABANDONED_PAYMENTS_QUEUE) };
}
