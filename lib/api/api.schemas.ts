import { z } from "zod";
import { ZCapturePaymentInput } from "@/lib/payments/payment-holds.types";
import { INVOICE_STATUSES } from "@/lib/invoices/invoices.types";
import { ZApplyPatientCreditInput } from "@/lib/patient-credit/patient-credit.types";
import { ZPatientFields } from "@/lib/patients/patients.types";
import { PAYMENT_METHOD_TYPES, PAYMENT_STATUSES } from "@/lib/payments/list-payments";
import { ZRecordManualPaymentInput, ZVoidManualPaymentInput } from "@/lib/payments/manual-payments.types";
import { ZChargeSavedCardPrepaymentInput } from "@/lib/payments/charge-saved-card";
import { ZRefundPatientCreditInput } from "@/lib/patient-credit/refund-patient-credit";
import { ZReasonInput } from "@/lib/invoices/void-invoice";
import { zRecordId } from "@/lib/http/record-id";
import { zSingleLineText } from "@/lib/validation/fields";
import { PAYMENT_PLAN_STATUSES } from "@/lib/payment-plans/payment-plans.types";
import { PAYMENT_SOURCES } from "@/lib/payments/payment-status";
import { MEMBERSHIP_STATUSES } from "@/lib/memberships/memberships.types";
import { ZMembershipPlanInput } from "@/lib/memberships/membership-plans";

const ZLimit = z.coerce.number().int().min(1, "At least 1.").max(100, "At most 100.").default(25);
const ZCursor = zRecordId("Use the nextCursor of the previous page.").optional();
const ZBooleanParam = z.enum(["true", "false"]).transform((value) => value === "true");

export const ZListPatientsQuery = z.object({
  q: zSingleLineText().max(100).optional().describe("Search name, email, phone or external id (MRN)"),
  includeArchived: ZBooleanParam.optional(),
  cursor: ZCursor,
  limit: ZLimit,
});

export const ZListInvoicesQuery = z.object({
  status: z.enum([...INVOICE_STATUSES, "overdue"]).optional(),
  patientId: zRecordId().optional(),
  createdFrom: z.string().datetime({ offset: true, message: "Use an ISO 8601 timestamp." }).optional(),
  createdTo: z.string().datetime({ offset: true, message: "Use an ISO 8601 timestamp." }).optional(),
  number: zSingleLineText().max(20).optional(),
  cursor: ZCursor,
  limit: ZLimit,
});

/** PATCH /patients/{id}: any patient field, and `archived` to archive or restore. */
export const ZPatchPatientBody = ZPatientFields.partial().extend({ archived: z.boolean().optional() }).strict();

export const ZVoidInvoiceBody = ZReasonInput;

/** POST /invoices/{id}/mark-uncollectible and /invoices/{id}/reopen: the reason is kept with the invoice and in the audit log. */
export const ZMarkUncollectibleBody = ZVoidInvoiceBody;
export const ZReopenInvoiceBody = ZVoidInvoiceBody;

/** POST /invoices/{id}/apply-credit: `amount` in minor units; left out, min(patient's credit, amount due). */
export const ZApplyCreditBody = ZApplyPatientCreditInput.strict();

/** GET /payments: filters; createdFrom/createdTo are inclusive instants. */
export const ZListPaymentsQuery = z.object({
  status: z.enum(PAYMENT_STATUSES).optional(),
  source: z.enum(PAYMENT_SOURCES).optional(),
  method: z.enum(PAYMENT_METHOD_TYPES).optional(),
  patientId: zRecordId().optional(),
  invoiceId: zRecordId().optional(),
  createdFrom: z.string().datetime({ offset: true, message: "Use an ISO 8601 timestamp." }).optional(),
  createdTo: z.string().datetime({ offset: true, message: "Use an ISO 8601 timestamp." }).optional(),
  cursor: ZCursor,
  limit: ZLimit,
});

/** POST /payments: a manual payment (cash, check, card terminal, bank transfer). */
export const ZRecordPaymentBody = ZRecordManualPaymentInput;

/** POST /payments/{id}/void: why the manual payment is taken back. */
export const ZVoidPaymentBody = ZVoidManualPaymentInput.strict();

/** POST /payments/{id}/capture: `amount` in minor units, at most what is authorized; left out, all of it. */
export const ZCapturePaymentBody = ZCapturePaymentInput.strict();

export const ZErrorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    fields: z.record(z.string(), z.array(z.string())).optional(),
    requestId: z.string().optional(),
  }),
});

/** POST /invoices/{id}/credit-notes and POST /payments/{id}/refunds parse with their domain schemas. */
export { ZIssueCreditNoteInput as ZIssueCreditNoteBody } from "@/lib/credit-notes/credit-notes.types";
export { ZRequestRefundInput as ZRequestRefundBody } from "@/lib/refunds/refunds.types";

export const ZListPaymentPlansQuery = z.object({
  patientId: zRecordId().optional(),
  status: z.enum(PAYMENT_PLAN_STATUSES).optional(),
  cursor: ZCursor,
  limit: ZLimit,
});

export const ZListMembershipPlansQuery = z.object({
  includeArchived: ZBooleanParam.optional().describe("true to list archived plans too"),
});

/** A partial edit of a membership plan: the fields sent replace the plan's. */
export const ZPatchMembershipPlanBody = ZMembershipPlanInput.partial();

export const ZListMembershipsQuery = z.object({
  patientId: zRecordId().optional(),
  status: z.enum(MEMBERSHIP_STATUSES).optional(),
  cursor: ZCursor,
  limit: ZLimit,
});

/** POST /patients/{id}/prepayments: the patient is the path's. */
export const ZSavedCardPrepaymentBody = ZChargeSavedCardPrepaymentInput.omit({ patientId: true }).strict();

/** POST /patients/{id}/credit-refunds. */
export const ZRefundPatientCreditBody = ZRefundPatientCreditInput.strict();

/** What POST /patients/{id}/credit-refunds answers. */
export const ZCreditRefundView = z.object({
  refundId: z.string().uuid(),
  method: z.enum(["card", "manual"]).describe("card: back to the card through Stripe; manual: handed back at the desk (cash, check, terminal, transfer)"),
  amount: z.number().int().describe("Minor units"),
  currency: z.string().describe("ISO 4217"),
  status: z.string().describe("manual: succeeded; card: pending until Stripe settles it, then succeeded (or failed with the credit restored)"),
  stripeUnreachable: z.boolean(),
});
