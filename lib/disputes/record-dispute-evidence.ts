import type { Db } from "@/lib/db/client";
import { recordAuditEvent, type AuditActor } from "@/lib/audit/record-audit-event";
import { AppError } from "@/lib/errors";
import { isClosed } from "./dispute-status";
import { ZRecordDisputeEvidenceInput, type TRecordDisputeEvidenceInput } from "./disputes.types";
import { lockDisputeOrThrow } from "./get-dispute-or-throw";

/**
 * Records, for the clinic's own file, the evidence staff submitted in Stripe's dashboard: a note
 * and the day it was submitted. Kept here only (it may describe the patient's care, so it is
 * never sent to Stripe); the audit event notes that it changed, not what it says.
 */
export async function recordDisputeEvidence(
  db: Db,
  options: { organizationId: string; disputeId: string; actor: AuditActor; input: TRecordDisputeEvidenceInput; now?: Date },
): Promise<{ disputeId: string; evidenceSubmittedAt: Date }> {
  const input = ZRecordDisputeEvidenceInput.parse(options.input);
  const now = options.now ?? new Date();
  const evidenceSubmittedAt = input.submittedOn ? new Date(`${input.submittedOn}T12:00:00Z`) : now;
  if (evidenceSubmittedAt.getTime() > now.getTime() + 86_400_000) {
    throw new AppError("VALIDATION_FAILED", "The submission date cannot be in the future.", { fields: { submittedOn: ["Use today or an earlier date."] } });
  }
  return db.$transaction(async (tx) => {
    const dispute = await lockDisputeOrThrow(tx, { id: options.disputeId, organizationId: options.organizationId });
    if (isClosed(dispute.status)) throw new AppError("CONFLICT", "This dispute is closed; evidence can no longer be recorded.");
    await tx.dispute.update({ where: { id: dispute.id }, data: { evidenceNote: input.note, evidenceSubmittedAt } });
    await recordAuditEvent(tx, {
      organizationId: options.organizationId,
      actor: options.actor,
      action: "dispute.evidence_recorded",
      target: { type: "dispute", id: dispute.id },
      before: { evidenceSubmittedAt: dispute.evidenceSubmittedAt?.toISOString() ?? null },
      after: { evidenceSubmittedAt: evidenceSubmittedAt.toISOString(), noteLength: input.note.length },
    });
    return { disputeId: dispute.id, evidenceSubmittedAt };
  });
}
