import type { AuditActor } from "@/lib/audit/record-audit-event";
import { getEnv } from "@/lib/env";
import { getBoss } from "@/lib/jobs/boss";
import { enqueueRemittancePosting } from "@/lib/jobs/post-remittances-job";
import { logger } from "@/lib/observability/logger";

/**
 * Call after the import that queued these remittances (postingQueuedAt) has committed: the
 * background job posts each now, as `actor`. Never throws: a queued remittance is posted by the
 * job's sweep (every minute, once it has waited POSTING_SWEEP_AFTER_SECONDS) whatever happens
 * here. With JOBS_DISABLED this process starts no job queue and leaves them to the worker's sweep.
 */
export async function requestRemittancePosting(options: { organizationId: string; actor: AuditActor; remittanceIds: string[] }): Promise<void> {
  if (getEnv().JOBS_DISABLED) return;
  try {
    const boss = await getBoss();
    for (const remittanceId of options.remittanceIds) {
      await enqueueRemittancePosting(boss, { organizationId: options.organizationId, remittanceId, actor: options.actor });
    }
  } catch (error) {
    logger.warn(
      { err: error, component: "jobs", organizationId: options.organizationId },
      "could not hand remittances to the posting job; its sweep will post them",
    );
  }
}
