import { z } from "zod";
import "@/lib/validation/fields";
import type { Db, Tx } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";
import { recordAuditEvent, type AuditActor } from "@/lib/audit/record-audit-event";
import { sql, sqlOf } from "@/lib/db/sql";
import { AppError, type FieldErrors } from "@/lib/errors";
import { fromIsoDate, toIsoDate, todayIn } from "@/lib/invoices/dates";
import { formatClaimNumber } from "./claim-number";
import { CLAIM_STATUS_LABELS } from "./transition-claim";
import { toVisitView, VISIT_INCLUDE } from "./claim-views";
import { inTransaction } from "@/lib/db/in-transaction";
import { ZIcd10Cm, ZModifiers, ZPlaceOfService, ZProcedureCode } from "@/lib/insurance/identifier-schemas";
import { zRecordId } from "@/lib/http/record-id";
import { ZCalendarDate, zMultilineText, zSingleLineText } from "@/lib/validation/fields";
import type { ClaimStatus, VisitView } from "./claims.types";

export const MAX_SERVICE_LINES = 50;
/** The most a visit's (and so a claim's) charges may add up to, in cents: what claims.total_charge (an integer column) holds. */
export const MAX_CLAIM_TOTAL = 2_147_483_647;
/** A refinement for a list of lines with `chargeAmount`: their sum fits a claim total. */
export const totalFitsClaim = (lines: readonly { chargeAmount: number }[]) => lines.reduce((sum, line) => sum + line.chargeAmount, 0) <= MAX_CLAIM_TOTAL;
export const TOTAL_TOO_LARGE = "The charges add up to more than 21,474,836.47, the most one claim can carry: split them across visits.";

export const ZVisitChargeInput = z.strictObject({
  procedureCode: ZProcedureCode,
  modifiers: ZModifiers.default([]),
  description: zSingleLineText().max(200, "Keep the description under 200 characters.").optional(),
  units: z
    .number()
    .positive("Units must be more than zero.")
    .refine((value) => Math.abs(value * 1000 - Math.round(value * 1000)) < 1e-6, "Units have at most 3 decimals.")
    .refine((value) => value < 10_000, "Units must be under 10,000."),
  /** Minor units. */
  chargeAmount: z.number().int("Enter the charge in cents (a whole number).").positive("A line's charge must be more than zero.").max(99_999_999),
  /** The visit's date when left out. */
  serviceDate: ZCalendarDate.optional(),
  serviceDateEnd: ZCalendarDate.optional(),
  placeOfService: ZPlaceOfService.optional(),
  renderingProviderId: zRecordId("Choose one of the clinic's rendering providers.").optional(),
  /** 1-based positions in the visit's diagnoses, 1 to 4, the first the primary for this line. */
  diagnosisPointers: z
    .array(z.number().int("A diagnosis pointer is a whole number from 1 to 12."))
    .min(1, "Point the line at 1 to 4 of the visit's diagnoses.")
    .max(4, "A line points at no more than 4 diagnoses."),
});

export const ZVisitInput = z.strictObject({
  serviceDate: ZCalendarDate,
  placeOfService: ZPlaceOfService.optional(),
  renderingProviderId: zRecordId("Choose one of the clinic's rendering providers.").optional(),
  /** ICD-10-CM codes, the dot optional; the first is the principal diagnosis. */
  diagnoses: z.array(ZIcd10Cm).min(1, "Enter at least one diagnosis (ICD-10-CM).").max(12, "A visit carries at most 12 diagnoses."),
  note: zMultilineText().max(1000, "Keep the note under 1,000 characters.").optional(),
  charges: z
    .array(ZVisitChargeInput)
    .min(1, "Enter at least one service line.")
    .max(MAX_SERVICE_LINES, `A visit has at most ${MAX_SERVICE_LINES} service lines; record the rest as another visit.`)
    .refine(totalFitsClaim, TOTAL_TOO_LARGE),
});
export type TVisitInput = z.input<typeof ZVisitInput>;

type ParsedVisit = z.output<typeof ZVisitInput>;
type ParsedLine = z.output<typeof ZVisitChargeInput>;

function addField(fields: FieldErrors, path: string, message: string) {
  (fields[path] ??= []).push(message);
}

/**
 * The rules a visit's or a claim's lines share beyond their format: no date after the clinic's
 * today, a range that ends after it starts, pointers to diagnoses that exist (and not twice),
 * no diagnosis twice. Problems go into `fields` under `linesKey.N.…`.
 */
export function checkLines(
  fields: FieldErrors,
  options: {
    diagnoses: string[];
    lines: Pick<ParsedLine, "serviceDate" | "serviceDateEnd" | "diagnosisPointers">[];
    linesKey: string;
    today: string;
    defaultDate?: string;
  },
) {
  const { diagnoses, lines, linesKey, today } = options;
  const seen = new Map<string, number>();
  diagnoses.forEach((code, index) => {
    const first = seen.get(code);
    if (first !== undefined) addField(fields, `diagnoses.${index}`, `Diagnosis ${code} is already diagnosis ${first + 1}.`);
    else seen.set(code, index);
  });
  lines.forEach((line, index) => {
    const label = `Line ${index + 1}`;
    const serviceDate = line.serviceDate ?? options.defaultDate;
    if (serviceDate && serviceDate > today)
      addField(fields, `${linesKey}.${index}.serviceDate`, `${label} is dated ${serviceDate}, in the future (today is ${today}).`);
    if (line.serviceDateEnd) {
      if (line.serviceDateEnd > today) addField(fields, `${linesKey}.${index}.serviceDateEnd`, `${label} ends on ${line.serviceDateEnd}, in the future.`);
      if (serviceDate && line.serviceDateEnd < serviceDate) addField(fields, `${linesKey}.${index}.serviceDateEnd`, `${label} ends before it starts.`);
    }
    line.diagnosisPointers.forEach((pointer, pointerIndex) => {
      if (pointer < 1 || pointer > diagnoses.length) {
        addField(
          fields,
          `${linesKey}.${index}.diagnosisPointers.${pointerIndex}`,
          `${label} points to diagnosis ${pointer}, but there ${diagnoses.length === 1 ? "is 1 diagnosis" : `are ${diagnoses.length} diagnoses`}.`,
        );
      }
    });
    if (new Set(line.diagnosisPointers).size !== line.diagnosisPointers.length)
      addField(fields, `${linesKey}.${index}.diagnosisPointers`, `${label} points to the same diagnosis twice.`);
  });
}

/** Ids among `ids` that are not the clinic's rendering providers taking new visits. */
export async function checkRenderingProviders(
  tx: Tx,
  options: { organizationId: string; ids: string[] },
): Promise<{ unknown: Set<string>; archived: Set<string> }> {
  const ids = [...new Set(options.ids)];
  const rows = ids.length
    ? await tx.renderingProvider.findMany({ where: { organizationId: options.organizationId, id: { in: ids } }, select: { id: true, archivedAt: true } })
    : [];
  const found = new Map(rows.map((row) => [row.id, row]));
  return {
    unknown: new Set(ids.filter((id) => !found.has(id))),
    archived: new Set(rows.filter((row) => row.archivedAt).map((row) => row.id)),
  };
}

async function checkVisit(tx: Tx, options: { organizationId: string; input: ParsedVisit; now: Date }): Promise<{ placeOfService: string }> {
  const { organizationId, input } = options;
  const organization = await tx.organization.findUniqueOrThrow({ where: { id: organizationId }, select: { timezone: true } });
  const today = todayIn(organization.timezone, options.now);
  const fields: FieldErrors = {};
  if (input.serviceDate > today) addField(fields, "serviceDate", `The visit is dated ${input.serviceDate}, in the future (today is ${today}).`);
  checkLines(fields, { diagnoses: input.diagnoses, lines: input.charges, linesKey: "charges", today: today, defaultDate: input.serviceDate });
  const providers = await checkRenderingProviders(tx, {
    organizationId,
    ids: [input.renderingProviderId, ...input.charges.map((charge) => charge.renderingProviderId)].filter((id): id is string => Boolean(id)),
  });
  const checkProvider = (path: string, id: string | undefined) => {
    if (!id) return;
    if (providers.unknown.has(id)) addField(fields, path, "Choose one of the clinic's rendering providers.");
    else if (providers.archived.has(id)) addField(fields, path, "This rendering provider is archived and takes no new visits.");
  };
  checkProvider("renderingProviderId", input.renderingProviderId);
  input.charges.forEach((charge, index) => checkProvider(`charges.${index}.renderingProviderId`, charge.renderingProviderId));
  if (Object.keys(fields).length > 0) throw new AppError("VALIDATION_FAILED", "The visit cannot be saved as entered.", { fields });
  const practice = await tx.practiceProfile.findUnique({ where: { organizationId }, select: { defaultPlaceOfService: true } });
  return { placeOfService: input.placeOfService ?? practice?.defaultPlaceOfService ?? "11" };
}

function chargeRows(options: { organizationId: string; visitId: string; input: ParsedVisit; placeOfService: string }) {
  return options.input.charges.map((charge, index) => ({
    organizationId: options.organizationId,
    visitId: options.visitId,
    position: index + 1,
    procedureCode: charge.procedureCode,
    modifiers: charge.modifiers,
    description: charge.description || null,
    units: charge.units,
    chargeAmount: charge.chargeAmount,
    serviceDate: fromIsoDate(charge.serviceDate ?? options.input.serviceDate),
    serviceDateEnd:
      charge.serviceDateEnd && charge.serviceDateEnd !== (charge.serviceDate ?? options.input.serviceDate) ? fromIsoDate(charge.serviceDateEnd) : null,
    placeOfService: charge.placeOfService && charge.placeOfService !== options.placeOfService ? charge.placeOfService : null,
    renderingProviderId: charge.renderingProviderId ?? null,
    diagnosisPointers: charge.diagnosisPointers,
  }));
}

const auditSnapshot = (input: ParsedVisit) => ({
  serviceDate: input.serviceDate,
  diagnoses: input.diagnoses,
  lines: input.charges.length,
  totalCharge: input.charges.reduce((sum, charge) => sum + charge.chargeAmount, 0),
});

/**
 * Records a visit's diagnoses and charges for a patient, all or nothing. Refused with the field
 * named: a service date after the clinic's today, a pointer to no diagnosis, more than 50 lines,
 * bad codes, another clinic's or an archived rendering provider, an archived patient.
 */
export async function recordVisit(
  db: Db | Tx,
  options: { organizationId: string; actor: AuditActor; patientId: string; input: TVisitInput; now?: Date },
): Promise<VisitView> {
  const { organizationId, actor } = options;
  const input = ZVisitInput.parse(options.input);
  const now = options.now ?? new Date();
  const visitId = await inTransaction(db, async (tx) => {
    const patient = await tx.patient.findFirst({ where: { id: options.patientId, organizationId }, select: { id: true, archivedAt: true } });
    if (!patient) throw new AppError("NOT_FOUND", "That patient does not exist.");
    if (patient.archivedAt)
      throw new AppError("VALIDATION_FAILED", "This patient is archived.", {
        fields: { patientId: ["This patient is archived. Restore them before recording a visit."] },
      });
    const { placeOfService } = await checkVisit(tx, { organizationId, input, now });
    const visit = await tx.visit.create({
      data: {
        organizationId,
        patientId: patient.id,
        serviceDate: fromIsoDate(input.serviceDate),
        placeOfService,
        renderingProviderId: input.renderingProviderId ?? null,
        diagnoses: input.diagnoses,
        note: input.note || null,
        createdBy: actor.label.slice(0, 200),
        createdAt: now,
      },
    });
    await tx.visitCharge.createMany({ data: chargeRows({ organizationId, visitId: visit.id, input, placeOfService }) });
    await recordAuditEvent(tx, {
      organizationId,
      actor,
      action: "visit.recorded",
      target: { type: "visit", id: visit.id },
      after: { patientId: patient.id, ...auditSnapshot(input) },
    });
    return visit.id;
  });
  return getVisitOrThrow(db, { organizationId, visitId });
}

/** Claims that hold a visit's charges as sent or on their way: the visit can no longer change. */
const EDITABLE_WITH: readonly ClaimStatus[] = ["draft", "closed"];

/** Replaces a visit's fields and charges; only while no claim other than a draft or closed one uses it. */
export async function updateVisit(
  db: Db | Tx,
  options: { organizationId: string; actor: AuditActor; visitId: string; input: TVisitInput; now?: Date },
): Promise<VisitView> {
  const { organizationId, actor, visitId } = options;
  const input = ZVisitInput.parse(options.input);
  const now = options.now ?? new Date();
  await inTransaction(db, async (tx) => {
    const locked = await sqlOf(tx).query<{ id: string }>(
      sql`SELECT id FROM visits WHERE id = ${visitId}::uuid AND organization_id = ${organizationId}::uuid FOR UPDATE`,
    );
    if (locked.length === 0) throw new AppError("NOT_FOUND", "That visit does not exist.");
    const before = await tx.visit.findUniqueOrThrow({ where: { id: visitId }, include: { charges: { select: { id: true } } } });
    const blocking = await tx.claim.findFirst({
      where: { visitId, organizationId, status: { notIn: [...EDITABLE_WITH] } },
      select: { number: true, status: true },
      orderBy: { number: "asc" },
    });
    if (blocking) {
      throw new AppError(
        "CONFLICT",
        `This visit is on claim ${formatClaimNumber(blocking.number)} (${CLAIM_STATUS_LABELS[blocking.status].toLowerCase()}): change the claim instead, or close it first.`,
      );
    }
    const { placeOfService } = await checkVisit(tx, { organizationId, input, now });
    await tx.visitCharge.deleteMany({ where: { visitId } });
    await tx.visit.update({
      where: { id: visitId },
      data: {
        serviceDate: fromIsoDate(input.serviceDate),
        placeOfService,
        renderingProviderId: input.renderingProviderId ?? null,
        diagnoses: input.diagnoses,
        note: input.note || null,
      },
    });
    await tx.visitCharge.createMany({ data: chargeRows({ organizationId, visitId, input, placeOfService }) });
    await recordAuditEvent(tx, {
      organizationId,
      actor,
      action: "visit.updated",
      target: { type: "visit", id: visitId },
      before: { serviceDate: toIsoDate(before.serviceDate), diagnoses: before.diagnoses, lines: before.charges.length },
      after: auditSnapshot(input),
    });
  });
  return getVisitOrThrow(db, { organizationId, visitId });
}

export async function getVisitOrThrow(db: Db | Tx, options: { organizationId: string; visitId: string }): Promise<VisitView> {
  const row = await db.visit.findFirst({ where: { id: options.visitId, organizationId: options.organizationId }, include: VISIT_INCLUDE });
  if (!row) throw new AppError("NOT_FOUND", "That visit does not exist.");
  return toVisitView(row);
}

/** A patient's visits, newest service date first. */
export async function listPatientVisits(db: Db | Tx, options: { organizationId: string; patientId: string }): Promise<VisitView[]> {
  const rows = await db.visit.findMany({
    where: { organizationId: options.organizationId, patientId: options.patientId },
    include: VISIT_INCLUDE,
    orderBy: [{ serviceDate: "desc" }, { createdAt: "desc" }, { id: "desc" }],
  });
  return rows.map(toVisitView);
}

/**
 * Visits with no claim other than closed ones (charges waiting for a claim), newest service date
 * first, in keyset pages (cursor: the last visit's id).
 */
export async function listVisitsPendingClaim(
  db: Db | Tx,
  options: { organizationId: string; cursor?: string; limit?: number },
): Promise<{ visits: VisitView[]; nextCursor: string | null }> {
  const limit = Math.min(Math.max(options.limit ?? 25, 1), 100);
  const where: Prisma.VisitWhereInput = {
    organizationId: options.organizationId,
    claims: { none: { status: { not: "closed" } } },
    patient: { archivedAt: null },
  };
  if (options.cursor) {
    const cursor = await db.visit.findFirst({ where: { id: options.cursor, organizationId: options.organizationId }, select: { id: true, serviceDate: true } });
    if (cursor) {
      where.OR = [{ serviceDate: { lt: cursor.serviceDate } }, { serviceDate: cursor.serviceDate, id: { lt: cursor.id } }];
    }
  }
  const rows = await db.visit.findMany({ where, include: VISIT_INCLUDE, orderBy: [{ serviceDate: "desc" }, { id: "desc" }], take: limit + 1 });
  const page = rows.slice(0, limit);
  return { visits: page.map(toVisitView), nextCursor: rows.length > limit ? page.at(-1)!.id : null };
}
