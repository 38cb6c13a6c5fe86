import { z } from "zod";
import { MAX_AMOUNT } from "@/lib/money/currency";

/** Apply credit: `amount` in the invoice's minor units; left out, as much as both the credit and the invoice allow. */
export const ZApplyPatientCreditInput = z.object({
  amount: z
    .number({ message: "Enter an amount in minor units (cents)." })
    .int("Enter a whole number of minor units (cents).")
    .positive("Enter an amount above zero.")
    .max(MAX_AMOUNT, "That amount is too large.")
    .optional(),
});
export type TApplyPatientCreditInput = z.input<typeof ZApplyPatientCreditInput>;

/** One use of a patient's credit on an invoice (also the API's response schema). */
export const ZCreditApplicationView = z.object({
  id: z.string().uuid(),
  invoiceId: z.string().uuid(),
  patientId: z.string().uuid(),
  currency: z.string().describe("ISO 4217"),
  amount: z.number().int().describe("Minor units taken from the patient's credit and paid onto the invoice"),
  automatic: z.boolean().describe("Applied automatically when the invoice was finalized"),
  createdAt: z.string().datetime(),
});
export type CreditApplicationView = z.infer<typeof ZCreditApplicationView>;

export const ZPatientCreditBalance = z.object({
  currency: z.string().describe("ISO 4217"),
  balance: z.number().int().describe("Minor units the patient can still apply to invoices"),
});
export type PatientCreditBalanceView = z.infer<typeof ZPatientCreditBalance>;

export function toCreditApplicationView(row: {
  id: string;
  invoiceId: string;
  patientId: string;
  currency: string;
  amount: number;
  automatic: boolean;
  createdAt: Date;
}): CreditApplicationView {
  return {
    id: row.id,
    invoiceId: row.invoiceId,
    patientId: row.patientId,
    currency: row.currency,
    amount: row.amount,
    automatic: row.automatic,
    createdAt: row.createdAt.toISOString(),
  };
}
