import type { Db, Tx } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";
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

/** Locks the visit's row: it serializes the creation of claims for one visit (one live claim per coverage). False when it is not the clinic's. */
export async function lockVisit(tx: Tx, options: { organizationId: string; visitId: string }): Promise<boolean> {
  const locked = await sqlOf(tx).query<{ id: string }>(
    sql`SELECT id FROM visits WHERE id = ${options.visitId}::uuid AND organization_id = ${options.organizationId}::uuid FOR UPDATE`,
  );
  return locked.length > 0;
}

/** A claim (not closed) that already bills the visit to the coverage; call it under the visit's lock. */
export function findLiveClaim(tx: Tx, options: { organizationId: string; visitId: string; coverageId: string }) {
  return tx.claim.findFirst({
    where: { organizationId: options.organizationId, visitId: options.visitId, coverageId: options.coverageId, status: { not: "closed" } },
    select: { id: true, number: true, status: true },
  });
}

/** What a new claim bills, copied from a visit or from the claim to the payer before it. */
export type ClaimContent = {
  patientId: string;
  visitId: string;
  placeOfService: string;
  renderingProviderId: string | null;
  diagnoses: string[];
  lines: Omit<Prisma.ClaimLineCreateManyInput, "id" | "organizationId" | "claimId">[];
};

/**
 * Writes a draft claim to the coverage's payer with its lines: the number from the "claim" counter
 * (gapless), the total from the lines, its "created" event with `message`, and the audit. The caller
 * holds the visit's lock and has checked the coverage and that no live claim bills it already.
 */
export async function insertDraftClaim(
  tx: Tx,
  options: {
    organizationId: string;
    actor: AuditActor;
    coverage: { id: string; payerId: string };
    content: ClaimContent;
    /** The claim to the payer before this one, whose adjudication this one carries (2320/2430). */
    priorClaimId?: string;
    message: string;
    now: Date;
  },
): Promise<string> {
  const { organizationId, actor, coverage, content, now } = options;
  const number = await nextCounterValue(tx, { organizationId, counter: "claim" });
  const claim = await tx.claim.create({
    data: {
      organizationId,
      number,
      patientId: content.patientId,
      visitId: content.visitId,
      coverageId: coverage.id,
      payerId: coverage.payerId,
      placeOfService: content.placeOfService,
      renderingProviderId: content.renderingProviderId,
      diagnoses: content.diagnoses,
      totalCharge: content.lines.reduce((sum, line) => sum + line.chargeAmount, 0),
      priorClaimId: options.priorClaimId ?? null,
      createdAt: now,
    },
  });
  await tx.claimLine.createMany({ data: content.lines.map((line) => ({ ...line, organizationId, claimId: claim.id })) });
  await recordClaimEvent(tx, { organizationId, claimId: claim.id, status: "draft", kind: "created", actor, message: options.message, now });
  await recordAuditEvent(tx, {
    organizationId,
    actor,
    action: "claim.created",
    target: { type: "claim", id: claim.id },
    after: {
      number: formatClaimNumber(number),
      visitId: content.visitId,
      coverageId: coverage.id,
      totalCharge: claim.totalCharge,
      ...(options.priorClaimId ? { priorClaimId: options.priorClaimId } : {}),
    },
  });
  return claim.id;
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
    if (!(await lockVisit(tx, { organizationId, visitId: options.visitId }))) throw new AppError("NOT_FOUND", "That visit does not exist.");
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
    const live = await findLiveClaim(tx, { organizationId, visitId: visit.id, coverageId: coverage.id });
    if (live) {
      throw new AppError(
        "CONFLICT",
        `Claim ${formatClaimNumber(live.number)} (${CLAIM_STATUS_LABELS[live.status].toLowerCase()}) already bills this visit to ${coverage.payer.name}. Correct or close it instead.`,
      );
    }
    const lineProviders = visit.charges.map((charge) => charge.renderingProviderId ?? visit.renderingProviderId);
    const renderingProviderId = visit.renderingProviderId ?? mostNamedProvider(lineProviders);
    return insertDraftClaim(tx, {
      organizationId,
      actor,
      coverage,
      content: {
        patientId: visit.patientId,
        visitId: visit.id,
        placeOfService: visit.placeOfService,
        renderingProviderId,
        diagnoses: visit.diagnoses,
        lines: visit.charges.map((charge, index) => ({
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
          renderingProviderId: lineProviders[index] !== renderingProviderId ? (lineProviders[index] ?? null) : null,
          diagnosisPointers: charge.diagnosisPointers,
        })),
      },
      message: `Created from the visit of ${serviceDate} for ${coverage.payer.name}.`,
      now,
    });
  });
  return getClaimOrThrow(db, { organizationId, claimId, now });
}
