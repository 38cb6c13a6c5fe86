import type { Db, Tx } from "@/lib/db/client";
import { recordAuditEvent, type AuditActor } from "@/lib/audit/record-audit-event";
import { sql, sqlOf } from "@/lib/db/sql";
import { AppError } from "@/lib/errors";
import { toIsoDate } from "@/lib/invoices/dates";
import { formatClaimNumber } from "./claim-number";
import type { ClaimView } from "./claims.types";
import { nextCounterValue } from "@/lib/db/locks";
import { inTransaction } from "@/lib/db/in-transaction";
import { getClaimOrThrow } from "./list-claims";
import { CLAIM_STATUS_LABELS, recordClaimEvent } from "./transition-claim";

const invalid = (field: string, message: string) => new AppError("VALIDATION_FAILED", message, { fields: { [field]: [message] } });

/** The rendering provider most lines name (ties: the earliest line's), null when none names one. */
function mostNamedProvider(providers: readonly (string | null)[]): string | null {
  const counts = new Map<string, number>();
  for (const id of providers) if (id) counts.set(id, (counts.get(id) ?? 0) + 1);
  let best: string | null = null;
  // Map keeps first-seen order, so with a strict > the earliest line's provider wins a tie.
  for (const [id, count] of counts) if (best === null || count > counts.get(best)!) best = id;
  return best;
}

/**
 * Creates a draft claim for a visit: to the coverage given, or the patient's primary coverage in
 * force on the service date. Copies the visit's diagnoses and lines; the number comes from the
 * organization's "claim" counter (gapless). The claim's rendering provider (2310B) is the visit's,
 * else the one most lines name; a line rendered by someone else keeps its own (2420A). Refused: no
 * coverage in force, a line after the coverage ended, a live (not closed) claim for the same visit
 * and coverage already.
 */
export async function createClaimFromVisit(
  db: Db | Tx,
  options: { organizationId: string; actor: AuditActor; visitId: string; coverageId?: string; now?: Date },
): Promise<ClaimView> {
  const { organizationId, actor } = options;
  const now = options.now ?? new Date();
  const claimId = await inTransaction(db, async (tx) => {
    // The visit's row lock serializes two creations for the same visit (one claim per coverage).
    const locked = await sqlOf(tx).query<{ id: string }>(
      sql`SELECT id FROM visits WHERE id = ${options.visitId}::uuid AND organization_id = ${organizationId}::uuid FOR UPDATE`,
    );
    if (locked.length === 0) throw new AppError("NOT_FOUND", "That visit does not exist.");
    const visit = await tx.visit.findUniqueOrThrow({
      where: { id: options.visitId },
      include: { charges: { orderBy: { position: "asc" } }, patient: { select: { id: true, archivedAt: true } } },
    });
    if (visit.patient.archivedAt) throw invalid("visitId", "The patient is archived and cannot be billed. Restore them first.");
    const serviceDate = toIsoDate(visit.serviceDate)!;
    const coverage = options.coverageId
      ? await tx.coverage.findFirst({ where: { id: options.coverageId, organizationId }, include: { payer: { select: { id: true, name: true } } } })
      : await tx.coverage.findFirst({
          where: {
            organizationId,
            patientId: visit.patientId,
            priority: 1,
            archivedAt: null,
            effectiveFrom: { lte: visit.serviceDate },
            OR: [{ effectiveTo: null }, { effectiveTo: { gte: visit.serviceDate } }],
          },
          include: { payer: { select: { id: true, name: true } } },
          orderBy: { effectiveFrom: "desc" },
        });
    if (!coverage) {
      if (options.coverageId) throw invalid("coverageId", "Choose one of the patient's coverages.");
      throw invalid("coverageId", `The patient has no primary coverage in force on ${serviceDate}: add it on the patient's page, or choose a coverage.`);
    }
    if (coverage.patientId !== visit.patientId)
      throw invalid("coverageId", "That coverage belongs to another patient: choose one of this patient's coverages.");
    if (coverage.archivedAt) throw invalid("coverageId", "That coverage is archived: choose one in force on the service date.");
    if (toIsoDate(coverage.effectiveFrom)! > serviceDate) {
      throw invalid("coverageId", `The coverage with ${coverage.payer.name} starts on ${toIsoDate(coverage.effectiveFrom)}, after the visit (${serviceDate}).`);
    }
    for (const charge of visit.charges) {
      const last = toIsoDate(charge.serviceDateEnd ?? charge.serviceDate)!;
      if (coverage.effectiveTo && last > toIsoDate(coverage.effectiveTo)!) {
        throw invalid(
          "coverageId",
          `Line ${charge.position} is dated ${last}, after the coverage with ${coverage.payer.name} ended on ${toIsoDate(coverage.effectiveTo)}.`,
        );
      }
    }
    const live = await tx.claim.findFirst({
      where: { organizationId, visitId: visit.id, coverageId: coverage.id, status: { not: "closed" } },
      select: { number: true, status: true },
    });
    if (live) {
      throw new AppError(
        "CONFLICT",
        `Claim ${formatClaimNumber(live.number)} (${CLAIM_STATUS_LABELS[live.status].toLowerCase()}) already bills this visit to ${coverage.payer.name}. Correct or close it instead.`,
      );
    }
    const lineProviders = visit.charges.map((charge) => charge.renderingProviderId ?? visit.renderingProviderId);
    const renderingProviderId = visit.renderingProviderId ?? mostNamedProvider(lineProviders);
    const number = await nextCounterValue(tx, { organizationId, counter: "claim" });
    const claim = await tx.claim.create({
      data: {
        organizationId,
        number,
        patientId: visit.patientId,
        visitId: visit.id,
        coverageId: coverage.id,
        payerId: coverage.payerId,
        placeOfService: visit.placeOfService,
        renderingProviderId,
        diagnoses: visit.diagnoses,
        totalCharge: visit.charges.reduce((sum, charge) => sum + charge.chargeAmount, 0),
        createdAt: now,
      },
    });
    await tx.claimLine.createMany({
      data: visit.charges.map((charge, index) => ({
        organizationId,
        claimId: claim.id,
        visitChargeId: charge.id,
        position: charge.position,
        procedureCode: charge.procedureCode,
        modifiers: charge.modifiers,
        description: charge.description,
        units: charge.units,
        chargeAmount: charge.chargeAmount,
        serviceDate: charge.serviceDate,
        serviceDateEnd: charge.serviceDateEnd,
        placeOfService: charge.placeOfService,
        // Only a line rendered by someone else names its provider (2420A); the others are the claim's.
        renderingProviderId: lineProviders[index] !== renderingProviderId ? lineProviders[index] : null,
        diagnosisPointers: charge.diagnosisPointers,
      })),
    });
    await recordClaimEvent(tx, {
      organizationId,
      claimId: claim.id,
      status: "draft",
      kind: "created",
      actor,
      message: `Created from the visit of ${serviceDate} for ${coverage.payer.name}.`,
      now,
    });
    await recordAuditEvent(tx, {
      organizationId,
      actor,
      action: "claim.created",
      target: { type: "claim", id: claim.id },
      after: { number: formatClaimNumber(number), visitId: visit.id, coverageId: coverage.id, totalCharge: claim.totalCharge },
    });
    return claim.id;
  });
  return getClaimOrThrow(db, { organizationId, claimId, now });
}
