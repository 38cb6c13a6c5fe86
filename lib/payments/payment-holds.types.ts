import { z } from "zod";
import { MAX_AMOUNT } from "@/lib/money/currency";

/** Staff capturing an authorized card payment: all of it (amount omitted) or less. */
export const ZCapturePaymentInput = z.object({
  /** Minor units; at most what the card authorization holds. Omit to capture everything. */
  amount: z
    .number({ message: "Enter an amount." })
    .int("Use whole minor units (cents).")
    .positive("Enter an amount greater than zero.")
    .max(MAX_AMOUNT, "That amount is too large.")
    .optional(),
});
export type TCapturePaymentInput = z.input<typeof ZCapturePaymentInput>;

/** A card payment after a capture or release, as the API returns it. Money in minor units. */
export const ZPaymentHoldView = z.object({
  id: z.uuid(),
  invoiceId: z.uuid(),
  status: z.string().describe("succeeded after a capture, canceled after a release"),
  currency: z.string(),
  amount: z.number().int().describe("What the patient authorized"),
  amountReceived: z.number().int().describe("What was captured"),
  amountCapturable: z.number().int().describe("What the hold still covers (0 once captured or released)"),
  feeAmount: z.number().int(),
  authorizedAt: z.iso.datetime().nullable(),
  captureBefore: z.iso.datetime().nullable(),
  succeededAt: z.iso.datetime().nullable(),
  canceledAt: z.iso.datetime().nullable(),
  invoice: z.object({ id: z.uuid(), number: z.string().nullable(), status: z.string(), amountDue: z.number().int() }),
});
export type PaymentHoldView = z.infer<typeof ZPaymentHoldView>;
