import type { Tx } from "@/lib/db/client";
import type { AuditActor } from "@/lib/audit/record-audit-event";
import { sql, sqlOf } from "@/lib/db/sql";
import { AppError } from "@/lib/errors";
import { formatClaimNumber, parseClaimNumber } from "./claim-number";
import type { ClaimStatus } from "./claims.types";
import { CLAIM_STATUS_LABELS, CLAIM_TRANSITIONS, transitionClaim, type ClaimReason } from "./transition-claim";

/*
 * What lib/clearinghouse calls inside its import transaction (one file's effects, all or nothing).
 * An acknowledgment that does not apply (a claim already accepted, or closed) is not an error: the
 * result says so in words for the import's summary, and the file's other claims still move.
 */

/** What an acknowledgment did to one claim, in words for the import's summary. */
export type ClaimAcknowledgmentResult = { claimId: string; changed: boolean; status: ClaimStatus; message: string };

async function lockClaim(tx: Tx, options: { organizationId: string; claimId: string }) {
  const [row] = await sqlOf(tx).query<{ id: string; number: number; status: ClaimStatus; replaces_claim_id: string | null; frequency_code: string }>(sql`
    SELECT id, number, status, replaces_claim_id, frequency_code FROM claims
    WHERE id = ${options.claimId}::uuid AND organization_id = ${options.organizationId}::uuid
    FOR UPDATE`);
  if (!row) throw new AppError("NOT_FOUND", "That claim does not exist.");
  return row;
}

/**
 * A 277CA accepted the claim: submitted/rejected → accepted, with the payer's claim number. When
 * the claim corrects or voids another (frequency 7/8), that original is closed. A claim already
 * accepted, or in a state an acceptance cannot move, is left as is (changed: false, said in words).
 */
export async function markClaimAccepted(
  tx: Tx,
  options: { organizationId: string; claimId: string; actor: AuditActor; payerClaimNumber?: string; fileId: string; message?: string; now?: Date },
): Promise<ClaimAcknowledgmentResult> {
  const { organizationId, claimId, actor, fileId } = options;
  const claim = await lockClaim(tx, { organizationId, claimId });
  const number = formatClaimNumber(claim.number);
  if (claim.status === "accepted") {
    if (options.payerClaimNumber) await tx.claim.update({ where: { id: claimId }, data: { payerClaimNumber: options.payerClaimNumber } });
    return { claimId, changed: false, status: claim.status, message: `${number} was already accepted.` };
  }
  if (!CLAIM_TRANSITIONS[claim.status].includes("accepted")) {
    return {
      claimId,
      changed: false,
      status: claim.status,
      message: `${number} is ${CLAIM_STATUS_LABELS[claim.status].toLowerCase()}: the acceptance was not applied.`,
    };
  }
  const reference = options.payerClaimNumber ? ` (payer claim number ${options.payerClaimNumber})` : "";
  await transitionClaim(tx, {
    organizationId,
    claimId,
    to: "accepted",
    kind: "acknowledged_277ca",
    actor,
    fileId,
    payerClaimNumber: options.payerClaimNumber,
    message: options.message ?? `Accepted by the payer${reference}.`,
    now: options.now,
  });
  let closedOriginal = "";
  if (claim.replaces_claim_id && claim.frequency_code !== "1") {
    const original = await lockClaim(tx, { organizationId, claimId: claim.replaces_claim_id });
    if (CLAIM_TRANSITIONS[original.status].includes("closed")) {
      await transitionClaim(tx, {
        organizationId,
        claimId: original.id,
        to: "closed",
        kind: "replaced",
        actor,
        fileId,
        message: `${claim.frequency_code === "7" ? "Corrected" : "Voided"} by ${number}, which the payer accepted.`,
        now: options.now,
      });
      closedOriginal = ` ${formatClaimNumber(original.number)}, which it ${claim.frequency_code === "7" ? "corrects" : "voids"}, is closed.`;
    }
  }
  return { claimId, changed: true, status: "accepted", message: `${number} accepted${reference}.${closedOriginal}` };
}

/** A 999 or 277CA rejected the claim: submitted/accepted → rejected with the reasons (shown until it is edited). */
export async function markClaimRejected(
  tx: Tx,
  options: { organizationId: string; claimId: string; actor: AuditActor; reasons: ClaimReason[]; fileId: string; source: "999" | "277CA"; now?: Date },
): Promise<ClaimAcknowledgmentResult> {
  const { organizationId, claimId, actor, fileId, source } = options;
  const claim = await lockClaim(tx, { organizationId, claimId });
  const number = formatClaimNumber(claim.number);
  const words = options.reasons.map((reason) => reason.message).join(" ") || "No reason given.";
  if (claim.status === "rejected") {
    return { claimId, changed: false, status: claim.status, message: `${number} was already rejected.` };
  }
  if (!CLAIM_TRANSITIONS[claim.status].includes("rejected")) {
    return {
      claimId,
      changed: false,
      status: claim.status,
      message: `${number} is ${CLAIM_STATUS_LABELS[claim.status].toLowerCase()}: the rejection was not applied.`,
    };
  }
  await transitionClaim(tx, {
    organizationId,
    claimId,
    to: "rejected",
    kind: source === "999" ? "acknowledged_999" : "acknowledged_277ca",
    actor,
    fileId,
    reasons: options.reasons,
    message: `Rejected (${source}): ${words}`,
    now: options.now,
  });
  return { claimId, changed: true, status: "rejected", message: `${number} rejected (${source}): ${words}` };
}

/** The batch with those control numbers (AK1 GS06, AK2 ST02 of a 999) and its claims, or null. */
export async function findClaimBatchByControlNumbers(
  tx: Tx,
  options: { organizationId: string; groupControlNumber: number; transactionSetControlNumber: number },
): Promise<{ batchId: string; claimIds: string[] } | null> {
  const batch = await tx.claimBatch.findFirst({
    where: {
      organizationId: options.organizationId,
      groupControlNumber: options.groupControlNumber,
      transactionSetControlNumber: options.transactionSetControlNumber,
    },
    select: { id: true, claims: { select: { claimId: true }, orderBy: { claimNumber: "asc" } } },
  });
  return batch ? { batchId: batch.id, claimIds: batch.claims.map((claim) => claim.claimId) } : null;
}

/** The claim a CLM01 (CLM-000123, echoed as the 277CA's patient control number) names, or null. */
export async function findClaimByClaimNumber(
  tx: Tx,
  options: { organizationId: string; claimNumber: string },
): Promise<{ id: string; status: ClaimStatus } | null> {
  const number = parseClaimNumber(options.claimNumber);
  if (number === null) return null;
  return tx.claim.findFirst({ where: { organizationId: options.organizationId, number }, select: { id: true, status: true } });
}

/** Stores a 999's verdict on a whole batch (accepted, accepted_with_errors, partially_accepted, rejected). */
export async function recordBatchAcknowledgment(
  tx: Tx,
  options: { organizationId: string; batchId: string; acknowledgment: "accepted" | "accepted_with_errors" | "partially_accepted" | "rejected"; at: Date },
): Promise<void> {
  const updated = await tx.claimBatch.updateMany({
    where: { id: options.batchId, organizationId: options.organizationId },
    data: { acknowledgment: options.acknowledgment, acknowledgedAt: options.at },
  });
  if (updated.count === 0) throw new AppError("NOT_FOUND", "That claim batch does not exist.");
}
