import { z } from "zod";
import type { CreditNote } from "@/lib/db/generated/client";
import { zMultilineText } from "@/lib/validation/fields";

export const CREDIT_NOTE_DISPOSITIONS = ["reduce_balance", "patient_credit", "refund"] as const;

/** What staff and integrators may ask for; `refund` credit notes are only made by refunds. */
export const ZIssueCreditNoteInput = z.object({
  amount: z.number({ error: "Enter an amount." }).int("Enter a whole amount in minor units.").positive("Enter an amount above zero."),
  reason: zMultilineText().min(3, "Give a reason (at least 3 characters).").max(500, "Keep the reason under 500 characters."),
  disposition: z
    .enum(["reduce_balance", "patient_credit"])
    .optional()
    .describe(
      "reduce_balance lowers what an open invoice asks for; patient_credit turns part of what was paid into patient credit. Default: reduce_balance while something is owed, else patient_credit.",
    ),
});
export type TIssueCreditNoteInput = z.input<typeof ZIssueCreditNoteInput>;

const minorUnits = (description: string) => z.number().int().describe(`${description} (minor units)`);

export const ZCreditNoteView = z.object({
  id: z.string().uuid(),
  number: z.string().describe("CN-00001"),
  invoiceId: z.string().uuid(),
  patientId: z.string().uuid(),
  currency: z.string().describe("ISO 4217"),
  amount: minorUnits("Total credited, tax included"),
  taxAmount: minorUnits("Of amount, the sales tax given back"),
  disposition: z.enum(CREDIT_NOTE_DISPOSITIONS),
  reason: z.string(),
  status: z.enum(["issued", "void"]),
  createdAt: z.string().datetime(),
  voidedAt: z.string().datetime().nullable(),
});
export type CreditNoteView = z.infer<typeof ZCreditNoteView>;

export function toCreditNoteView(creditNote: CreditNote): CreditNoteView {
  return {
    id: creditNote.id,
    number: creditNote.number,
    invoiceId: creditNote.invoiceId,
    patientId: creditNote.patientId,
    currency: creditNote.currency,
    amount: creditNote.amount,
    taxAmount: creditNote.taxAmount,
    disposition: creditNote.disposition,
    reason: creditNote.reason,
    status: creditNote.status,
    createdAt: creditNote.createdAt.toISOString(),
    voidedAt: creditNote.voidedAt?.toISOString() ?? null,
  };
}
