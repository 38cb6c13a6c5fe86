import type { Tx } from "@/lib/db/client";
import type { ClaimStatus } from "@/lib/db/generated/client";
import type { InputJsonValue } from "@/lib/db/generated/internal/prismaNamespace";
import type { AuditActor } from "@/lib/audit/record-audit-event";
import { AppError } from "@/lib/errors";
import { sql, sqlOf } from "@/lib/db/sql";

/**
 * The claim state machine. This module is the only writer of `claims.status` (and of the columns
 * that go with a state: submitted_at, acknowledged_at, rejection_reasons, problems when ready):
 * every other module asks it to move a claim and gets a refusal in words when the move is not allowed.
 *
 *   draft ──validate──▶ ready ──submit──▶ submitted ──999/277CA──▶ accepted ──835 (part 2)──▶ paid / partially_paid / denied ──▶ closed
 *     ▲                   │                  │                        │
 *     └──── edit ─────────┘                  └──999/277CA──▶ rejected ─┴─ edit ▶ draft (fix and send again)
 *
 * A void (frequency 8) or corrected (7) claim is a new claim; the claim it replaces is closed once
 * the replacement is accepted.
 */
export const CLAIM_TRANSITIONS: Record<ClaimStatus, readonly ClaimStatus[]> = {
  draft: ["ready", "closed"],
  ready: ["draft", "submitted", "closed"],
  submitted: ["accepted", "rejected"],
  // A 277CA may still reject a claim whose 999 accepted the file; a later 277CA may accept a claim a payer first pended.
  accepted: ["rejected", "paid", "partially_paid", "denied", "closed"],
  rejected: ["draft", "accepted", "closed"],
  paid: ["closed", "partially_paid", "denied"],
  partially_paid: ["paid", "closed", "denied"],
  denied: ["paid", "partially_paid", "closed"],
  closed: [],
};

export const CLAIM_STATUS_LABELS: Record<ClaimStatus, string> = {
  draft: "Draft",
  ready: "Ready to submit",
  submitted: "Submitted",
  accepted: "Accepted",
  rejected: "Rejected",
  paid: "Paid",
  partially_paid: "Partially paid",
  denied: "Denied",
  closed: "Closed",
};

export type ClaimReason = { source: "999" | "277CA" | "835" | "staff"; message: string };

export type TransitionClaimOptions = {
  organizationId: string;
  claimId: string;
  to: ClaimStatus;
  /** What happened, for the history: validated, submitted, acknowledged_999, acknowledged_277ca, edited, corrected, voided, closed… */
  kind: string;
  actor: AuditActor;
  /** Words for staff, shown in the claim's history (e.g. the rejection reasons joined). */
  message?: string;
  details?: InputJsonValue;
  batchId?: string;
  fileId?: string;
  /** For `rejected`: the reasons, stored on the claim until it is edited. */
  reasons?: ClaimReason[];
  /** For `accepted`: the payer's claim control number from the 277CA (REF*1K). */
  payerClaimNumber?: string;
  now?: Date;
};

/**
 * Moves one claim (locked FOR UPDATE here, in the caller's transaction) and appends its history
 * event. Refuses a move the state machine does not allow with a CONFLICT naming both states.
 * Returns the state it left.
 */
export async function transitionClaim(tx: Tx, options: TransitionClaimOptions): Promise<{ from: ClaimStatus }> {
  const { organizationId, claimId, to, kind, actor } = options;
  const now = options.now ?? new Date();
  const [locked] = await sqlOf(tx).query<{ status: ClaimStatus }>(
    sql`SELECT status FROM claims WHERE id = ${claimId}::uuid AND organization_id = ${organizationId}::uuid FOR UPDATE`,
  );
  if (!locked) throw new AppError("NOT_FOUND", "Claim not found.");
  const from = locked.status;
  if (!CLAIM_TRANSITIONS[from].includes(to)) {
    throw new AppError("CONFLICT", `A claim that is ${CLAIM_STATUS_LABELS[from].toLowerCase()} cannot become ${CLAIM_STATUS_LABELS[to].toLowerCase()}.`);
  }
  await tx.claim.update({
    where: { id: claimId },
    data: {
      status: to,
      ...(to === "ready" ? { problems: [] } : {}),
      ...(to === "submitted" ? { submittedAt: now, rejectionReasons: [] } : {}),
      ...(to === "accepted" || to === "rejected" ? { acknowledgedAt: now } : {}),
      ...(to === "rejected" ? { rejectionReasons: options.reasons ?? [] } : {}),
      ...(to === "accepted" ? { rejectionReasons: [] } : {}),
      ...(options.payerClaimNumber ? { payerClaimNumber: options.payerClaimNumber } : {}),
    },
  });
  await tx.claimEvent.create({
    data: {
      organizationId,
      claimId,
      fromStatus: from,
      toStatus: to,
      kind,
      message: options.message?.slice(0, 2000) ?? null,
      details: options.details,
      batchId: options.batchId ?? null,
      fileId: options.fileId ?? null,
      actor: actor.label.slice(0, 200),
      createdAt: now,
    },
  });
  return { from };
}

/** Appends a history event that does not move the claim (created, edited while draft, printed…). */
export async function recordClaimEvent(
  tx: Tx,
  options: {
    organizationId: string;
    claimId: string;
    status: ClaimStatus;
    kind: string;
    actor: AuditActor;
    message?: string;
    details?: InputJsonValue;
    fileId?: string;
    now?: Date;
  },
): Promise<void> {
  await tx.claimEvent.create({
    data: {
      organizationId: options.organizationId,
      claimId: options.claimId,
      fromStatus: options.status,
      toStatus: options.status,
      kind: options.kind,
      message: options.message?.slice(0, 2000) ?? null,
      details: options.details,
      fileId: options.fileId ?? null,
      actor: options.actor.label.slice(0, 200),
      createdAt: options.now ?? new Date(),
    },
  });
}
