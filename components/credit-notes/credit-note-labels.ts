import type { CreditNoteView } from "@/lib/credit-notes/credit-notes.types";

/** Where a credit note's amount went, in staff's words. */
export const DISPOSITION_LABELS: Record<CreditNoteView["disposition"], string> = {
  reduce_balance: "Reduced the balance",
  patient_credit: "Patient credit",
  refund: "Refunded to card",
};

/** A refund's credit note is voided when Stripe fails or refuses the refund: "Refunded to card" would say the opposite. */
export function dispositionLabel(creditNote: Pick<CreditNoteView, "disposition" | "status">): string {
  return creditNote.disposition === "refund" && creditNote.status === "void" ? "Card refund failed" : DISPOSITION_LABELS[creditNote.disposition];
}
