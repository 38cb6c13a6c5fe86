import { z } from "zod";
import type { Refund } from "@/lib/db/generated/client";
import { zMultilineText } from "@/lib/validation/fields";

export const REFUND_REASONS = ["requested_by_customer", "duplicate", "fraudulent", "other"] as const;
export const REFUND_MODES = ["credit_note", "reopen_balance"] as const;
export const REFUND_STATUSES = ["pending", "succeeded", "failed", "canceled"] as const;

export const REFUND_REASON_LABELS: Record<(typeof REFUND_REASONS)[number], string> = {
  requested_by_customer: "Requested by the patient",
  duplicate: "Duplicate payment",
  fraudulent: "Fraudulent payment",
  other: "Other",
};

export const ZRequestRefundInput = z
  .object({
    amount: z
      .number({ error: "Enter an amount." })
      .int("Enter a whole amount in minor units.")
      .positive("Enter an amount above zero.")
      .optional()
      .describe("Minor units; omitted means everything that can still be refunded"),
    reason: z.enum(REFUND_REASONS, { error: "Choose a reason." }).default("requested_by_customer"),
    note: zMultilineText().max(500, "Keep the note under 500 characters.").optional().describe("Required when reason is `other`; kept with the refund"),
    mode: z
      .enum(REFUND_MODES, { error: "Choose what happens to the invoice." })
      .default("credit_note")
      .describe("credit_note: the invoice stays settled (a credit note for the refunded part); reopen_balance: the refunded part is owed again"),
  })
  .superRefine((input, context) => {
    if (input.reason === "other" && !input.note) context.addIssue({ code: "custom", path: ["note"], message: "Say why you are refunding." });
  });
export type TRequestRefundInput = z.input<typeof ZRequestRefundInput>;

export const ZRefundView = z.object({
  id: z.string().uuid(),
  paymentId: z.string().uuid(),
  invoiceId: z.string().uuid().nullable().describe("Null for a refund of a prepayment's credit (the payment paid no invoice)"),
  currency: z.string().describe("ISO 4217"),
  amount: z.number().int().describe("Refunded (minor units)"),
  fromCredit: z.number().int().describe("Of amount, what came out of the patient's credit from an overpayment (minor units)"),
  reason: z.enum(REFUND_REASONS),
  note: z.string().nullable(),
  mode: z.enum(REFUND_MODES),
  status: z.enum(REFUND_STATUSES).describe("pending until Stripe settles it; failed or canceled refunds returned nothing and their books were restored"),
  stripeRefundId: z.string().nullable(),
  failureReason: z.string().nullable(),
  creditNote: z.object({ id: z.string().uuid(), number: z.string() }).nullable(),
  createdAt: z.string().datetime(),
  succeededAt: z.string().datetime().nullable(),
  failedAt: z.string().datetime().nullable(),
});
export type RefundView = z.infer<typeof ZRefundView>;

export function toRefundView(refund: Refund & { creditNote: { id: string; number: string } | null }): RefundView {
  return {
    id: refund.id,
    paymentId: refund.paymentId,
    invoiceId: refund.invoiceId,
    currency: refund.currency,
    amount: refund.amount,
    fromCredit: refund.fromCredit,
    reason: refund.reason,
    note: refund.note,
    mode: refund.mode,
    status: refund.status,
    stripeRefundId: refund.stripeRefundId,
    failureReason: refund.failureReason,
    creditNote: refund.creditNote ? { id: refund.creditNote.id, number: refund.creditNote.number } : null,
    createdAt: refund.createdAt.toISOString(),
    succeededAt: refund.succeededAt?.toISOString() ?? null,
    failedAt: refund.failedAt?.toISOString() ?? null,
  };
}

/** Stripe's refund failure reasons, in words for staff. */
const FAILURE_REASONS: Record<string, string> = {
  expired_or_canceled_card: "card expired or canceled",
  lost_or_stolen_card: "card reported lost or stolen",
  declined: "declined by the card's bank",
  insufficient_funds: "the Stripe balance could not cover it",
  charge_for_pending_refund_disputed: "the payment was disputed",
  merchant_request: "canceled",
  charge_disputed: "the payment has an open dispute",
  amount_too_large: "more than Stripe has left to refund on this payment",
  charge_already_refunded: "Stripe shows this payment as already refunded",
};

export function describeRefundFailure(reason: string | null): string {
  if (!reason) return "reason not given";
  return FAILURE_REASONS[reason] ?? reason.replaceAll("_", " ");
}
