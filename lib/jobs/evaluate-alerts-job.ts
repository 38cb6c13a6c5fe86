import type PgBoss from "pg-boss";
import type { Logger } from "pino";
import type { Db } from "@/lib/db/client";
import { evaluateAllAlerts } from "@/lib/alerts/evaluate-alerts";
import { EVALUATE_ALERTS_QUEUE } from "./boss";

/**
 * Every minute, on one app instance at a time (singleton queue): evaluates every organization's
 * alert rules, firing and clearing alerts. Queued alert emails go out with the outbox's next poll.
 * Were two runs ever to overlap, evaluateAlerts still fires each alert and its emails once.
 */
export async function startEvaluateAlertsJob(boss: PgBoss, options: { db: Db; log: Logger }): Promise<{ stop(): Promise<void> }> {
  await boss.schedule(EVALUATE_ALERTS_QUEUE, "* * * * *");
  await boss.work(EVALUATE_ALERTS_QUEUE, async () => {
    const result = await evaluateAllAlerts(options.db, { now: new Date(), log: options.log });
    if (result.fired + result.cleared + result.errors > 0) options.log.info({ ...result }, "alerts evaluated");
  });
  return { stop: () => boss.offWork(EVALUATE_ALERTS_QUEUE) };
}
