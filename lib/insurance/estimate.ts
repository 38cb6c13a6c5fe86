import { z } from "zod";
import type { Db, Tx } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { todayIn } from "@/lib/invoices/dates";
import { getVisitOrThrow, MAX_SERVICE_LINES } from "@/lib/claims/visits";
import { ZModifiers, ZProcedureCode } from "@/lib/insurance/identifier-schemas";
import { zRecordId } from "@/lib/http/record-id";
import { ZCalendarDate } from "@/lib/validation/fields";
import { findCoverageInForce } from "./coverages";
import { computeEstimate, type EstimatedLine, type EstimatePart } from "./estimate-arithmetic";
import { COPAY_VISIT_TYPES, type CopayVisitType } from "./insurance-codes";

const VISIT_TYPES = Object.keys(COPAY_VISIT_TYPES) as [CopayVisitType, ...CopayVisitType[]];

export const ZEstimateVisitType = z.enum(VISIT_TYPES, { error: `Choose the visit type (${VISIT_TYPES.join(", ")}).` });

export const ZEstimateInput = z.strictObject({
  patientId: zRecordId("Choose a patient."),
  serviceDate: ZCalendarDate,
  /** The co-pay's visit type; without it no co-pay applies (deductible and coinsurance only). */
  visitType: ZEstimateVisitType.optional(),
  charges: z
    .array(
      z.strictObject({
        procedureCode: ZProcedureCode,
        modifiers: ZModifiers.default([]),
        units: z
          .number()
          .positive("Units must be more than zero.")
          .refine((value) => value < 10_000 && Math.abs(value * 1000 - Math.round(value * 1000)) < 1e-6, "Units have at most 3 decimals, under 10,000."),
        /** Minor units: the line's charge (all its units). */
        chargeAmount: z.number().int("Enter the charge in cents (a whole number).").positive("A line's charge must be more than zero.").max(99_999_999),
      }),
    )
    .min(1, "Enter at least one service line.")
    .max(MAX_SERVICE_LINES, `At most ${MAX_SERVICE_LINES} service lines.`),
});
export type TEstimateInput = z.input<typeof ZEstimateInput>;

/** What the estimate is based on: the coverage and when and how its benefits were verified. */
export type EstimateBasis = {
  coverageId: string;
  payerName: string;
  memberId: string;
  /** ISO instant, or null when the benefits were never verified. */
  verifiedAt: string | null;
  source: "manual" | "eligibility" | null;
  /** "Benefits verified 2026-12-01 by staff (phone call or payer portal)", "… from the payer's eligibility response (271)". */
  words: string;
};

export type PatientEstimate =
  | { status: "no_coverage"; message: string; currency: string }
  | { status: "benefits_unknown"; message: string; basis: EstimateBasis; lines: EstimatedLine[]; allowedTotal: number; currency: string }
  | {
      status: "estimated";
      basis: EstimateBasis;
      lines: EstimatedLine[];
      allowedTotal: number;
      parts: EstimatePart[];
      /** The patient's estimated responsibility, minor units. */
      total: number;
      currency: string;
    };

function basisWords(verifiedAt: string | null, source: "manual" | "eligibility" | null, timezone: string): string {
  if (!verifiedAt) return "Benefits not verified yet: the amounts on file may be out of date.";
  const day = todayIn(timezone, new Date(verifiedAt));
  if (source === "eligibility") return `Benefits verified ${day} from the payer's eligibility response (271).`;
  return `Benefits verified ${day} by staff (phone call or payer portal).`;
}

/**
 * A patient's estimated responsibility for a visit on `serviceDate`, from the primary coverage in
 * force that day, the payer's fee schedule and the plan's benefits (computeEstimate). Read only.
 * "no_coverage" when no primary coverage is in force that day; "benefits_unknown" when the plan has
 * nothing the estimate can use. 404 for another organization's patient.
 */
export async function estimatePatientResponsibility(db: Db | Tx, options: { organizationId: string } & TEstimateInput): Promise<PatientEstimate> {
  const { organizationId, ...fields } = options;
  const input = ZEstimateInput.parse(fields);
  const [patient, organization] = await Promise.all([
    db.patient.findFirst({ where: { id: input.patientId, organizationId }, select: { id: true } }),
    db.organization.findUniqueOrThrow({ where: { id: organizationId }, select: { currency: true, timezone: true } }),
  ]);
  if (!patient) throw new AppError("NOT_FOUND", "That patient does not exist.");
  const currency = organization.currency;
  const coverage = await findCoverageInForce(db, { organizationId, patientId: patient.id, priority: 1, on: input.serviceDate });
  if (!coverage) {
    return { status: "no_coverage", message: `No primary coverage in force on ${input.serviceDate}: the patient pays the clinic's charges.`, currency };
  }
  const fees = await db.payerFeeSchedule.findMany({
    where: { organizationId, payerId: coverage.payer.id, procedureCode: { in: [...new Set(input.charges.map((charge) => charge.procedureCode))] } },
    select: { procedureCode: true, modifier: true, allowedAmount: true },
  });
  const basis: EstimateBasis = {
    coverageId: coverage.id,
    payerName: coverage.payer.name,
    memberId: coverage.memberId,
    verifiedAt: coverage.benefits.verifiedAt,
    source: coverage.benefits.source,
    words: basisWords(coverage.benefits.verifiedAt, coverage.benefits.source, organization.timezone),
  };
  const result = computeEstimate({ lines: input.charges, fees, benefits: coverage.benefits, visitType: input.visitType, currency });
  if (!result.known) return { status: "benefits_unknown", message: result.reason, basis, lines: result.lines, allowedTotal: result.allowedTotal, currency };
  return { status: "estimated", basis, lines: result.lines, allowedTotal: result.allowedTotal, parts: result.parts, total: result.total, currency };
}

/** The estimate for a recorded visit: its patient, date and charges. 404 for another organization's visit. */
export async function estimateVisitResponsibility(
  db: Db | Tx,
  options: { organizationId: string; visitId: string; visitType?: CopayVisitType },
): Promise<PatientEstimate> {
  const visit = await getVisitOrThrow(db, { organizationId: options.organizationId, visitId: options.visitId });
  return estimatePatientResponsibility(db, {
    organizationId: options.organizationId,
    patientId: visit.patient.id,
    serviceDate: visit.serviceDate,
    ...(options.visitType ? { visitType: options.visitType } : {}),
    charges: visit.charges.map((charge) => ({
      procedureCode: charge.procedureCode,
      modifiers: charge.modifiers,
      units: charge.units,
      chargeAmount: charge.chargeAmount,
    })),
  });
}
