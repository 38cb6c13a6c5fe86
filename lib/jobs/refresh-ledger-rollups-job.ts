import type PgBoss from "pg-boss";
import type { Logger } from "pino";
import type { Db } from "@/lib/db/client";
import { refreshClaimRollups } from "@/lib/analytics/refresh-claim-rollups";
import { refreshLedgerRollups, summarizeJournalIndex } from "@/lib/analytics/refresh-ledger-rollups";
import { REFRESH_LEDGER_ROLLUPS_QUEUE } from "./boss";

/**
 * Every minute, on one app instance: adds the journals posted since the last run to analytics'
 * rollups (refreshLedgerRollups), folds the claims changed since into the insurance rollups
 * (refreshClaimRollups), and summarizes the journals' BRIN index over the pages filled since
 * (summarizeJournalIndex). Reports stay exact without it (they read the journals past the rollups'
 * horizon, and the claims marked dirty, live); it keeps that live part small and quick to find, so
 * reports stay fast.
 */
export async function startRefreshLedgerRollupsJob(boss: PgBoss, options: { db: Db; log: Logger }): Promise<{ stop(): Promise<void> }> {
  await boss.schedule(REFRESH_LEDGER_ROLLUPS_QUEUE, "* * * * *");
  await boss.work(REFRESH_LEDGER_ROLLUPS_QUEUE, async () => {
    const results = await refreshLedgerRollups(options.db);
    const rebuilt = results.filter((result) => result.rebuilt).length;
    if (rebuilt > 0) options.log.info({ organizations: results.length, rebuilt }, "analytics rollups rebuilt after a time zone change");
    const claimResults = await refreshClaimRollups(options.db);
    const claimsRebuilt = claimResults.filter((result) => result.rebuilt).length;
    if (claimsRebuilt > 0)
      options.log.info({ organizations: claimResults.length, rebuilt: claimsRebuilt }, "insurance rollups built or rebuilt (first run or a time zone change)");
    await summarizeJournalIndex(options.db);
  });
  return { stop: () => boss.offWork(REFRESH_LEDGER_ROLLUPS_QUEUE) };
}
