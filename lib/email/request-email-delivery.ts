import { getEnv } from "@/lib/env";
import { getBoss } from "@/lib/jobs/boss";
import { enqueueEmailDelivery } from "@/lib/jobs/email-deliver-job";
import { logger } from "@/lib/observability/logger";

/**
 * Call after a transaction that wrote to the outbox has committed (e.g. after sendInvoice): the
 * worker delivers now instead of at its next poll, a few seconds later. Never throws: the email
 * is safe in the outbox whatever happens here. With JOBS_DISABLED the process starts no job
 * queue and leaves the mail to the worker's poll.
 */
export async function requestEmailDelivery(): Promise<void> {
  if (getEnv().JOBS_DISABLED) return;
  try {
    await enqueueEmailDelivery(await getBoss());
  } catch (error) {
    logger.warn({ err: error, component: "jobs" }, "could not ask for email delivery; the outbox poll will send it");
  }
}
