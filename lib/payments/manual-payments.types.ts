import { z } from "zod";
import { MAX_AMOUNT } from "@/lib/money/currency";
import { ZCalendarDate, zMultilineText, zSingleLineText } from "@/lib/validation/fields";

/** How money reaches the front desk without Stripe. */
export const MANUAL_PAYMENT_METHODS = ["cash", "check", "card_terminal", "bank_transfer"] as const;
export type ManualPaymentMethod = (typeof MANUAL_PAYMENT_METHODS)[number];

export const MANUAL_METHOD_LABELS: Record<ManualPaymentMethod, string> = {
  cash: "Cash",
  check: "Check",
  card_terminal: "Card terminal",
  bank_transfer: "Bank transfer",
};

/** Methods whose reference (check number, transfer reference) must be written down. */
export const REFERENCE_REQUIRED: ReadonlySet<ManualPaymentMethod> = new Set(["check", "bank_transfer"]);

const ZAmount = z
  .number({ message: "Enter an amount." })
  .int("Use whole minor units (cents).")
  .positive("Enter an amount greater than zero.")
  .max(MAX_AMOUNT, "That amount is too large.");

export const ZManualAllocation = z.object({
  invoiceId: z.string().uuid("Choose an invoice."),
  amount: ZAmount,
});

/**
 * A manual payment as staff or an integration describe it. Money in minor units. Without
 * `invoiceId` or `allocations`, the amount goes to the patient's open invoices, oldest first.
 * For cash, `cashTendered` is what the patient handed over: without `amount`, the payment is what
 * it pays (at most the cash) and the rest is change given back.
 */
export const ZRecordManualPaymentInput = z
  .object({
    patientId: z.string().uuid("Choose a patient."),
    method: z.enum(MANUAL_PAYMENT_METHODS, { message: "Choose cash, check, card terminal or bank transfer." }),
    /** What the clinic keeps. Optional only for cash with `cashTendered`: then what the chosen invoices owe, at most the cash. */
    amount: ZAmount.optional().describe(
      "Minor units the clinic keeps. Required, except for cash with `cashTendered`: then what the chosen invoices owe, at most the cash",
    ),
    /** Cash only: the cash handed over (at least `amount`); cashTendered − amount is the change given back. */
    cashTendered: ZAmount.optional().describe("Cash only, minor units: the cash handed over, at least `amount`; the rest is change given back"),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, "Use a three-letter currency code such as USD.")
      .optional(),
    /** YYYY-MM-DD in the clinic's time zone; today when left out. */
    receivedOn: ZCalendarDate.describe(
      "YYYY-MM-DD: the day the money was received, on the clinic's calendar (organization's time zone); today there when left out",
    ).optional(),
    /** The check number (required for checks) or the bank transfer's reference (required for transfers). */
    reference: zSingleLineText().max(100, "Keep the reference under 100 characters.").optional(),
    invoiceId: z.string().uuid("Choose an invoice.").optional(),
    allocations: z.array(ZManualAllocation).min(1, "Choose at least one invoice.").max(50, "Choose at most 50 invoices at once.").optional(),
    /** Keep what exceeds the chosen invoices' balances as the patient's credit (otherwise that is refused). */
    keepExcessAsCredit: z.boolean().default(false),
    /**
     * A prepayment (an estimate collected at check-in): the whole amount goes to the patient's
     * credit, even when they have open invoices; their share is later settled against it. No
     * `invoiceId` or `allocations`, and an `amount` (for cash, the rest of `cashTendered` is change).
     */
    prepayment: z
      .boolean()
      .default(false)
      .describe("A prepayment: the whole amount becomes the patient's credit (no invoice is paid), to settle their share of a visit later"),
    /** Email the patient a receipt (when they have an email address). */
    emailReceipt: z.boolean().default(false),
  })
  .superRefine((input, context) => {
    if (input.amount === undefined && input.cashTendered === undefined) {
      context.addIssue({ code: "custom", path: ["amount"], message: "Enter an amount." });
    }
    if (input.cashTendered !== undefined && input.method !== "cash") {
      context.addIssue({ code: "custom", path: ["cashTendered"], message: "Cash tendered is for cash payments only." });
    }
    if (input.cashTendered !== undefined && input.amount !== undefined && input.cashTendered < input.amount) {
      context.addIssue({ code: "custom", path: ["cashTendered"], message: "The cash received cannot be less than the amount paid." });
    }
    if (input.prepayment && (input.invoiceId || input.allocations)) {
      context.addIssue({
        code: "custom",
        path: [input.invoiceId ? "invoiceId" : "allocations"],
        message: "A prepayment goes to the patient's credit: choose no invoice.",
      });
    }
    if (input.prepayment && input.amount === undefined && input.cashTendered !== undefined) {
      context.addIssue({ code: "custom", path: ["amount"], message: "Enter the amount to keep as a prepayment." });
    }
    if (input.invoiceId && input.allocations) {
      context.addIssue({ code: "custom", path: ["allocations"], message: "Send either invoiceId or allocations, not both." });
    }
    if (REFERENCE_REQUIRED.has(input.method) && !input.reference) {
      context.addIssue({
        code: "custom",
        path: ["reference"],
        message: input.method === "check" ? "Enter the check number." : "Enter the bank transfer's reference.",
      });
    }
    if (input.allocations) {
      const seen = new Set<string>();
      input.allocations.forEach((allocation, index) => {
        if (seen.has(allocation.invoiceId))
          context.addIssue({ code: "custom", path: ["allocations", index, "invoiceId"], message: "This invoice is listed twice." });
        seen.add(allocation.invoiceId);
      });
    }
  });
export type TRecordManualPaymentInput = z.input<typeof ZRecordManualPaymentInput>;

export const ZVoidManualPaymentInput = z.object({
  reason: zMultilineText().min(3, "Give a reason (at least 3 characters).").max(500, "Keep the reason under 500 characters."),
});
export type TVoidManualPaymentInput = z.input<typeof ZVoidManualPaymentInput>;
