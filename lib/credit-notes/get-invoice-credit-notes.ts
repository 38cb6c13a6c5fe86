import type { Db } from "@/lib/db/client";
import type { InvoiceStatus } from "@/lib/invoices/invoices.types";
import type { CreditNoteView } from "./credit-notes.types";
import { getCreditableAmounts } from "./issue-credit-note";
import { listCreditNotes } from "./list-credit-notes";

export type InvoiceCreditNotes = {
  invoice: { id: string; number: string | null; status: InvoiceStatus; currency: string };
  /** Oldest first. */
  creditNotes: CreditNoteView[];
  /** What a new credit note may still take from the balance, minor units. */
  fromBalance: number;
  /** What a new credit note may still give back of what was paid: only while the invoice is (partly) paid. */
  fromPaid: number;
};

/**
 * An invoice's credit notes and what a new one may still credit. Null for drafts, which have
 * none, and for an invoice that is not the organization's.
 */
export async function getInvoiceCreditNotes(db: Db, options: { organizationId: string; invoiceId: string }): Promise<InvoiceCreditNotes | null> {
  const invoice = await db.invoice.findFirst({
    where: { id: options.invoiceId, organizationId: options.organizationId },
    select: { id: true, number: true, status: true, currency: true, amountDue: true, amountPaid: true },
  });
  if (!invoice || invoice.status === "draft") return null;
  const [creditNotes, creditable] = await Promise.all([
    listCreditNotes(db, { organizationId: options.organizationId, invoiceId: invoice.id }),
    getCreditableAmounts(db, invoice),
  ]);
  const paid = invoice.status === "paid" || invoice.status === "partially_paid";
  return {
    invoice: { id: invoice.id, number: invoice.number, status: invoice.status, currency: invoice.currency },
    creditNotes,
    fromBalance: creditable.fromBalance,
    fromPaid: paid ? creditable.fromPaid : 0,
  };
}
