import { z } from "zod";
import type { Db, Tx } from "@/lib/db/client";
import { inTransaction } from "@/lib/db/in-transaction";
import type { Coverage } from "@/lib/db/generated/client";
import { recordAuditEvent, type AuditActor } from "@/lib/audit/record-audit-event";
import { AppError, type FieldErrors } from "@/lib/errors";
import { fromIsoDate, todayIn, toIsoDate } from "@/lib/invoices/dates";
import { ZDateOfBirth } from "@/lib/patients/patients.types";
import { isCalendarDate, ZCalendarDate } from "@/lib/validation/fields";
import { zX12Text } from "./identifier-schemas";
import type { CoveragePriority, CoverageRevisionView, CoverageView } from "./insurance.types";
import { zPostalAddressInput } from "./postal-address-input";
import { COVERAGE_PRIORITY_LABELS, COVERAGE_RELATIONSHIP_CODES, type CoverageRelationshipCode } from "./insurance-codes";
import { appendCoverageRevision, findCoverageRowOrThrow, loadCoverageView, loadCoverageViews, lockCoverage, lockPatientForCoverages } from "./coverage-records";

export { COVERAGE_PRIORITY_LABELS, COVERAGE_RELATIONSHIP_CODES, type CoverageRelationshipCode };

const RELATIONSHIP_CODES = Object.keys(COVERAGE_RELATIONSHIP_CODES) as [CoverageRelationshipCode, ...CoverageRelationshipCode[]];

const zOptionalX12Text = (maxLength: number) =>
  z
    .union([z.literal("").transform(() => null), zX12Text(maxLength)])
    .nullable()
    .optional();

/** The insured person when it is not the patient: name, birth date (required), sex and address when known. */
export const ZSubscriberInput = z.strictObject({
  firstName: zX12Text(35),
  lastName: zX12Text(60),
  middleName: zOptionalX12Text(25),
  birthDate: z.string({ error: "Enter the subscriber's birth date." }).pipe(ZDateOfBirth),
  sex: z.enum(["F", "M", "U"], { error: "Choose F, M or U (unknown)." }).nullable().optional(),
  address: zPostalAddressInput().nullable().optional(),
});
export type TSubscriberInput = z.input<typeof ZSubscriberInput>;

/** A coverage's first or last day: a real calendar date within reason (PostgreSQL has no year 0). */
const ZCoverageDate = ZCalendarDate.refine(
  (value) => !isCalendarDate(value) || (value >= "1900-01-01" && value <= "2199-12-31"),
  "Enter a date between 1900 and 2199.",
);

/** The coverage fields without their defaults (PATCH bodies make each optional). */
export const ZCoverageFields = z.strictObject({
  payerId: z.uuid({ error: "Choose a payer." }),
  priority: z
    .number({ error: "Choose primary (1), secondary (2) or tertiary (3)." })
    .refine((value) => value === 1 || value === 2 || value === 3, "Choose primary (1), secondary (2) or tertiary (3).")
    .transform((value) => value as CoveragePriority),
  memberId: zX12Text(80),
  groupNumber: zOptionalX12Text(50),
  groupName: zOptionalX12Text(60),
  relationshipCode: z.enum(RELATIONSHIP_CODES, { error: "Choose how the patient relates to the subscriber (18 self, 01 spouse, 19 child, …)." }),
  subscriber: ZSubscriberInput.nullable().optional(),
  effectiveFrom: ZCoverageDate,
  effectiveTo: z
    .union([z.literal("").transform(() => null), ZCoverageDate])
    .nullable()
    .optional(),
  /** CLM07. */
  acceptsAssignment: z.enum(["A", "B", "C"], { error: "Choose A (accepts assignment), B (lab services only) or C (does not)." }),
  /** CLM08. */
  benefitsAssigned: z.enum(["Y", "N", "W"], { error: "Choose Y (benefits assigned to the clinic), N (not) or W (not applicable)." }),
});

/**
 * A coverage as staff enter it. `payerId` is the Payer record's id (not the clearinghouse's payer
 * id). With relationship 18 (self, the default) the patient is the subscriber and `subscriber` is
 * left out; with any other code it is required. Assignment defaults: A and Y.
 */
export const ZCoverageInput = ZCoverageFields.extend({
  relationshipCode: ZCoverageFields.shape.relationshipCode.default("18"),
  acceptsAssignment: ZCoverageFields.shape.acceptsAssignment.default("A"),
  benefitsAssigned: ZCoverageFields.shape.benefitsAssigned.default("Y"),
}).superRefine((input, context) => {
  if (input.relationshipCode === "18" && input.subscriber) {
    context.addIssue({ code: "custom", path: ["subscriber"], message: "Leave the subscriber out when the patient is the subscriber (relationship 18, self)." });
  }
  if (input.relationshipCode !== "18" && !input.subscriber) {
    context.addIssue({ code: "custom", path: ["subscriber"], message: "Enter the subscriber (name and birth date): the patient is not the insured person." });
  }
  if (input.effectiveTo && isCalendarDate(input.effectiveTo) && isCalendarDate(input.effectiveFrom) && input.effectiveTo < input.effectiveFrom) {
    context.addIssue({ code: "custom", path: ["effectiveTo"], message: "The end date cannot be before the start date." });
  }
});
export type TCoverageInput = z.input<typeof ZCoverageInput>;
type CoverageInput = z.output<typeof ZCoverageInput>;

type Options = { organizationId: string; actor: AuditActor };

function coverageData(input: CoverageInput) {
  const subscriber = input.relationshipCode === "18" ? null : (input.subscriber ?? null);
  return {
    payerId: input.payerId,
    priority: input.priority,
    memberId: input.memberId,
    groupNumber: input.groupNumber ?? null,
    groupName: input.groupName ?? null,
    relationshipCode: input.relationshipCode,
    subscriberFirstName: subscriber?.firstName ?? null,
    subscriberLastName: subscriber?.lastName ?? null,
    subscriberMiddleName: subscriber?.middleName ?? null,
    subscriberBirthDate: subscriber ? fromIsoDate(subscriber.birthDate) : null,
    subscriberSex: subscriber?.sex ?? null,
    subscriberAddressLine1: subscriber?.address?.line1 ?? null,
    subscriberAddressLine2: subscriber?.address?.line2 ?? null,
    subscriberCity: subscriber?.address?.city ?? null,
    subscriberState: subscriber?.address?.state ?? null,
    subscriberPostalCode: subscriber?.address?.postalCode ?? null,
    effectiveFrom: fromIsoDate(input.effectiveFrom),
    effectiveTo: input.effectiveTo ? fromIsoDate(input.effectiveTo) : null,
    acceptsAssignment: input.acceptsAssignment,
    benefitsAssigned: input.benefitsAssigned,
  };
}

function describeDates(from: Date, to: Date | null): string {
  return to ? `${toIsoDate(from)} to ${toIsoDate(to)}` : `from ${toIsoDate(from)}`;
}

/**
 * The checks a new or changed coverage passes, run under the patient's lock: the payer is one of
 * the clinic's (not archived, unless the coverage already named it), and no other coverage of the
 * patient with the same priority covers any of the same days. Every problem at once.
 */
async function assertCoverageFits(
  tx: Tx,
  options: { organizationId: string; patientId: string; input: CoverageInput; current: Coverage | null },
): Promise<{ name: string; payerId: string }> {
  const { input, current } = options;
  const fields: FieldErrors = {};
  const payer = await tx.payer.findFirst({ where: { id: input.payerId, organizationId: options.organizationId } });
  if (!payer) fields.payerId = ["Choose one of the clinic's payers."];
  else if (payer.archivedAt && current?.payerId !== payer.id) fields.payerId = [`${payer.name} is archived and takes no new coverages.`];

  const from = fromIsoDate(input.effectiveFrom);
  const to = input.effectiveTo ? fromIsoDate(input.effectiveTo) : null;
  const overlapping = await tx.coverage.findFirst({
    where: {
      organizationId: options.organizationId,
      patientId: options.patientId,
      priority: input.priority,
      archivedAt: null,
      ...(current ? { id: { not: current.id } } : {}),
      ...(to ? { effectiveFrom: { lte: to } } : {}),
      OR: [{ effectiveTo: null }, { effectiveTo: { gte: from } }],
    },
    include: { payer: { select: { name: true } } },
    orderBy: { effectiveFrom: "asc" },
  });
  if (overlapping) {
    const order = COVERAGE_PRIORITY_LABELS[input.priority].toLowerCase();
    fields.priority = [
      `Another ${order} coverage (${overlapping.payer.name}, ${describeDates(overlapping.effectiveFrom, overlapping.effectiveTo)}) is in force on these dates.`,
    ];
  }
  if (Object.keys(fields).length > 0 || !payer) {
    throw new AppError("VALIDATION_FAILED", "This coverage cannot be saved as entered.", { fields });
  }
  return { name: payer.name, payerId: payer.payerId };
}

/**
 * Adds a coverage to a patient. Under the patient's row lock: the payer is the clinic's and not
 * archived, and no coverage of the same priority overlaps its dates. Writes version 1 and its
 * revision ("created") and the audit event in one transaction.
 */
export async function createCoverage(db: Db | Tx, options: Options & { patientId: string; input: TCoverageInput }): Promise<CoverageView> {
  const input = ZCoverageInput.parse(options.input);
  return inTransaction(db, async (tx) => {
    await lockPatientForCoverages(tx, { organizationId: options.organizationId, patientId: options.patientId });
    const payer = await assertCoverageFits(tx, { organizationId: options.organizationId, patientId: options.patientId, input, current: null });
    const coverage = await tx.coverage.create({
      data: { organizationId: options.organizationId, patientId: options.patientId, version: 1, ...coverageData(input) },
    });
    await appendCoverageRevision(tx, { coverage, payer, change: "created", actor: options.actor });
    await recordAuditEvent(tx, {
      organizationId: options.organizationId,
      actor: options.actor,
      action: "coverage.created",
      target: { type: "coverage", id: coverage.id },
      after: { patientId: coverage.patientId, payerId: coverage.payerId, priority: coverage.priority },
    });
    return loadCoverageView(tx, { organizationId: options.organizationId, coverageId: coverage.id });
  });
}

/**
 * Replaces a coverage's fields (the whole input, as on create), under the patient's row lock and
 * the same rules. The version goes up by one and a revision keeps the new fields: "ended" when
 * this change gives an open coverage its end date, else "updated". An archived coverage cannot be
 * changed (409). Benefits are changed by saveCoverageBenefits.
 */
export async function updateCoverage(db: Db | Tx, options: Options & { coverageId: string; input: TCoverageInput }): Promise<CoverageView> {
  const input = ZCoverageInput.parse(options.input);
  return inTransaction(db, async (tx) => {
    const before = await lockCoverage(tx, { organizationId: options.organizationId, coverageId: options.coverageId });
    if (before.archivedAt) throw new AppError("CONFLICT", "This coverage is archived and can no longer be changed.");
    const payer = await assertCoverageFits(tx, { organizationId: options.organizationId, patientId: before.patientId, input, current: before });
    const data = coverageData(input);
    const changedFields = (Object.keys(data) as (keyof typeof data)[]).filter((key) => {
      const previous = before[key];
      const next = data[key];
      return (previous instanceof Date ? previous.getTime() : previous) !== (next instanceof Date ? next.getTime() : next);
    });
    if (changedFields.length === 0) return loadCoverageView(tx, { organizationId: options.organizationId, coverageId: before.id });
    const coverage = await tx.coverage.update({ where: { id: before.id }, data: { ...data, version: before.version + 1 } });
    const ended = before.effectiveTo === null && coverage.effectiveTo !== null;
    await appendCoverageRevision(tx, { coverage, payer, change: ended ? "ended" : "updated", actor: options.actor });
    await recordAuditEvent(tx, {
      organizationId: options.organizationId,
      actor: options.actor,
      action: ended ? "coverage.ended" : "coverage.updated",
      target: { type: "coverage", id: coverage.id },
      after: { changedFields, version: coverage.version },
    });
    return loadCoverageView(tx, { organizationId: options.organizationId, coverageId: coverage.id });
  });
}

/**
 * Archives a coverage entered by mistake or no longer wanted: it stays on past claims and in the
 * history, leaves the patient's list and no longer blocks another coverage's dates. Archiving
 * twice changes nothing.
 */
export async function archiveCoverage(db: Db | Tx, options: Options & { coverageId: string }): Promise<CoverageView> {
  return inTransaction(db, async (tx) => {
    const before = await lockCoverage(tx, { organizationId: options.organizationId, coverageId: options.coverageId });
    if (before.archivedAt) return loadCoverageView(tx, { organizationId: options.organizationId, coverageId: before.id });
    const coverage = await tx.coverage.update({ where: { id: before.id }, data: { archivedAt: new Date(), version: before.version + 1 } });
    const payer = await tx.payer.findUniqueOrThrow({ where: { id: coverage.payerId }, select: { name: true, payerId: true } });
    await appendCoverageRevision(tx, { coverage, payer, change: "archived", actor: options.actor });
    await recordAuditEvent(tx, {
      organizationId: options.organizationId,
      actor: options.actor,
      action: "coverage.archived",
      target: { type: "coverage", id: coverage.id },
      after: { version: coverage.version },
    });
    return loadCoverageView(tx, { organizationId: options.organizationId, coverageId: coverage.id });
  });
}

/** One coverage of the organization (archived ones too); 404 for another organization's. */
export async function getCoverageOrThrow(db: Db | Tx, options: { organizationId: string; coverageId: string }): Promise<CoverageView> {
  return loadCoverageView(db, options);
}

function listRank(view: CoverageView, today: string): number {
  if (view.archivedAt) return 3;
  if (view.inForce) return 0;
  return view.effectiveFrom > today ? 1 : 2;
}

/**
 * A patient's coverages: those in force today first (primary, secondary, tertiary), then those
 * starting later (soonest first), then ended ones (latest end first); archived ones last, only
 * when asked. 404 for another organization's patient.
 */
export async function listPatientCoverages(
  db: Db | Tx,
  options: { organizationId: string; patientId: string; includeArchived?: boolean },
): Promise<CoverageView[]> {
  const patient = await db.patient.findFirst({ where: { id: options.patientId, organizationId: options.organizationId }, select: { id: true } });
  if (!patient) throw new AppError("NOT_FOUND", "That patient does not exist.");
  const views = await loadCoverageViews(db, {
    organizationId: options.organizationId,
    where: { patientId: patient.id, ...(options.includeArchived ? {} : { archivedAt: null }) },
  });
  const organization = await db.organization.findUniqueOrThrow({ where: { id: options.organizationId }, select: { timezone: true } });
  const today = todayIn(organization.timezone);
  return views.sort((a, b) => {
    const rank = listRank(a, today) - listRank(b, today);
    if (rank !== 0) return rank;
    if (listRank(a, today) === 0) return a.priority - b.priority;
    if (listRank(a, today) === 1) return a.effectiveFrom.localeCompare(b.effectiveFrom);
    return (b.effectiveTo ?? "").localeCompare(a.effectiveTo ?? "");
  });
}

/** The coverage's versions, newest first, each with what changed it, who, and the fields after it. 404 for another organization's. */
export async function listCoverageRevisions(db: Db | Tx, options: { organizationId: string; coverageId: string }): Promise<CoverageRevisionView[]> {
  const coverage = await findCoverageRowOrThrow(db, options);
  const revisions = await db.coverageRevision.findMany({
    where: { coverageId: coverage.id, organizationId: options.organizationId },
    orderBy: { version: "desc" },
  });
  return revisions.map((revision) => ({
    version: revision.version,
    change: revision.change,
    actor: revision.actor,
    createdAt: revision.createdAt.toISOString(),
    snapshot: (revision.snapshot ?? {}) as Record<string, unknown>,
  }));
}

/**
 * The patient's coverage of this priority in force on a clinic day ("YYYY-MM-DD"), or null. There
 * is at most one (createCoverage and updateCoverage keep the dates of one priority apart).
 */
export async function findCoverageInForce(
  db: Db | Tx,
  options: { organizationId: string; patientId: string; priority: CoveragePriority; on: string },
): Promise<CoverageView | null> {
  if (!isCalendarDate(options.on)) throw new Error(`findCoverageInForce: "${options.on}" is not a YYYY-MM-DD date`);
  const day = fromIsoDate(options.on);
  const coverage = await db.coverage.findFirst({
    where: {
      organizationId: options.organizationId,
      patientId: options.patientId,
      priority: options.priority,
      archivedAt: null,
      effectiveFrom: { lte: day },
      OR: [{ effectiveTo: null }, { effectiveTo: { gte: day } }],
    },
    select: { id: true },
  });
  return coverage ? loadCoverageView(db, { organizationId: options.organizationId, coverageId: coverage.id }) : null;
}

/** A coverage's fields as an input again (for edits that change some fields: PATCH, the edit form). */
export function coverageInputOf(view: CoverageView): z.output<typeof ZCoverageInput> {
  return {
    payerId: view.payer.id,
    priority: view.priority,
    memberId: view.memberId,
    groupNumber: view.groupNumber,
    groupName: view.groupName,
    relationshipCode: view.relationshipCode as CoverageRelationshipCode,
    subscriber: view.subscriber && {
      firstName: view.subscriber.firstName,
      lastName: view.subscriber.lastName,
      middleName: view.subscriber.middleName,
      birthDate: view.subscriber.birthDate ?? "",
      sex: view.subscriber.sex,
      address: view.subscriber.address,
    },
    effectiveFrom: view.effectiveFrom,
    effectiveTo: view.effectiveTo,
    acceptsAssignment: view.acceptsAssignment,
    benefitsAssigned: view.benefitsAssigned,
  };
}
