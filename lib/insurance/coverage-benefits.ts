import { z } from "zod";
import type { Db, Tx } from "@/lib/db/client";
import { inTransaction } from "@/lib/db/in-transaction";
import { recordAuditEvent, type AuditActor } from "@/lib/audit/record-audit-event";
import { AppError } from "@/lib/errors";
import { zSingleLineText } from "@/lib/validation/fields";
import { COPAY_VISIT_TYPES, type CopayVisitType } from "./insurance-codes";
import type { CopayView, CoverageView } from "./insurance.types";
import { appendCoverageRevision, loadCoverageView, lockCoverage } from "./coverage-records";

export { COPAY_VISIT_TYPES, type CopayVisitType };

/** Money in minor units, at most 10,000,000 (100,000.00 in a 2-decimal currency). */
const MAX_BENEFIT_AMOUNT = 10_000_000;

const zAmount = (what: string) =>
  z
    .number({ error: `Enter ${what} in minor units (a whole number).` })
    .int(`Enter ${what} in minor units (a whole number).`)
    .min(0, `${what.charAt(0).toUpperCase()}${what.slice(1)} cannot be negative.`)
    .max(MAX_BENEFIT_AMOUNT, `${what.charAt(0).toUpperCase()}${what.slice(1)} is too large.`)
    .nullable()
    .optional();

const VISIT_TYPES = Object.keys(COPAY_VISIT_TYPES) as [CopayVisitType, ...CopayVisitType[]];

/** A plan-year limit and what is met of it: [max field, met field, words for messages]. */
const LIMITS = [
  ["deductibleIndividual", "deductibleIndividualMet", "the individual deductible"],
  ["deductibleFamily", "deductibleFamilyMet", "the family deductible"],
  ["outOfPocketMaxIndividual", "outOfPocketMaxIndividualMet", "the individual out-of-pocket maximum"],
  ["outOfPocketMaxFamily", "outOfPocketMaxFamilyMet", "the family out-of-pocket maximum"],
] as const;

/**
 * A coverage's benefits as read from a 271 or taken down from a phone call or portal: co-pays per
 * visit type (each type once), coinsurance in basis points (20% = 2000), and the plan-year
 * deductibles and out-of-pocket maximums with what is met so far. A met amount needs its maximum
 * and never exceeds it. Fields left out are cleared: the input replaces the benefits.
 */
export const ZCoverageBenefitsInput = z
  .strictObject({
    copays: z
      .array(
        z.strictObject({
          visitType: z.enum(VISIT_TYPES, { error: `Choose the visit type (${VISIT_TYPES.join(", ")}).` }),
          /** Shown to staff; the visit type's words when left out. */
          label: zSingleLineText().max(60, "Keep the label under 60 characters.").optional(),
          amount: z
            .number({ error: "Enter the co-pay in minor units (a whole number)." })
            .int("Enter the co-pay in minor units (a whole number).")
            .min(0, "A co-pay cannot be negative.")
            .max(MAX_BENEFIT_AMOUNT, "The co-pay is too large."),
        }),
      )
      .max(VISIT_TYPES.length, `At most ${VISIT_TYPES.length} co-pays, one per visit type.`)
      .default([]),
    coinsuranceBasisPoints: z
      .number({ error: "Enter the coinsurance in basis points (20% = 2000)." })
      .int("Enter the coinsurance in basis points (20% = 2000).")
      .min(0, "Coinsurance cannot be negative.")
      .max(10_000, "Coinsurance is at most 100% (10000).")
      .nullable()
      .optional(),
    deductibleIndividual: zAmount("the individual deductible"),
    deductibleIndividualMet: zAmount("the amount met"),
    deductibleFamily: zAmount("the family deductible"),
    deductibleFamilyMet: zAmount("the amount met"),
    outOfPocketMaxIndividual: zAmount("the individual out-of-pocket maximum"),
    outOfPocketMaxIndividualMet: zAmount("the amount met"),
    outOfPocketMaxFamily: zAmount("the family out-of-pocket maximum"),
    outOfPocketMaxFamilyMet: zAmount("the amount met"),
  })
  .superRefine((input, context) => {
    const seen = new Set<string>();
    input.copays.forEach((copay, index) => {
      if (seen.has(copay.visitType)) {
        context.addIssue({
          code: "custom",
          path: ["copays", index, "visitType"],
          message: `There is already a co-pay for ${COPAY_VISIT_TYPES[copay.visitType].toLowerCase()}.`,
        });
      }
      seen.add(copay.visitType);
    });
    for (const [maxField, metField, words] of LIMITS) {
      const max = input[maxField];
      const met = input[metField];
      if (met === null || met === undefined) continue;
      if (max === null || max === undefined) {
        context.addIssue({ code: "custom", path: [metField], message: `Enter ${words} too, or leave the amount met empty.` });
      } else if (met > max) {
        context.addIssue({ code: "custom", path: [metField], message: `The amount met cannot be more than ${words}.` });
      }
    }
  });
export type TCoverageBenefitsInput = z.input<typeof ZCoverageBenefitsInput>;

/**
 * Replaces a coverage's benefits, under the patient's row lock: the version goes up by one and a
 * revision keeps them ("benefits_verified" when staff enter them, "eligibility_applied" from a
 * 271), with when they were verified (now unless given). Runs in the caller's transaction when
 * given one (the 271 import). An archived coverage cannot be changed (409).
 */
export async function saveCoverageBenefits(
  db: Db | Tx,
  options: {
    organizationId: string;
    actor: AuditActor;
    coverageId: string;
    input: TCoverageBenefitsInput;
    source: "manual" | "eligibility";
    verifiedAt?: Date;
  },
): Promise<CoverageView> {
  const input = ZCoverageBenefitsInput.parse(options.input);
  const copays: CopayView[] = input.copays.map((copay) => ({
    visitType: copay.visitType,
    label: copay.label || COPAY_VISIT_TYPES[copay.visitType],
    amount: copay.amount,
  }));
  return inTransaction(db, async (tx) => {
    const before = await lockCoverage(tx, { organizationId: options.organizationId, coverageId: options.coverageId });
    if (before.archivedAt) throw new AppError("CONFLICT", "This coverage is archived and can no longer be changed.");
    const coverage = await tx.coverage.update({
      where: { id: before.id },
      data: {
        copays,
        coinsuranceBasisPoints: input.coinsuranceBasisPoints ?? null,
        deductibleIndividual: input.deductibleIndividual ?? null,
        deductibleIndividualMet: input.deductibleIndividualMet ?? null,
        deductibleFamily: input.deductibleFamily ?? null,
        deductibleFamilyMet: input.deductibleFamilyMet ?? null,
        outOfPocketMaxIndividual: input.outOfPocketMaxIndividual ?? null,
        outOfPocketMaxIndividualMet: input.outOfPocketMaxIndividualMet ?? null,
        outOfPocketMaxFamily: input.outOfPocketMaxFamily ?? null,
        outOfPocketMaxFamilyMet: input.outOfPocketMaxFamilyMet ?? null,
        benefitsVerifiedAt: options.verifiedAt ?? new Date(),
        benefitsSource: options.source,
        version: before.version + 1,
      },
    });
    const payer = await tx.payer.findUniqueOrThrow({ where: { id: coverage.payerId }, select: { name: true, payerId: true } });
    const change = options.source === "manual" ? "benefits_verified" : "eligibility_applied";
    await appendCoverageRevision(tx, { coverage, payer, change, actor: options.actor });
    await recordAuditEvent(tx, {
      organizationId: options.organizationId,
      actor: options.actor,
      action: `coverage.${change}`,
      target: { type: "coverage", id: coverage.id },
      after: { version: coverage.version, source: options.source },
    });
    return loadCoverageView(tx, { organizationId: options.organizationId, coverageId: coverage.id });
  });
}
