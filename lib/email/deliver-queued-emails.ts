import type { Logger } from "pino";
import type { Db } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";
import { sql, sqlOf, type SqlFragment } from "@/lib/db/sql";
import { parseEmailAttachments, renderEmailAttachments } from "./email-attachments";
import { mailSender } from "./mail-sender";
import type { MailTransport } from "./mail-transport";

/** Attempts per email; after the last one fails the email is `failed`. */
export const MAX_DELIVERY_ATTEMPTS = 5;
/**
 * Seconds to wait after the nth attempt before the next (1 min, 5 min, 30 min, 2 h), counted
 * from when the attempt started or failed. The first also bounds one attempt: a claimed email
 * is not claimed again before it, and an attempt gives up well before (ATTEMPT_TIMEOUT_MS).
 */
export const RETRY_DELAYS_SECONDS = [60, 300, 1_800, 7_200];
const ATTEMPT_TIMEOUT_MS = 45_000;
/** A last attempt still unfinished after this long was cut short (the process died). */
const INTERRUPTED_AFTER_SECONDS = 600;

export type DeliveryReport = { sent: number; retrying: number; failed: number };

type ClaimedEmail = Prisma.EmailGetPayload<{ include: { organization: { select: { name: true } } } }>;

/** Queued emails whose next attempt is due at `now`. */
function isDue(now: Date): SqlFragment {
  return sql`status = 'queued' AND attempts < ${MAX_DELIVERY_ATTEMPTS} AND (
    attempts = 0 OR updated_at <= ${now}::timestamptz - make_interval(secs => (${RETRY_DELAYS_SECONDS}::int[])[attempts])
  )`;
}

/** Whether any queued email is due now: the worker's cheap poll before it asks for a run. */
export async function hasDueEmails(db: Db, options: { now?: Date } = {}): Promise<boolean> {
  const [row] = await sqlOf(db).query<{ due: boolean }>(sql`SELECT EXISTS (SELECT 1 FROM emails WHERE ${isDue(options.now ?? new Date())}) AS due`);
  return row?.due ?? false;
}

/**
 * Delivers the outbox: claims due emails in batches and sends each through `transport`, until
 * none is due or `maxEmails` were tried. Only committed rows are ever seen, so mail written by a
 * transaction that rolled back is never sent.
 *
 * A claim is one committed statement (`FOR UPDATE SKIP LOCKED`, attempts + 1, updated_at = now),
 * so concurrent runs in any number of processes never take the same email, and a claimed email
 * is not due again until its retry delay has passed. A process that dies mid-attempt leaves the
 * email queued; it is retried after the delay (delivery is at least once; the Message-ID stays
 * the same). A 5xx SMTP reply fails the email at once; anything else is retried with backoff up
 * to MAX_DELIVERY_ATTEMPTS, then the email is `failed` with the last error. Logs carry ids and
 * SMTP codes only, never addresses or bodies. Takes the client, never a transaction: each claim
 * and each outcome must commit on its own.
 */
export async function deliverQueuedEmails(
  db: Db,
  options: { transport: MailTransport; log: Logger; mailFrom?: string; now?: Date; batchSize?: number; maxEmails?: number },
): Promise<DeliveryReport> {
  const now = options.now ?? new Date();
  const batchSize = options.batchSize ?? 10;
  const maxEmails = options.maxEmails ?? 100;
  const report: DeliveryReport = { sent: 0, retrying: 0, failed: 0 };

  await failInterruptedLastAttempts(db, now);
  for (let tried = 0; tried < maxEmails;) {
    const claimed = await claimDueEmails(db, { now, limit: Math.min(batchSize, maxEmails - tried) });
    if (claimed.length === 0) break;
    tried += claimed.length;
    for (const email of claimed) {
      report[await deliverOne(db, email, { ...options, now })] += 1;
    }
  }
  return report;
}

async function claimDueEmails(db: Db, options: { now: Date; limit: number }): Promise<ClaimedEmail[]> {
  const rows = await sqlOf(db).query<{ id: string }>(sql`
    UPDATE emails SET attempts = attempts + 1, updated_at = ${options.now}
    WHERE id IN (SELECT id FROM emails WHERE ${isDue(options.now)} ORDER BY created_at LIMIT ${options.limit} FOR UPDATE SKIP LOCKED)
    RETURNING id`);
  if (rows.length === 0) return [];
  return db.email.findMany({
    where: { id: { in: rows.map((row) => row.id) } },
    include: { organization: { select: { name: true } } },
    orderBy: { createdAt: "asc" },
  });
}

async function failInterruptedLastAttempts(db: Db, now: Date): Promise<void> {
  await sqlOf(db).execute(sql`
    UPDATE emails SET status = 'failed', updated_at = ${now},
      last_error = 'The last delivery attempt was interrupted before it finished; the email may or may not have arrived.'
    WHERE status = 'queued' AND attempts >= ${MAX_DELIVERY_ATTEMPTS}
      AND updated_at <= ${now}::timestamptz - make_interval(secs => ${INTERRUPTED_AFTER_SECONDS})`);
}

async function deliverOne(
  db: Db,
  email: ClaimedEmail,
  options: { transport: MailTransport; log: Logger; mailFrom?: string; now: Date },
): Promise<keyof DeliveryReport> {
  const { transport, log, now } = options;
  const from = mailSender({ organizationName: email.organization.name, mailFrom: options.mailFrom });
  try {
    const attachments = transport.needsAttachments
      ? await renderEmailAttachments(db, { organizationId: email.organizationId, attachments: parseEmailAttachments(email.attachments) })
      : [];
    const { messageId } = await withTimeout(
      transport.send({
        from,
        to: email.toAddress,
        subject: email.subject,
        text: email.text,
        html: email.html,
        messageId: `<${email.id}@${from.address.split("@")[1]}>`,
        attachments,
      }),
      ATTEMPT_TIMEOUT_MS,
    );
    await db.email.updateMany({
      where: { id: email.id, status: "queued" },
      data: { status: "sent", transport: transport.name, messageId, sentAt: new Date(), lastError: null },
    });
    log.info({ emailId: email.id, kind: email.kind, attempt: email.attempts, transport: transport.name }, "email delivered");
    return "sent";
  } catch (error) {
    const smtp = smtpFailure(error);
    const failed = smtp.permanent || email.attempts >= MAX_DELIVERY_ATTEMPTS;
    await db.email.updateMany({
      where: { id: email.id, status: "queued" },
      data: { status: failed ? "failed" : "queued", lastError: errorMessage(error), updatedAt: now },
    });
    log.warn(
      { emailId: email.id, kind: email.kind, attempt: email.attempts, willRetry: !failed, errorCode: smtp.code, responseCode: smtp.responseCode },
      "email delivery failed",
    );
    return failed ? "failed" : "retrying";
  }
}

/** nodemailer errors carry the SMTP reply code; 5xx (except a login failure, a setup problem) will not change on retry. */
function smtpFailure(error: unknown): { permanent: boolean; code?: string; responseCode?: number } {
  if (typeof error !== "object" || error === null) return { permanent: false };
  const { code, responseCode } = error as { code?: unknown; responseCode?: unknown };
  const smtpCode = typeof responseCode === "number" ? responseCode : undefined;
  const errorCode = typeof code === "string" ? code : undefined;
  return {
    permanent: smtpCode !== undefined && smtpCode >= 500 && smtpCode < 600 && errorCode !== "EAUTH",
    code: errorCode,
    responseCode: smtpCode,
  };
}

function errorMessage(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).slice(0, 1000);
}

function withTimeout<T>(promise: Promise<T>, milliseconds: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Delivery attempt timed out after ${milliseconds / 1000} s`)), milliseconds);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
