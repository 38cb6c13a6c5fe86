import { z } from "zod";
import type { Db } from "@/lib/db/client";
import type { CreditNote, Prisma } from "@/lib/db/generated/client";
import { columnKey, keysetPage, keysetWhere, sortOrderBy, zListPageFields } from "@/lib/search/list-sort";
import { readSearchText } from "@/lib/search/search-text";
import { creditNoteSearchWhere } from "@/lib/search/search-where";
import { zSingleLineText } from "@/lib/validation/fields";
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

/** The columns the credit notes list sorts by; each with its first-click direction. */
export const CREDIT_NOTE_SORT_DIRECTIONS = { issued: "desc", amount: "desc" } as const;
export type CreditNoteSortColumn = keyof typeof CREDIT_NOTE_SORT_DIRECTIONS;
const column = columnKey<CreditNote, Prisma.CreditNoteWhereInput, Prisma.CreditNoteOrderByWithRelationInput>;
const SORT_KEYS: Record<CreditNoteSortColumn, ReturnType<typeof column>[]> = { issued: [column("createdAt")], amount: [column("amount")] };

export const ZListOrganizationCreditNotesInput = z.object({
  patientId: z.string().uuid().optional(),
  /** The credit note's or its invoice's number, or the patient's name, email, phone or MRN. */
  query: zSingleLineText().max(100).optional(),
  ...zListPageFields(CREDIT_NOTE_SORT_DIRECTIONS, "issued"),
});
export type TListOrganizationCreditNotesInput = z.input<typeof ZListOrganizationCreditNotesInput>;

export type CreditNoteListItem = CreditNoteView & { invoiceNumber: string | null; patientName: string };

/**
 * Every credit note of the organization with a patient filter and a search, sorted by one column
 * with the id as tie-break (newest first by default), in pages after `cursor`.
 */
export async function listOrganizationCreditNotes(
  db: Db,
  options: { organizationId: string; input?: TListOrganizationCreditNotesInput },
): Promise<{ data: CreditNoteListItem[]; nextCursor: string | null }> {
  const input = ZListOrganizationCreditNotesInput.parse(options.input ?? {});
  const where: Prisma.CreditNoteWhereInput = { organizationId: options.organizationId };
  const and: Prisma.CreditNoteWhereInput[] = [];
  if (input.patientId) where.patientId = input.patientId;
  const search = readSearchText(input.query);
  if (search) and.push(creditNoteSearchWhere(search));
  const keys = SORT_KEYS[input.sort];
  if (input.cursor) {
    const cursorRow = await db.creditNote.findFirst({ where: { id: input.cursor, organizationId: options.organizationId } });
    if (cursorRow) and.push(keysetWhere(keys, input.direction, cursorRow));
  }
  if (and.length) where.AND = and;
  const rows = await db.creditNote.findMany({
    where,
    include: { invoice: { select: { number: true } }, patient: { select: { firstName: true, lastName: true } } },
    orderBy: sortOrderBy(keys, input.direction),
    take: input.limit + 1,
  });
  const { page, nextCursor } = keysetPage(rows, input.limit);
  return {
    data: page.map((row) => ({ ...toCreditNoteView(row), invoiceNumber: row.invoice.number, patientName: `${row.patient.firstName} ${row.patient.lastName}` })),
    nextCursor,
  };
}
