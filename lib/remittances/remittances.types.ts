/** What the remittance screens and the API show (JSON-safe: instants as ISO strings, amounts in cents), as zod schemas for the OpenAPI document. */
import { z } from "zod";

const ZInstant = z.string().describe("ISO 8601 instant (UTC)");
const ZDay = z.string().describe("YYYY-MM-DD");
const ZCents = z.number().int().describe("Cents");

export const REMITTANCE_STATUSES = ["received", "needs_review", "posted"] as const;
export const ZRemittanceStatus = z
  .enum(REMITTANCE_STATUSES)
  .describe(
    "received: stored, some claim payments still to post (waiting for a hand match); needs_review: the 835 does not add up, so nothing from it is posted; posted: every matched claim payment is posted",
  );
export type RemittanceStatus = z.infer<typeof ZRemittanceStatus>;

export const REMITTANCE_CLAIM_STATUSES = ["matched", "unmatched", "posted", "reversed", "duplicate", "held"] as const;
export const ZRemittanceClaimStatus = z
  .enum(REMITTANCE_CLAIM_STATUSES)
  .describe(
    "matched: one of this clinic's claims (by CLP01, same payer), not posted yet; unmatched: see unmatchedReason; posted: posted to the claim, the ledger and the patient's invoice; reversed: posted, then taken back by a reversal (CLP02 22); duplicate: the same payment was posted before, nothing posted; held: matched but not posted, see heldReason",
  );

export const ZRemarkCodeView = z.object({ code: z.string(), description: z.string() });

export const ZRemittanceAdjustmentView = z.object({
  groupCode: z.string().describe("CAS01: CO, PR, OA, PI, CR"),
  group: z.string().describe("The group in words"),
  reasonCode: z.string().describe("CARC"),
  reason: z.string().describe("The CARC in words"),
  amount: ZCents.describe("Cents; negative gives money back"),
  quantity: z.number().nullable(),
});
export type RemittanceAdjustmentView = z.infer<typeof ZRemittanceAdjustmentView>;

export const ZRemittanceLineView = z.object({
  id: z.string(),
  position: z.number().int(),
  claimLineId: z
    .string()
    .nullable()
    .describe("The claim line it pays (code + modifiers + date + charge, or without a modifier the payer dropped); null when none agrees"),
  procedureCode: z.string().describe("SVC01 as paid"),
  modifiers: z.array(z.string()),
  originalProcedureCode: z.string().nullable().describe("SVC06: the code as billed, when the payer paid another"),
  chargeAmount: ZCents,
  paidAmount: ZCents,
  allowedAmount: ZCents.nullable(),
  units: z.number(),
  serviceDate: ZDay.nullable(),
  serviceDateEnd: ZDay.nullable(),
  remarkCodes: z.array(ZRemarkCodeView),
  adjustments: z.array(ZRemittanceAdjustmentView),
});
export type RemittanceLineView = z.infer<typeof ZRemittanceLineView>;

export const ZRemittanceClaimView = z.object({
  id: z.string(),
  position: z.number().int(),
  status: ZRemittanceClaimStatus,
  unmatchedReason: z.string().nullable(),
  heldReason: z.string().nullable().describe("Why a matched claim payment was not posted (status held)"),
  postedAt: ZInstant.nullable(),
  patientShareInvoice: z
    .object({ id: z.string(), number: z.string().nullable() })
    .nullable()
    .describe("The invoice that bills the patient's share of this claim payment"),
  claim: z.object({ id: z.string(), displayNumber: z.string() }).nullable().describe("The matched claim"),
  patientControlNumber: z.string().describe("CLP01 as read"),
  statusCode: z.string().describe("CLP02"),
  statusDescription: z.string().describe("CLP02 in words"),
  chargeAmount: ZCents,
  paidAmount: ZCents,
  patientResponsibility: ZCents.nullable().describe("CLP05, when sent"),
  payerClaimControlNumber: z.string().nullable(),
  patientName: z.string().nullable(),
  remarkCodes: z.array(ZRemarkCodeView),
  adjustments: z.array(ZRemittanceAdjustmentView).describe("Claim-level adjustments (line-level ones are on their lines)"),
  lines: z.array(ZRemittanceLineView),
});
export type RemittanceClaimView = z.infer<typeof ZRemittanceClaimView>;

export const ZRemittanceSummaryView = z.object({
  id: z.string(),
  status: ZRemittanceStatus,
  payer: z
    .object({ id: z.string(), name: z.string() })
    .nullable()
    .describe("Our payer, matched by REF*2U or TRN03; null when neither is one of the clinic's payer ids"),
  payerName: z.string().describe("N1*PR as read"),
  traceNumber: z.string().describe("TRN02: the check or EFT trace number"),
  totalAmount: ZCents.describe("BPR02, negative for a debit"),
  paymentMethod: z.string().describe("BPR04: ACH, CHK, NON…"),
  paymentMethodDescription: z.string(),
  paidOn: ZDay.nullable().describe("BPR16: the check or EFT date"),
  claimCount: z.number().int(),
  unmatchedClaimCount: z.number().int(),
  clearinghouseFileId: z.string(),
  createdAt: ZInstant,
});
export type RemittanceSummaryView = z.infer<typeof ZRemittanceSummaryView>;

/** How far posting a remittance has got: counts of its claim payments matched to a claim (unmatched ones wait for a hand match). */
export const ZRemittancePosting = z.object({
  inBackground: z.boolean().describe("The import left posting to the background job (more claim payments than are posted while the uploader waits)"),
  finished: z.boolean().describe("Nothing is left to post: each matched claim payment is posted, a duplicate or held"),
  total: z.number().int().describe("Claim payments matched to a claim"),
  waiting: z.number().int().describe("Not posted yet"),
  posted: z.number().int(),
  duplicate: z.number().int(),
  held: z.number().int().describe("Not posted, with the reason (Claims → Unmatched payments)"),
});
export type RemittancePosting = z.infer<typeof ZRemittancePosting>;

export const ZRemittanceView = ZRemittanceSummaryView.extend({
  posting: ZRemittancePosting,
  fileName: z.string(),
  payerIdentifier: z.string().nullable().describe("N1*PR REF*2U, when sent"),
  traceOriginatorId: z.string().describe("TRN03"),
  handlingCode: z.string().describe("BPR01"),
  producedOn: ZDay.nullable(),
  payeeName: z.string(),
  payeeNpi: z.string().nullable(),
  imbalances: z
    .array(z.object({ kind: z.string(), patientControlNumber: z.string().nullable(), lineNumber: z.number().int().nullable(), message: z.string() }))
    .describe("Where the 835's own arithmetic fails, in words; empty when it adds up"),
  claims: z.array(ZRemittanceClaimView),
  providerAdjustments: z.array(
    z.object({
      providerId: z.string(),
      fiscalPeriodDate: ZDay.nullable(),
      reasonCode: z.string(),
      reason: z.string(),
      reference: z.string().nullable(),
      amount: ZCents.describe("Positive: the payer keeps it back; negative: the payer adds it"),
    }),
  ),
});
export type RemittanceView = z.infer<typeof ZRemittanceView>;

export const ZRemittancePage = z.object({ data: z.array(ZRemittanceSummaryView), nextCursor: z.string().nullable() });
export type RemittancePage = { remittances: RemittanceSummaryView[]; nextCursor: string | null };

/** One claim payment for a claim's page: the payment it came in. */
export const ZClaimRemittanceView = ZRemittanceClaimView.extend({
  remittance: ZRemittanceSummaryView.pick({ id: true, status: true, payerName: true, traceNumber: true, paidOn: true, createdAt: true }),
});
export type ClaimRemittanceView = z.infer<typeof ZClaimRemittanceView>;
