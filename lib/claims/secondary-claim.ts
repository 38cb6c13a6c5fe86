import type { Db, Tx } from "@/lib/db/client";
import { recordAuditEvent, type AuditActor } from "@/lib/audit/record-audit-event";
import { inTransaction } from "@/lib/db/in-transaction";
import { sql, sqlOf } from "@/lib/db/sql";
import { AppError } from "@/lib/errors";
import { toIsoDate } from "@/lib/invoices/dates";
import { formatMoney } from "@/lib/money/currency";
import { formatClaimNumber } from "./claim-number";
import type { ClaimView } from "./claims.types";
import { findLiveClaim, insertDraftClaim, lockVisit } from "./create-claim";
import { getClaimOrThrow } from "./list-claims";
import { COUNTED_CLAIM_PAYMENTS } from "./prior-adjudication";
import { CLAIM_STATUS_LABELS, recordClaimEvent } from "./transition-claim";

/*
 * After a payer's remittance is posted, the claim to the patient's next coverage (secondary after
 * the primary, tertiary after the secondary): a draft with the same visit, diagnoses, place of
 * service, rendering providers and lines, whose priorClaimId makes its 837P carry the prior payer's
 * adjudication (2320/2330/2430, validate-claim.ts and prior-adjudication.ts).
 */

/** Why no claim to the next payer was created. */
export type SecondaryClaimSkipReason =
  /** No claim payment of the prior claim is posted: the payer before has not answered. */
  | "prior_not_posted"
  /** The patient has no coverage of the next priority in force on the first date of service. */
  | "no_next_coverage"
  /** A claim already carries this claim's adjudication, or already bills the visit to that coverage. */
  | "already_exists";

export type SecondaryClaimResult =
  { claimId: string; reason: null; message: string } | { claimId: null; reason: SecondaryClaimSkipReason; message: string; existingClaimId?: string };

type SecondaryClaimOptions = {
  organizationId: string;
  /** The claim whose remittance was posted (the primary's, or the secondary's for a tertiary claim). */
  priorClaimId: string;
  actor: AuditActor;
  now: Date;
  /**
   * Only a live (not closed) claim after this one counts as already there: what staff ask for when
   * the one made before was closed. Posting leaves it false: any claim after it, closed or not, is
   * the one made for this remittance.
   */
  ignoreClosed?: boolean;
};

const ORDER = { 1: "primary", 2: "secondary", 3: "tertiary" } as const;
const orderOf = (priority: number) => ORDER[priority as 1 | 2 | 3] ?? `priority ${priority}`;

async function loadPrior(db: Db | Tx, options: { organizationId: string; priorClaimId: string }) {
  const prior = await db.claim.findFirst({
    where: { id: options.priorClaimId, organizationId: options.organizationId },
    include: {
      lines: { orderBy: { position: "asc" } },
      coverage: { include: { payer: { select: { name: true } } } },
      laterClaims: { select: { id: true, number: true, status: true }, orderBy: { number: "asc" } },
      organization: { select: { currency: true } },
      remittanceClaims: { where: COUNTED_CLAIM_PAYMENTS, select: { paidAmount: true } },
    },
  });
  if (!prior) throw new AppError("NOT_FOUND", "That claim does not exist.");
  return prior;
}
type Prior = Awaited<ReturnType<typeof loadPrior>>;

type Plan =
  | { ok: true; prior: Prior; coverage: { id: string; payerId: string; priority: number; payer: { name: string } }; firstServiceDate: string }
  | Extract<SecondaryClaimResult, { claimId: null }>;

/** Whether a claim to the next payer can be made after `prior`, and to which coverage (no lock, no write). */
async function planSecondaryClaim(db: Db | Tx, prior: Prior, options: { organizationId: string; ignoreClosed?: boolean }): Promise<Plan> {
  const number = formatClaimNumber(prior.number);
  const later = prior.laterClaims.find((claim) => !options.ignoreClosed || claim.status !== "closed");
  if (later) {
    return {
      claimId: null,
      reason: "already_exists",
      message: `Claim ${formatClaimNumber(later.number)} (${CLAIM_STATUS_LABELS[later.status].toLowerCase()}) already carries the adjudication of ${number} to the next payer.`,
      existingClaimId: later.id,
    };
  }
  const order = orderOf(prior.coverage.priority);
  if (prior.remittanceClaims.length === 0) {
    return {
      claimId: null,
      reason: "prior_not_posted",
      message: `The ${order} payer's remittance for ${number} (${prior.coverage.payer.name}) is not posted yet: the next claim must carry what it paid and adjusted.`,
    };
  }
  const firstServiceDate = prior.lines.reduce((first, line) => (line.serviceDate < first ? line.serviceDate : first), prior.lines[0]!.serviceDate);
  const nextOrder = orderOf(prior.coverage.priority + 1);
  const coverage = await db.coverage.findFirst({
    where: {
      organizationId: options.organizationId,
      patientId: prior.patientId,
      priority: prior.coverage.priority + 1,
      archivedAt: null,
      effectiveFrom: { lte: firstServiceDate },
      OR: [{ effectiveTo: null }, { effectiveTo: { gte: firstServiceDate } }],
    },
    include: { payer: { select: { name: true } } },
    orderBy: { effectiveFrom: "desc" },
  });
  if (!coverage) {
    return {
      claimId: null,
      reason: "no_next_coverage",
      message: `The patient has no ${nextOrder} coverage in force on ${toIsoDate(firstServiceDate)}, the first date of service of ${number}.`,
    };
  }
  return { ok: true, prior, coverage, firstServiceDate: toIsoDate(firstServiceDate)! };
}

/**
 * In the caller's transaction, after a claim payment of `priorClaimId` is posted: when the prior
 * claim has a posted claim payment (not a reversal), the patient has a coverage of the next
 * priority (the prior's + 1) in force on the claim's first date of service, and no claim carries
 * this claim's adjudication yet, creates a draft claim to that coverage's payer with the prior
 * claim's visit, diagnoses, place of service, rendering providers (the claim's and each line's)
 * and lines, `priorClaimId` set, and a "created" event saying it came from the remittance.
 * Otherwise returns null with the reason. Safe to call again: the second call finds the first
 * claim (the prior claim's row lock orders two calls). Locks the prior claim, then the visit.
 */
export async function createSecondaryClaim(tx: Tx, options: SecondaryClaimOptions): Promise<SecondaryClaimResult> {
  const { organizationId, actor, now } = options;
  const [locked] = await sqlOf(tx).query<{ id: string }>(
    sql`SELECT id FROM claims WHERE id = ${options.priorClaimId}::uuid AND organization_id = ${organizationId}::uuid FOR UPDATE`,
  );
  if (!locked) throw new AppError("NOT_FOUND", "That claim does not exist.");
  const prior = await loadPrior(tx, options);
  const plan = await planSecondaryClaim(tx, prior, options);
  if (!("ok" in plan)) return plan;
  const { coverage } = plan;
  await lockVisit(tx, { organizationId, visitId: prior.visitId });
  const live = await findLiveClaim(tx, { organizationId, visitId: prior.visitId, coverageId: coverage.id });
  if (live) {
    return {
      claimId: null,
      reason: "already_exists",
      message: `Claim ${formatClaimNumber(live.number)} (${CLAIM_STATUS_LABELS[live.status].toLowerCase()}) already bills this visit to ${coverage.payer.name}.`,
      existingClaimId: live.id,
    };
  }
  const priorNumber = formatClaimNumber(prior.number);
  const paid = formatMoney(
    prior.remittanceClaims.reduce((sum, payment) => sum + payment.paidAmount, 0),
    prior.organization.currency,
  );
  const order = orderOf(prior.coverage.priority);
  const nextOrder = orderOf(coverage.priority);
  const claimId = await insertDraftClaim(tx, {
    organizationId,
    actor,
    coverage,
    priorClaimId: prior.id,
    content: {
      patientId: prior.patientId,
      visitId: prior.visitId,
      placeOfService: prior.placeOfService,
      renderingProviderId: prior.renderingProviderId,
      diagnoses: prior.diagnoses,
      lines: prior.lines.map((line) => ({
        visitChargeId: line.visitChargeId,
        position: line.position,
        procedureCode: line.procedureCode,
        modifiers: line.modifiers,
        description: line.description,
        units: line.units,
        chargeAmount: line.chargeAmount,
        serviceDate: line.serviceDate,
        serviceDateEnd: line.serviceDateEnd,
        placeOfService: line.placeOfService,
        renderingProviderId: line.renderingProviderId,
        diagnosisPointers: line.diagnosisPointers,
      })),
    },
    message: `Created from the ${order} payer's remittance on ${priorNumber} (${prior.coverage.payer.name} paid ${paid}): the ${nextOrder} claim to ${coverage.payer.name}, carrying that adjudication.`,
    now,
  });
  const created = await tx.claim.findUniqueOrThrow({ where: { id: claimId }, select: { number: true } });
  const number = formatClaimNumber(created.number);
  await recordClaimEvent(tx, {
    organizationId,
    claimId: prior.id,
    status: prior.status,
    kind: "next_payer_claim_created",
    actor,
    message: `${number} bills the rest to ${coverage.payer.name} (${nextOrder}).`,
    details: { claimId },
    now,
  });
  return {
    claimId,
    reason: null,
    message: `${number} created for ${coverage.payer.name} (${nextOrder}) from the ${order} payer's remittance on ${priorNumber}.`,
  };
}

/**
 * Whether staff can create the next payer's claim after this one now (for a "Create secondary
 * claim" button): the same checks as createSecondaryClaim, reading only; a closed later claim does
 * not stand in the way (staff may make another).
 */
export async function checkSecondaryClaim(
  db: Db | Tx,
  options: { organizationId: string; claimId: string },
): Promise<{ ok: true; coverageId: string; payerName: string } | Extract<SecondaryClaimResult, { claimId: null }>> {
  const prior = await loadPrior(db, { organizationId: options.organizationId, priorClaimId: options.claimId });
  const plan = await planSecondaryClaim(db, prior, { organizationId: options.organizationId, ignoreClosed: true });
  return "ok" in plan ? { ok: true, coverageId: plan.coverage.id, payerName: plan.coverage.payer.name } : plan;
}

/**
 * The staff action "Create secondary claim" on a claim whose remittance is posted (the claim page's
 * button, POST /api/v1/claims/{id}/secondary-claim): its own transaction, the claim to the next
 * payer as a view, with an audit event `claim.secondary_claim_created` on the prior claim. Refused
 * in words: 404 for a claim not of this clinic; 422 when the patient has no coverage of the next
 * priority in force on the first date of service; 409 when the prior payer's remittance is not
 * posted yet or a live claim already carries it. A closed later claim does not stand in the way.
 */
export async function createSecondaryClaimOrThrow(
  db: Db | Tx,
  options: { organizationId: string; actor: AuditActor; claimId: string; now?: Date },
): Promise<ClaimView> {
  const { organizationId, actor } = options;
  const now = options.now ?? new Date();
  const result = await inTransaction(db, async (tx) => {
    const created = await createSecondaryClaim(tx, { organizationId, priorClaimId: options.claimId, actor, now, ignoreClosed: true });
    if (created.claimId !== null) {
      await recordAuditEvent(tx, {
        organizationId,
        actor,
        action: "claim.secondary_claim_created",
        target: { type: "claim", id: options.claimId },
        after: { claimId: created.claimId, message: created.message },
      });
    }
    return created;
  });
  if (result.claimId === null) throw new AppError(result.reason === "no_next_coverage" ? "VALIDATION_FAILED" : "CONFLICT", result.message);
  return getClaimOrThrow(db, { organizationId, claimId: result.claimId, now });
}
