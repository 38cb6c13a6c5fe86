import type PgBoss from "pg-boss";
import type { Logger } from "pino";
import { z } from "zod";
import { AUTOMATIC_ACTOR, type AuditActor } from "@/lib/audit/record-audit-event";
import type { Db } from "@/lib/db/client";
import { listUnfinishedQueuedRemittances, postQueuedRemittance } from "@/lib/remittances/post-queued-remittance";
import { POST_REMITTANCES_QUEUE } from "./boss";

/** The sweep: every minute, for remittances whose run was lost (the process stopped, the hand-off failed). */
export const POST_REMITTANCES_CRON = "* * * * *";

/** The sweep leaves a remittance this long to the run its import asked for (a 1,000-claim file takes about 90 s). */
export const POSTING_SWEEP_AFTER_SECONDS = 120;

/** How many remittances one sweep takes on; the next minute takes the rest. */
const SWEEP_LIMIT = 20;

/** The actor the sweep posts as, when the run the import asked for (with the uploader as actor) was lost. */
export const BACKGROUND_POSTING_ACTOR: AuditActor = { ...AUTOMATIC_ACTOR, label: "carebill (background posting)" };

const ZActor = z.object({
  userId: z.string().nullable(),
  apiKeyId: z.string().nullable().optional(),
  label: z.string().max(254),
  ip: z.string().nullable(),
  requestId: z.string().nullable(),
});

/** One remittance to post, as the import asked (its uploader as actor); null: the sweep. */
const ZPostRemittanceJobData = z.object({ organizationId: z.uuid(), remittanceId: z.uuid(), actor: ZActor }).nullable();
export type PostRemittanceJobData = z.input<typeof ZPostRemittanceJobData>;

/** Asks for one remittance to be posted now. */
export async function enqueueRemittancePosting(boss: PgBoss, data: { organizationId: string; remittanceId: string; actor: AuditActor }): Promise<void> {
  await boss.send(POST_REMITTANCES_QUEUE, data);
}

/**
 * Posts the remittances an import left to the background (postQueuedRemittance: what is left of each,
 * under row locks, so two runs never post one claim payment twice and a crashed run is completed by
 * the next). A job names one remittance; the schedule's job (no data) sweeps those queued more than
 * POSTING_SWEEP_AFTER_SECONDS ago and still unfinished. A remittance's failure is logged and does not
 * stop the others; the sweep tries it again.
 */
export async function startPostRemittancesJob(boss: PgBoss, options: { db: Db; log: Logger }): Promise<{ stop(): Promise<void> }> {
  await boss.schedule(POST_REMITTANCES_QUEUE, POST_REMITTANCES_CRON);
  await boss.work<PostRemittanceJobData>(POST_REMITTANCES_QUEUE, async (jobs) => {
    for (const job of jobs) await runPostRemittancesJob(options, job.data);
  });
  return { stop: () => boss.offWork(POST_REMITTANCES_QUEUE) };
}

/** One job's work (exported for tests: the queue's own delivery is pg-boss's). */
export async function runPostRemittancesJob(options: { db: Db; log: Logger; now?: Date }, data: unknown): Promise<void> {
  const read = ZPostRemittanceJobData.safeParse(data ?? null);
  if (!read.success) {
    options.log.error({ issues: read.error.issues }, "a remittances.post job with data it cannot read: skipped (the sweep posts what is queued)");
    return;
  }
  const parsed = read.data;
  const now = options.now ?? new Date();
  const targets = parsed
    ? [{ organizationId: parsed.organizationId, remittanceId: parsed.remittanceId, actor: parsed.actor }]
    : (
        await listUnfinishedQueuedRemittances(options.db, { queuedBefore: new Date(now.getTime() - POSTING_SWEEP_AFTER_SECONDS * 1000), limit: SWEEP_LIMIT })
      ).map((each) => ({ ...each, actor: BACKGROUND_POSTING_ACTOR }));
  for (const target of targets) {
    try {
      const { finished } = await postQueuedRemittance(options.db, target);
      options.log.info({ organizationId: target.organizationId, remittanceId: target.remittanceId, finished }, "remittance posted in the background");
    } catch (error) {
      options.log.error({ err: error, organizationId: target.organizationId, remittanceId: target.remittanceId }, "posting a remittance failed");
    }
  }
}
