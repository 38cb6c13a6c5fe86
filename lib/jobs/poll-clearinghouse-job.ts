import type PgBoss from "pg-boss";
import type { Logger } from "pino";
import type { Db } from "@/lib/db/client";
import { pollClearinghouse } from "@/lib/clearinghouse/poll-clearinghouse";
import { POLL_CLEARINGHOUSES_QUEUE } from "./boss";

/** Every minute: often enough that a biller sees the 999 and 277CA soon after sending, light on a clearinghouse's SFTP server. */
export const POLL_CLEARINGHOUSES_CRON = "* * * * *";

/** After a run that sent files, the clinic is polled again this much later, to fetch the answers sooner than the next minute. */
export const FOLLOW_UP_POLL_SECONDS = 5;

/** A run for one clinic (asked for right after something was queued to send); without it, every SFTP clinic (the schedule). */
export type PollClearinghousesJobData = { organizationId?: string } | null;

/** Asks for a run for one clinic now (or `startAfter` seconds later), instead of at the next scheduled minute. */
export async function enqueueClearinghousePoll(boss: PgBoss, options: { organizationId: string; startAfter?: number }): Promise<void> {
  await boss.send(POLL_CLEARINGHOUSES_QUEUE, { organizationId: options.organizationId }, options.startAfter ? { startAfter: options.startAfter } : {});
}

/**
 * On one app instance at a time (singleton queue): for each clinic whose clearinghouse connection
 * is "sftp" (or the one clinic the job names), sends its waiting claim files and eligibility
 * requests and imports the clearinghouse's answers (pollClearinghouse). A clinic whose run sent
 * something is polled again FOLLOW_UP_POLL_SECONDS later, for the answers. A clinic's failure is
 * stored in its lastPollError and does not stop the others.
 */
export async function startPollClearinghousesJob(boss: PgBoss, options: { db: Db; log: Logger }): Promise<{ stop(): Promise<void> }> {
  await boss.schedule(POLL_CLEARINGHOUSES_QUEUE, POLL_CLEARINGHOUSES_CRON);
  await boss.work<PollClearinghousesJobData>(POLL_CLEARINGHOUSES_QUEUE, async (jobs) => {
    const named = jobs.map((job) => job.data?.organizationId);
    const only = named.every((id): id is string => typeof id === "string") ? named : null;
    const clinics = await options.db.clearinghouseSettings.findMany({
      where: { connection: "sftp", ...(only ? { organizationId: { in: only } } : {}) },
      select: { organizationId: true },
    });
    for (const { organizationId } of clinics) {
      try {
        const result = await pollClearinghouse(options.db, { organizationId, now: new Date() });
        const sent = result.sent.length + result.sentEligibilityRequests.length;
        if (sent + result.imported.length + result.errors.length > 0) {
          options.log.info(
            {
              organizationId,
              sent: result.sent.length,
              sentEligibilityRequests: result.sentEligibilityRequests.length,
              imported: result.imported.length,
              errors: result.errors.length,
            },
            "clearinghouse polled",
          );
        }
        if (sent > 0) await enqueueClearinghousePoll(boss, { organizationId, startAfter: FOLLOW_UP_POLL_SECONDS });
      } catch (error) {
        options.log.error({ err: error, organizationId }, "clearinghouse poll failed");
      }
    }
  });
  return { stop: () => boss.offWork(POLL_CLEARINGHOUSES_QUEUE) };
}
