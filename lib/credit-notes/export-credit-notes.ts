import type { Db } from "@/lib/db/client";
import { csvAmount, csvDateTime, csvFromPages } from "@/lib/csv/csv";
import { listOrganizationCreditNotes, type TListOrganizationCreditNotesInput } from "./list-credit-notes";

/** The credit notes list with its filter, search and sort as CSV, read in keyset batches (constant memory). */
export async function* exportCreditNotesCsv(
  db: Db,
  options: { organizationId: string; input: Omit<TListOrganizationCreditNotesInput, "cursor" | "limit"> },
): AsyncGenerator<string> {
  const { timezone } = await db.organization.findUniqueOrThrow({ where: { id: options.organizationId }, select: { timezone: true } });
  yield* csvFromPages({
    header: ["number", "issued", "patient", "invoice", "disposition", "status", "reason", "currency", "amount", "tax"],
    page: (cursor, limit) => listOrganizationCreditNotes(db, { organizationId: options.organizationId, input: { ...options.input, cursor, limit } }),
    row: (creditNote) => [
      creditNote.number,
      csvDateTime(new Date(creditNote.createdAt), timezone),
      creditNote.patientName,
      creditNote.invoiceNumber,
      creditNote.disposition,
      creditNote.status,
      creditNote.reason,
      creditNote.currency,
      csvAmount(creditNote.amount, creditNote.currency),
      csvAmount(creditNote.taxAmount, creditNote.currency),
    ],
  });
}
