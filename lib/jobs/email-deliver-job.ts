import type PgBoss from "pg-boss";
import type { Logger } from "pino";
import type { Db } from "@/lib/db/client";
import { deliverQueuedEmails, hasDueEmails } from "@/lib/email/deliver-queued-emails";
import type { MailTransport } from "@/lib/email/mail-transport";
import { EMAIL_DELIVER_QUEUE } from "./boss";

/** Asks for a delivery run. Requests while one already waits collapse into it (queue policy `short`). */
export async function enqueueEmailDelivery(boss: PgBoss): Promise<void> {
  await boss.send(EMAIL_DELIVER_QUEUE, {});
}

export type EmailDeliveryWorker = { stop(): Promise<void> };

/**
 * Works the `email.deliver` queue: each job runs deliverQueuedEmails, which claims rows from the
 * outbox (the jobs only say "look now", so a lost or repeated job loses or repeats no mail).
 * Every `pollIntervalMs` it also asks for a run when due mail is waiting: mail whose hand-off
 * never happened (the process died between commit and enqueue) and retries coming due.
 */
export async function startEmailDeliveryWorker(
  boss: PgBoss,
  options: { db: Db; transport: MailTransport; log: Logger; mailFrom?: string; pollIntervalMs?: number },
): Promise<EmailDeliveryWorker> {
  const { db, transport, log, mailFrom } = options;
  const workerId = await boss.work(EMAIL_DELIVER_QUEUE, { pollingIntervalSeconds: 1 }, async () => {
    const report = await deliverQueuedEmails(db, { transport, log, mailFrom });
    if (report.sent + report.retrying + report.failed > 0) log.info({ ...report }, "email delivery run");
  });

  let polling = false;
  const poll = async () => {
    if (polling) return;
    polling = true;
    try {
      if (await hasDueEmails(db)) {
        await enqueueEmailDelivery(boss);
        boss.notifyWorker(workerId);
      }
    } catch (error) {
      log.warn({ err: error }, "outbox poll failed");
    } finally {
      polling = false;
    }
  };
  const timer = setInterval(() => void poll(), options.pollIntervalMs ?? 5_000);
  timer.unref();

  return {
    async stop() {
      clearInterval(timer);
      await boss.offWork(EMAIL_DELIVER_QUEUE);
    },
  };
}
