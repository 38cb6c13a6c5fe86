import type { AuditActor } from "@/lib/audit/record-audit-event";
import type { BackgroundPosting, ImportSummaryLine } from "@/lib/clearinghouse/clearinghouse.types";
import type { Db, Tx } from "@/lib/db/client";
import { sql, sqlOf } from "@/lib/db/sql";
import { postRemittance } from "./post-remittance";

/**
 * The most claim payments an import posts before it answers; a file with more is stored in the
 * request and posted by the background job (remittances.post). Posting takes about 90 ms a claim
 * payment (a transaction each, with its journals, share invoice and claim history), so 50 keep an
 * upload under about 5 seconds: staff who upload a clinic's usual remittance (a few claims) see what
 * was posted at once, and a payer's 1,000-claim file answers in a second or two instead of holding
 * a request (and a server worker) for a minute and a half, past the browser's and proxy's timeouts.
 */
export const INLINE_POSTING_LIMIT = 50;

/** What the claim payments of a remittance have come to, for its page and the job's summary line. */
export type RemittancePostingCounts = {
  /** Matched to a claim (everything posting deals with; unmatched ones wait for a hand match). */
  total: number;
  /** Still `matched`: not posted yet. */
  waiting: number;
  /** Posted (a reversal counts here too, as does a payment reversed since). */
  posted: number;
  duplicate: number;
  held: number;
};

export async function countRemittancePosting(db: Db | Tx, options: { remittanceId: string }): Promise<RemittancePostingCounts> {
  const rows = await db.remittanceClaim.groupBy({
    by: ["status"],
    where: { remittanceId: options.remittanceId, status: { not: "unmatched" } },
    _count: { _all: true },
  });
  const count = (...statuses: string[]) => rows.filter((row) => statuses.includes(row.status)).reduce((sum, row) => sum + row._count._all, 0);
  return {
    total: count("matched", "posted", "reversed", "duplicate", "held"),
    waiting: count("matched"),
    posted: count("posted", "reversed"),
    duplicate: count("duplicate"),
    held: count("held"),
  };
}

const plural = (count: number, one: string, many: string) => `${count.toLocaleString("en-US")} ${count === 1 ? one : many}`;

/**
 * Decides, in the import's transaction, how the payments it stored are posted: when they hold more
 * matched claim payments than INLINE_POSTING_LIMIT (all payments of the file together), each payment
 * with any is marked for the background job (`postingQueuedAt`) and returned, with a summary line
 * saying so; otherwise nothing is marked and the import posts them itself once committed.
 */
export async function queueLargeRemittances(
  tx: Tx,
  options: { remittanceIds: string[]; limit: number; now: Date },
): Promise<{ queued: BackgroundPosting[]; summary: ImportSummaryLine[] }> {
  if (options.remittanceIds.length === 0) return { queued: [], summary: [] };
  const waiting = await tx.remittanceClaim.groupBy({
    by: ["remittanceId"],
    where: { remittanceId: { in: options.remittanceIds }, status: "matched", remittance: { status: "received", postingFinishedAt: null } },
    _count: { _all: true },
  });
  const total = waiting.reduce((sum, row) => sum + row._count._all, 0);
  if (total <= options.limit) return { queued: [], summary: [] };
  const remittances = await tx.remittance.findMany({
    where: { id: { in: waiting.map((row) => row.remittanceId) } },
    select: { id: true, traceNumber: true, postingQueuedAt: true },
  });
  const queued: BackgroundPosting[] = [];
  const summary: ImportSummaryLine[] = [];
  for (const remittance of remittances) {
    const claimPayments = waiting.find((row) => row.remittanceId === remittance.id)!._count._all;
    if (!remittance.postingQueuedAt) await tx.remittance.update({ where: { id: remittance.id }, data: { postingQueuedAt: options.now } });
    queued.push({ remittanceId: remittance.id, claimPayments });
    summary.push({
      message: `Payment ${remittance.traceNumber}: ${plural(claimPayments, "claim payment is", "claim payments are")} being posted in the background (a file with more than ${options.limit} is not posted while you wait); the payment's page under Claims → Remittances shows how far it has got.`,
    });
  }
  return { queued, summary };
}

/**
 * The background job's work for one remittance the import queued: posts what is left of it
 * (postRemittance: claim payments still matched, each under its lock; safe beside another run or
 * after a crash) and, once nothing is left, marks it finished and adds one line to its file's
 * summary saying what came of it, exactly once (under the remittance's lock). A remittance not
 * queued, or finished, is left alone. Returns whether it is finished.
 */
export async function postQueuedRemittance(
  db: Db,
  options: { organizationId: string; remittanceId: string; actor: AuditActor; now?: Date },
): Promise<{ finished: boolean }> {
  const remittance = await db.remittance.findFirst({
    where: { id: options.remittanceId, organizationId: options.organizationId },
    select: { postingQueuedAt: true, postingFinishedAt: true },
  });
  if (!remittance?.postingQueuedAt) return { finished: false };
  if (remittance.postingFinishedAt) return { finished: true };
  await postRemittance(db, options);
  return finishQueuedPosting(db, { remittanceId: options.remittanceId, now: options.now ?? new Date() });
}

async function finishQueuedPosting(db: Db, options: { remittanceId: string; now: Date }): Promise<{ finished: boolean }> {
  return db.$transaction(async (tx) => {
    const runner = sqlOf(tx);
    const [locked] = await runner.query<{ finished: boolean; trace_number: string; clearinghouse_file_id: string }>(
      sql`SELECT posting_finished_at IS NOT NULL AS finished, trace_number, clearinghouse_file_id::text AS clearinghouse_file_id
          FROM remittances WHERE id = ${options.remittanceId}::uuid FOR UPDATE`,
    );
    if (!locked) return { finished: false };
    if (locked.finished) return { finished: true };
    const counts = await countRemittancePosting(tx, { remittanceId: options.remittanceId });
    // Another run is still posting some (or one failed before it could hold them): that run, or the sweep, finishes it.
    if (counts.waiting > 0) return { finished: false };
    const parts = [
      plural(counts.posted, "claim payment posted", "claim payments posted"),
      ...(counts.duplicate > 0 ? [plural(counts.duplicate, "duplicate (posted before)", "duplicates (posted before)")] : []),
      ...(counts.held > 0 ? [`${plural(counts.held, "held", "held")} (see Claims → Unmatched payments)`] : []),
    ];
    const line: ImportSummaryLine = { message: `Payment ${locked.trace_number}: posting finished in the background: ${parts.join(", ")}.` };
    await tx.remittance.update({ where: { id: options.remittanceId }, data: { postingFinishedAt: options.now } });
    // Appended in SQL: two payments of one file may finish at once.
    await runner.query(
      sql`UPDATE clearinghouse_files SET summary = summary || ${JSON.stringify([line])}::jsonb WHERE id = ${locked.clearinghouse_file_id}::uuid`,
    );
    return { finished: true };
  });
}

/** The remittances queued for the background job and not finished `olderThan` after (the job's sweep: a lost or crashed run). */
export async function listUnfinishedQueuedRemittances(
  db: Db,
  options: { queuedBefore: Date; limit: number },
): Promise<{ organizationId: string; remittanceId: string }[]> {
  const rows = await db.remittance.findMany({
    where: { postingFinishedAt: null, postingQueuedAt: { not: null, lt: options.queuedBefore } },
    orderBy: { postingQueuedAt: "asc" },
    take: options.limit,
    select: { id: true, organizationId: true },
  });
  return rows.map((row) => ({ organizationId: row.organizationId, remittanceId: row.id }));
}
