import type { Db } from "@/lib/db/client";
import { getEnv } from "@/lib/env";
import { getBoss } from "@/lib/jobs/boss";
import { enqueueClearinghousePoll } from "@/lib/jobs/poll-clearinghouse-job";
import { logger } from "@/lib/observability/logger";

/**
 * Call after a transaction that queued a file for the clearinghouse has committed (e.g. after
 * requestEligibilityCheck): on an SFTP connection the poll job runs for this clinic now, instead of
 * at its next scheduled minute (the job, not the request, talks to the server, so no request waits
 * on the network and no transaction spans it). Does nothing on a manual connection. Never throws:
 * the file waits (sentAt null) for the scheduled poll whatever happens here. With JOBS_DISABLED the
 * process starts no job queue and leaves it to the worker's schedule.
 */
export async function requestClearinghousePoll(db: Db, options: { organizationId: string }): Promise<void> {
  if (getEnv().JOBS_DISABLED) return;
  try {
    const settings = await db.clearinghouseSettings.findUnique({ where: { organizationId: options.organizationId }, select: { connection: true } });
    if (settings?.connection !== "sftp") return;
    await enqueueClearinghousePoll(await getBoss(), { organizationId: options.organizationId });
  } catch (error) {
    logger.warn({ err: error, component: "jobs", organizationId: options.organizationId }, "could not ask for a clearinghouse poll; the schedule will send it");
  }
}
