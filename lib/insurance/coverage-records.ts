import type { Db, Tx } from "@/lib/db/client";
import type { Coverage, EligibilityCheck, Payer } from "@/lib/db/generated/client";
import type { InputJsonValue } from "@/lib/db/generated/internal/prismaNamespace";
import type { AuditActor } from "@/lib/audit/record-audit-event";
import { sql, sqlOf } from "@/lib/db/sql";
import { AppError } from "@/lib/errors";
import { todayIn, toIsoDate } from "@/lib/invoices/dates";
import { toEligibilityCheckView } from "./eligibility-check-view";
import { COVERAGE_PRIORITY_LABELS, COVERAGE_RELATIONSHIP_CODES, type CoverageRelationshipCode } from "./insurance-codes";
import type { CopayView, CoveragePriority, CoverageView, SubscriberView } from "./insurance.types";
import { toPostalAddressView } from "./postal-address-input";

/**
 * What coverages.ts and coverage-benefits.ts share: the patient lock every coverage change takes,
 * the revision each change appends, and the view. Not imported from elsewhere.
 */

/**
 * Serializes every change to one patient's coverages (the no-overlap rule reads, then writes):
 * FOR NO KEY UPDATE on the patient row, which plain reads and the foreign-key checks of new
 * invoices, payments and visits (FOR KEY SHARE) do not wait for. 404 for another clinic's patient.
 */
export async function lockPatientForCoverages(tx: Tx, options: { organizationId: string; patientId: string }): Promise<void> {
  const rows = await sqlOf(tx).query<{ id: string }>(
    sql`SELECT id FROM patients WHERE id = ${options.patientId}::uuid AND organization_id = ${options.organizationId}::uuid FOR NO KEY UPDATE`,
  );
  if (rows.length === 0) throw new AppError("NOT_FOUND", "That patient does not exist.");
}

/** A coverage of the organization, or 404; without a lock. */
export async function findCoverageRowOrThrow(db: Db | Tx, options: { organizationId: string; coverageId: string }): Promise<Coverage> {
  const coverage = await db.coverage.findFirst({ where: { id: options.coverageId, organizationId: options.organizationId } });
  if (!coverage) throw new AppError("NOT_FOUND", "That coverage does not exist.");
  return coverage;
}

/**
 * Locks the coverage's patient (lockPatientForCoverages), then reads the coverage as it is now:
 * every change to a coverage starts here.
 */
export async function lockCoverage(tx: Tx, options: { organizationId: string; coverageId: string }): Promise<Coverage> {
  const unlocked = await findCoverageRowOrThrow(tx, options);
  await lockPatientForCoverages(tx, { organizationId: options.organizationId, patientId: unlocked.patientId });
  return findCoverageRowOrThrow(tx, options);
}

/** The coverage's fields as a revision keeps them (dates as YYYY-MM-DD, money in minor units). */
export function coverageSnapshot(coverage: Coverage, payer: Pick<Payer, "name" | "payerId">): Record<string, InputJsonValue | null> {
  return {
    payerId: coverage.payerId,
    payerName: payer.name,
    payerIdentifier: payer.payerId,
    priority: coverage.priority,
    memberId: coverage.memberId,
    groupNumber: coverage.groupNumber,
    groupName: coverage.groupName,
    relationshipCode: coverage.relationshipCode,
    subscriber: subscriberOf(coverage),
    effectiveFrom: toIsoDate(coverage.effectiveFrom),
    effectiveTo: toIsoDate(coverage.effectiveTo),
    acceptsAssignment: coverage.acceptsAssignment,
    benefitsAssigned: coverage.benefitsAssigned,
    copays: coverage.copays as InputJsonValue,
    coinsuranceBasisPoints: coverage.coinsuranceBasisPoints,
    deductibleIndividual: coverage.deductibleIndividual,
    deductibleIndividualMet: coverage.deductibleIndividualMet,
    deductibleFamily: coverage.deductibleFamily,
    deductibleFamilyMet: coverage.deductibleFamilyMet,
    outOfPocketMaxIndividual: coverage.outOfPocketMaxIndividual,
    outOfPocketMaxIndividualMet: coverage.outOfPocketMaxIndividualMet,
    outOfPocketMaxFamily: coverage.outOfPocketMaxFamily,
    outOfPocketMaxFamilyMet: coverage.outOfPocketMaxFamilyMet,
    benefitsVerifiedAt: coverage.benefitsVerifiedAt?.toISOString() ?? null,
    benefitsSource: coverage.benefitsSource,
    archivedAt: coverage.archivedAt?.toISOString() ?? null,
  };
}

/** Appends the revision of the coverage's current version (call after the write that set it). */
export async function appendCoverageRevision(
  tx: Tx,
  options: { coverage: Coverage; payer: Pick<Payer, "name" | "payerId">; change: CoverageChange; actor: AuditActor },
): Promise<void> {
  await tx.coverageRevision.create({
    data: {
      organizationId: options.coverage.organizationId,
      coverageId: options.coverage.id,
      version: options.coverage.version,
      change: options.change,
      snapshot: coverageSnapshot(options.coverage, options.payer),
      actor: options.actor.label.slice(0, 200),
    },
  });
}

export type CoverageChange = "created" | "updated" | "ended" | "benefits_verified" | "eligibility_applied" | "remittance_applied" | "archived";

function subscriberOf(coverage: Coverage): SubscriberView | null {
  if (coverage.relationshipCode === "18" || !coverage.subscriberFirstName || !coverage.subscriberLastName) return null;
  return {
    firstName: coverage.subscriberFirstName,
    lastName: coverage.subscriberLastName,
    middleName: coverage.subscriberMiddleName,
    birthDate: toIsoDate(coverage.subscriberBirthDate),
    sex: (coverage.subscriberSex as SubscriberView["sex"]) ?? null,
    address: toPostalAddressView({
      line1: coverage.subscriberAddressLine1,
      line2: coverage.subscriberAddressLine2,
      city: coverage.subscriberCity,
      state: coverage.subscriberState,
      postalCode: coverage.subscriberPostalCode,
    }),
  };
}

/** Whether the coverage covers the day (inclusive dates; archived coverages cover nothing). */
export function coversDay(coverage: Pick<Coverage, "effectiveFrom" | "effectiveTo" | "archivedAt">, day: string): boolean {
  if (coverage.archivedAt) return false;
  const from = toIsoDate(coverage.effectiveFrom) ?? "";
  const to = toIsoDate(coverage.effectiveTo);
  return from <= day && (to === null || day <= to);
}

type CoverageRow = Coverage & { payer: Payer; eligibilityChecks: EligibilityCheck[] };

function toCoverageView(row: CoverageRow, clinic: { today: string; currency: string }): CoverageView {
  const priority = row.priority as CoveragePriority;
  const relationshipCode = row.relationshipCode as CoverageRelationshipCode;
  const latest = row.eligibilityChecks[0];
  return {
    id: row.id,
    patientId: row.patientId,
    payer: { id: row.payer.id, name: row.payer.name, payerId: row.payer.payerId },
    priority,
    priorityLabel: COVERAGE_PRIORITY_LABELS[priority] ?? `Order ${row.priority}`,
    memberId: row.memberId,
    groupNumber: row.groupNumber,
    groupName: row.groupName,
    relationshipCode: row.relationshipCode,
    relationshipLabel: COVERAGE_RELATIONSHIP_CODES[relationshipCode] ?? row.relationshipCode,
    subscriber: subscriberOf(row),
    effectiveFrom: toIsoDate(row.effectiveFrom) ?? "",
    effectiveTo: toIsoDate(row.effectiveTo),
    inForce: coversDay(row, clinic.today),
    acceptsAssignment: row.acceptsAssignment as CoverageView["acceptsAssignment"],
    benefitsAssigned: row.benefitsAssigned as CoverageView["benefitsAssigned"],
    benefits: {
      copays: Array.isArray(row.copays) ? (row.copays as CopayView[]) : [],
      coinsuranceBasisPoints: row.coinsuranceBasisPoints,
      deductibleIndividual: row.deductibleIndividual,
      deductibleIndividualMet: row.deductibleIndividualMet,
      deductibleFamily: row.deductibleFamily,
      deductibleFamilyMet: row.deductibleFamilyMet,
      outOfPocketMaxIndividual: row.outOfPocketMaxIndividual,
      outOfPocketMaxIndividualMet: row.outOfPocketMaxIndividualMet,
      outOfPocketMaxFamily: row.outOfPocketMaxFamily,
      outOfPocketMaxFamilyMet: row.outOfPocketMaxFamilyMet,
      verifiedAt: row.benefitsVerifiedAt?.toISOString() ?? null,
      source: row.benefitsSource === "manual" || row.benefitsSource === "eligibility" ? row.benefitsSource : null,
    },
    currency: clinic.currency,
    archivedAt: row.archivedAt?.toISOString() ?? null,
    version: row.version,
    latestEligibility: latest ? toEligibilityCheckView(latest) : null,
  };
}

/** The coverages matching `where` (already scoped by the caller to one organization) as views, in the database's order. */
export async function loadCoverageViews(
  db: Db | Tx,
  options: { organizationId: string; where: { id?: string; patientId?: string; archivedAt?: null } },
): Promise<CoverageView[]> {
  const [organization, rows] = await Promise.all([
    db.organization.findUniqueOrThrow({ where: { id: options.organizationId }, select: { timezone: true, currency: true } }),
    db.coverage.findMany({
      where: { ...options.where, organizationId: options.organizationId },
      include: { payer: true, eligibilityChecks: { orderBy: { requestedAt: "desc" }, take: 1 } },
      orderBy: [{ priority: "asc" }, { effectiveFrom: "desc" }, { createdAt: "asc" }],
    }),
  ]);
  const clinic = { today: todayIn(organization.timezone), currency: organization.currency };
  return rows.map((row) => toCoverageView(row, clinic));
}

/** One coverage as a view (archived too); 404 for another organization's. */
export async function loadCoverageView(db: Db | Tx, options: { organizationId: string; coverageId: string }): Promise<CoverageView> {
  const [view] = await loadCoverageViews(db, { organizationId: options.organizationId, where: { id: options.coverageId } });
  if (!view) throw new AppError("NOT_FOUND", "That coverage does not exist.");
  return view;
}
