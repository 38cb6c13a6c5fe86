import type { AuditActor } from "@/lib/audit/record-audit-event";
import type { ImportSummaryLine } from "@/lib/clearinghouse/clearinghouse.types";
import type { Db, Tx } from "@/lib/db/client";
import { inTransaction } from "@/lib/db/in-transaction";
import { sql, sqlOf } from "@/lib/db/sql";
import { AppError } from "@/lib/errors";
import { postJournal } from "@/lib/ledger/post-journal";
import { formatMoney } from "@/lib/money/currency";
import { logger } from "@/lib/observability/logger";
import { postClaimPayment } from "./post-claim-payment";

/**
 * Posts a stored remittance (lib/remittances/store-remittance.ts): each matched claim payment in a
 * transaction of its own (postClaimPayment), so one that cannot be posted is held with its reason
 * and the others still post; the provider-level adjustments (PLB) once, with the first posting.
 * A remittance that does not add up (needs_review) posts nothing. Returns what happened, in words,
 * for the import's summary.
 *
 * Safe to call again and to run twice at once (the import, the background job, its sweep): only
 * claim payments still `matched` are posted, each under its row lock, read again once the lock is
 * held, so a claim payment is never posted twice; after a crash the next run posts only what is
 * left. The lock waits (no SKIP LOCKED): two runs then walk the payments in the same order, one
 * behind the other, so they post in the 835's order as one run would (a reversal before the
 * corrected payment that follows it for the same claim).
 */
export async function postRemittance(
  db: Db | Tx,
  options: { organizationId: string; remittanceId: string; actor: AuditActor; now?: Date },
): Promise<ImportSummaryLine[]> {
  const { organizationId, remittanceId, actor } = options;
  const now = options.now ?? new Date();
  const remittance = await db.remittance.findFirst({
    where: { id: remittanceId, organizationId },
    select: { status: true, payerId: true, traceNumber: true, claims: { where: { status: "matched" }, orderBy: { position: "asc" }, select: { id: true } } },
  });
  if (!remittance) throw new AppError("NOT_FOUND", "Remittance not found.");
  if (remittance.status === "needs_review") return [];

  const summary: ImportSummaryLine[] = [];
  if (remittance.payerId) await inTransaction(db, (tx) => postProviderAdjustments(tx, { organizationId, remittanceId, now }));
  for (const { id } of remittance.claims) {
    try {
      const posted = await inTransaction(db, async (tx) =>
        (await claimToPost(tx, id)) ? postClaimPayment(tx, { organizationId, remittanceClaimId: id, actor, now }) : null,
      );
      if (posted) summary.push({ claimId: posted.claimId, message: posted.message });
    } catch (error) {
      const reason =
        error instanceof AppError
          ? error.message
          : "Carebill could not post this claim payment because of an error on its side (logged); nothing of it was posted. Try posting it again.";
      if (!(error instanceof AppError)) logger.error({ err: error, remittanceClaimId: id }, "remittance: posting a claim payment failed");
      // Only while still matched: a concurrent run may have posted it since this one failed.
      const held = await inTransaction(db, async (tx) =>
        (await claimToPost(tx, id))
          ? tx.remittanceClaim.update({ where: { id }, data: { status: "held", heldReason: reason.slice(0, 500) }, select: { claimId: true } })
          : null,
      );
      if (held) summary.push({ ...(held.claimId ? { claimId: held.claimId } : {}), message: `Not posted: ${reason}` });
    }
  }
  await refreshRemittanceStatus(db, { organizationId, remittanceId });
  return summary;
}

/**
 * Takes a claim payment's row lock for this transaction (waiting while another run posts it) and
 * says whether it is still `matched`: false once another run posted (or held) it.
 */
async function claimToPost(tx: Tx, remittanceClaimId: string): Promise<boolean> {
  const [row] = await sqlOf(tx).query<{ status: string }>(sql`SELECT status FROM remittance_claims WHERE id = ${remittanceClaimId}::uuid FOR UPDATE`);
  return row?.status === "matched";
}

/**
 * A held claim payment posted again (after staff fixed what held it: added the payer, refunded a
 * share invoice…), or a matched one posted by hand. Throws the refusal in words when it still
 * cannot be posted, and keeps it held.
 */
export async function postClaimPaymentAgain(
  db: Db,
  options: { organizationId: string; remittanceClaimId: string; actor: AuditActor; now?: Date },
): Promise<{ message: string }> {
  const now = options.now ?? new Date();
  const row = await db.remittanceClaim.findFirst({
    where: { id: options.remittanceClaimId, organizationId: options.organizationId },
    select: { remittanceId: true },
  });
  if (!row) throw new AppError("NOT_FOUND", "Claim payment not found.");
  const posted = await db.$transaction(async (tx) => {
    // Read under its lock: the background job (or a second click) may have posted it since.
    const [locked] = await sqlOf(tx).query<{ status: string }>(
      sql`SELECT status FROM remittance_claims WHERE id = ${options.remittanceClaimId}::uuid FOR UPDATE`,
    );
    if (locked?.status !== "held" && locked?.status !== "matched") {
      throw new AppError("CONFLICT", `This claim payment is ${locked?.status ?? "gone"}: there is nothing to post.`);
    }
    await tx.remittanceClaim.update({ where: { id: options.remittanceClaimId }, data: { status: "matched", heldReason: null } });
    const remittance = await tx.remittance.findUniqueOrThrow({ where: { id: row.remittanceId }, select: { payerId: true } });
    if (remittance.payerId) await postProviderAdjustments(tx, { organizationId: options.organizationId, remittanceId: row.remittanceId, now });
    return postClaimPayment(tx, { ...options, now });
  });
  await refreshRemittanceStatus(db, { organizationId: options.organizationId, remittanceId: row.remittanceId });
  return { message: posted.message };
}

/** posted once no claim payment of it waits (matched, unmatched or held); received otherwise. */
async function refreshRemittanceStatus(db: Db | Tx, options: { organizationId: string; remittanceId: string }): Promise<void> {
  const waiting = await db.remittanceClaim.count({ where: { remittanceId: options.remittanceId, status: { in: ["matched", "unmatched", "held"] } } });
  await db.remittance.updateMany({
    where: { id: options.remittanceId, organizationId: options.organizationId, status: { not: "needs_review" } },
    data: { status: waiting === 0 ? "posted" : "received" },
  });
}

/**
 * PLB: money the payer keeps back from this payment (positive: an overpayment recovered, a
 * withholding) or adds to it (negative: interest, a bonus), across claims. Posted once per
 * remittance against insurance clearing, so that clearing holds exactly BPR02:
 * `remittance.provider_adjusted`, Dr contractual adjustments / Cr insurance clearing (or the
 * opposite for money added).
 */
async function postProviderAdjustments(tx: Tx, options: { organizationId: string; remittanceId: string; now: Date }): Promise<void> {
  const adjustments = await tx.remittanceProviderAdjustment.findMany({
    where: { remittanceId: options.remittanceId },
    select: { amount: true, reasonCode: true },
  });
  const total = adjustments.reduce((sum, adjustment) => sum + adjustment.amount, 0);
  if (total === 0) return;
  // Two runs at once (the import and the background job, or two workers) check and post under the remittance's lock, once.
  await sqlOf(tx).query(sql`SELECT 1 FROM remittances WHERE id = ${options.remittanceId}::uuid FOR UPDATE`);
  const existing = await tx.journalEntry.findFirst({
    where: { organizationId: options.organizationId, sourceType: "remittance", sourceId: options.remittanceId, kind: "remittance.provider_adjusted" },
    select: { id: true },
  });
  if (existing) return;
  const remittance = await tx.remittance.findUniqueOrThrow({
    where: { id: options.remittanceId },
    select: { traceNumber: true, payerName: true, organization: { select: { currency: true } } },
  });
  const currency = remittance.organization.currency;
  await postJournal(tx, {
    organizationId: options.organizationId,
    currency,
    kind: "remittance.provider_adjusted",
    memo: `${remittance.payerName}, payment ${remittance.traceNumber}: provider adjustments (${adjustments.map((adjustment) => adjustment.reasonCode).join(", ")}) ${total > 0 ? "keep back" : "add"} ${formatMoney(Math.abs(total), currency)}`,
    source: { type: "remittance", id: options.remittanceId },
    occurredAt: options.now,
    lines: [
      { account: "contractualAdjustments", amount: total },
      { account: "insuranceClearing", amount: -total },
    ],
  });
}
