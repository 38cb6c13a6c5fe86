import type { Db } from "@/lib/db/client";
import { getInvoiceOrThrow } from "@/lib/invoices/get-invoice";
import { toCreditNoteView, type CreditNoteView } from "./credit-notes.types";

/** An invoice's credit notes, oldest first. 404 for another organization's invoice. */
export async function listCreditNotes(db: Db, options: { organizationId: string; invoiceId: string }): Promise<CreditNoteView[]> {
  await getInvoiceOrThrow(db, { id: options.invoiceId, organizationId: options.organizationId });
  const creditNotes = await db.creditNote.findMany({
    where: { invoiceId: options.invoiceId, organizationId: options.organizationId },
    orderBy: { createdAt: "asc" },
  });
  return creditNotes.map(toCreditNoteView);
}
