import { z } from "zod";
import "@/lib/validation/fields";
import type { Db, Tx } from "@/lib/db/client";
import { recordAuditEvent, type AuditActor } from "@/lib/audit/record-audit-event";
import { sql, sqlOf } from "@/lib/db/sql";
import { AppError } from "@/lib/errors";
import { zMultilineText } from "@/lib/validation/fields";
import { formatClaimNumber } from "./claim-number";
import { ADJUDICABLE_STATUSES } from "./claim-views";
import type { ClaimStatus, ClaimView } from "./claims.types";
import { nextCounterValue } from "@/lib/db/locks";
import { inTransaction } from "@/lib/db/in-transaction";
import { getClaimOrThrow } from "./list-claims";
import { CLAIM_STATUS_LABELS, recordClaimEvent, transitionClaim } from "./transition-claim";
import { returnClosedCorrectionBalance } from "./claim-receivable";

export const ZCloseClaimInput = z.strictObject({
  reason: zMultilineText().min(1, "Say why the claim is closed.").max(500, "Keep the reason under 500 characters."),
});

async function createReplacement(
  db: Db | Tx,
  options: { organizationId: string; actor: AuditActor; claimId: string; now?: Date; frequencyCode: "7" | "8" },
): Promise<ClaimView> {
  const { organizationId, actor, frequencyCode } = options;
  const now = options.now ?? new Date();
  const what = frequencyCode === "7" ? "corrected" : "void";
  const newId = await inTransaction(db, async (tx) => {
    const [locked] = await sqlOf(tx).query<{ status: ClaimStatus }>(
      sql`SELECT status FROM claims WHERE id = ${options.claimId}::uuid AND organization_id = ${organizationId}::uuid FOR UPDATE`,
    );
    if (!locked) throw new AppError("NOT_FOUND", "That claim does not exist.");
    const original = await tx.claim.findUniqueOrThrow({
      where: { id: options.claimId },
      include: { lines: { orderBy: { position: "asc" } }, replacedBy: { select: { number: true, status: true } } },
    });
    const number = formatClaimNumber(original.number);
    if (!ADJUDICABLE_STATUSES.includes(original.status)) {
      throw new AppError(
        "CONFLICT",
        `Only a claim the payer accepted can get a ${what} claim; ${number} is ${CLAIM_STATUS_LABELS[original.status].toLowerCase()}${original.status === "rejected" || original.status === "draft" || original.status === "ready" ? ": edit it and submit it again instead" : ""}.`,
      );
    }
    if (original.frequencyCode === "8") throw new AppError("CONFLICT", `${number} is a void claim: it cannot be corrected or voided.`);
    // The payer's claim number from its 277CA; a claim the payer took in by remittance only (no 277CA) has it on its posted payments (CLP07).
    const payerClaimNumber =
      original.payerClaimNumber ??
      (
        await tx.remittanceClaim.findFirst({
          where: { organizationId, claimId: original.id, status: "posted", payerClaimControlNumber: { not: null } },
          orderBy: { postedAt: "desc" },
          select: { payerClaimControlNumber: true },
        })
      )?.payerClaimControlNumber ??
      null;
    if (!payerClaimNumber) {
      throw new AppError("CONFLICT", `${number} has no payer claim number (from the payer's acknowledgment or remittance), which a ${what} claim must quote.`);
    }
    const live = original.replacedBy.find((claim) => claim.status !== "closed");
    if (live) throw new AppError("CONFLICT", `${formatClaimNumber(live.number)} already replaces ${number}; close it first to start another.`);
    const claimNumber = await nextCounterValue(tx, { organizationId, counter: "claim" });
    const replacement = await tx.claim.create({
      data: {
        organizationId,
        number: claimNumber,
        patientId: original.patientId,
        visitId: original.visitId,
        coverageId: original.coverageId,
        payerId: original.payerId,
        frequencyCode,
        replacesClaimId: original.id,
        // A corrected secondary claim still carries the primary's adjudication (2320/2430).
        priorClaimId: original.priorClaimId,
        payerClaimNumber,
        placeOfService: original.placeOfService,
        renderingProviderId: original.renderingProviderId,
        diagnoses: original.diagnoses,
        totalCharge: original.totalCharge,
        createdAt: now,
      },
    });
    await tx.claimLine.createMany({
      data: original.lines.map(({ id: _id, claimId: _claimId, ...line }) => ({ ...line, claimId: replacement.id })),
    });
    await recordClaimEvent(tx, {
      organizationId,
      claimId: replacement.id,
      status: "draft",
      kind: "created",
      actor,
      message: `${what === "corrected" ? "Corrected" : "Void"} claim (frequency ${frequencyCode}) replacing ${number}, payer claim number ${payerClaimNumber}.`,
      now,
    });
    await recordClaimEvent(tx, {
      organizationId,
      claimId: original.id,
      status: original.status,
      kind: frequencyCode === "7" ? "corrected" : "voided",
      actor,
      message: `${formatClaimNumber(claimNumber)} ${frequencyCode === "7" ? "corrects" : "voids"} this claim; this one is closed when the payer accepts it.`,
      now,
    });
    await recordAuditEvent(tx, {
      organizationId,
      actor,
      action: frequencyCode === "7" ? "claim.corrected" : "claim.voided",
      target: { type: "claim", id: replacement.id },
      after: { number: formatClaimNumber(claimNumber), replaces: number, frequencyCode },
    });
    return replacement.id;
  });
  return getClaimOrThrow(db, { organizationId, claimId: newId, now });
}

/**
 * A corrected claim (frequency 7) replacing an accepted or adjudicated claim (paid, partially paid,
 * denied: the denial queue's "Correct and resubmit"): a new draft with its lines and diagnoses and
 * the payer's claim number (REF*F8) from the 277CA, else from the original's posted remittance (CLP07).
 * When submitted, what is still open on the original moves to it (`claim.replaced`).
 * The original is closed when the replacement is accepted (markClaimAccepted).
 */
export async function createCorrectedClaim(
  db: Db | Tx,
  options: { organizationId: string; actor: AuditActor; claimId: string; now?: Date },
): Promise<ClaimView> {
  return createReplacement(db, { ...options, frequencyCode: "7" });
}

/** A void claim (frequency 8) for an accepted (or adjudicated) claim, as a new draft; the original is closed when the void is accepted. */
export async function createVoidClaim(db: Db | Tx, options: { organizationId: string; actor: AuditActor; claimId: string; now?: Date }): Promise<ClaimView> {
  return createReplacement(db, { ...options, frequencyCode: "8" });
}

/**
 * Closes a claim (nothing more will happen to it), with the reason in its history. A submitted claim
 * waits for its acknowledgment first. A correction the payer never accepted gives its balance back to
 * the claim it corrects (returnClosedCorrectionBalance), so that claim can be corrected again.
 */
export async function closeClaim(
  db: Db | Tx,
  options: { organizationId: string; actor: AuditActor; claimId: string; reason: string; now?: Date },
): Promise<ClaimView> {
  const { organizationId, actor, claimId } = options;
  const { reason } = ZCloseClaimInput.parse({ reason: options.reason });
  const now = options.now ?? new Date();
  await inTransaction(db, async (tx) => {
    const { from } = await transitionClaim(tx, { organizationId, claimId, to: "closed", kind: "closed", actor, message: reason, reasons: undefined, now });
    const returned = await returnClosedCorrectionBalance(tx, { organizationId, claimId, now });
    await recordAuditEvent(tx, {
      organizationId,
      actor,
      action: "claim.closed",
      target: { type: "claim", id: claimId },
      before: { status: from },
      after: { reason, ...(returned ? { balanceReturnedTo: returned.originalId, movedBack: returned.movedBack, unCharged: returned.unCharged } : {}) },
    });
  });
  return getClaimOrThrow(db, { organizationId, claimId, now });
}
