import type { Db, Tx } from "@/lib/db/client";
import type { Invoice, Prisma } from "@/lib/db/generated/client";
import { readSearchText } from "@/lib/search/search-text";
import { invoiceSearchWhere } from "@/lib/search/search-where";
import { columnKey, keysetPage, keysetWhere, sortOrderBy, type SortKey } from "@/lib/search/list-sort";
import { agingBucketDays } from "@/lib/analytics/aging-buckets";
import { clinicDaysRange, fromIsoDate, todayIn } from "./dates";
import { ZListInvoicesInput, type InvoiceSortColumn, type InvoiceView, type TListInvoicesInput } from "./invoices.types";
import { toInvoiceView } from "./to-invoice-view";

export type InvoicePage = { data: (InvoiceView & { patientName: string })[]; nextCursor: string | null };

type SortRow = Invoice & { patient: { lastName: string; firstName: string } };
type InvoiceSortKey = SortKey<SortRow, Prisma.InvoiceWhereInput, Prisma.InvoiceOrderByWithRelationInput>;

const column = columnKey<SortRow, Prisma.InvoiceWhereInput, Prisma.InvoiceOrderByWithRelationInput>;

/** The patient's last name, then first name: a column of the related patient. */
const patientNameKey = (field: "lastName" | "firstName"): InvoiceSortKey => ({
  orderBy: (direction) => ({ patient: { [field]: direction } }),
  value: (row) => row.patient[field],
  compare: (operator, value) => ({ patient: { [field]: { [operator]: value } } }),
  equals: (value) => ({ patient: { [field]: value as string } }),
});

const SORT_KEYS: Record<InvoiceSortColumn, InvoiceSortKey[]> = {
  created: [column("createdAt")],
  // Drafts have no number yet: they come last either way.
  number: [column("number", { nullsLast: true })],
  patient: [patientNameKey("lastName"), patientNameKey("firstName")],
  due: [column("dueDate", { nullsLast: true })],
  total: [column("total")],
  balance: [column("amountDue")],
};

/**
 * Invoices of this organization with filters (status, patient, number, aging bucket, finalization
 * days, a search of number and patient), sorted by one column with the id as tie-break (newest first by default), in pages of
 * `limit` after `cursor` (the last id of the previous page).
 */
export async function listInvoices(db: Db | Tx, options: { organizationId: string; input?: TListInvoicesInput }): Promise<InvoicePage> {
  const input = ZListInvoicesInput.parse(options.input ?? {});
  const organization = await db.organization.findUniqueOrThrow({ where: { id: options.organizationId }, select: { timezone: true, currency: true } });
  const where: Prisma.InvoiceWhereInput = { organizationId: options.organizationId };
  const and: Prisma.InvoiceWhereInput[] = [];
  if (input.status === "overdue") {
    where.status = { in: ["open", "partially_paid"] };
    where.dueDate = { lt: fromIsoDate(todayIn(organization.timezone)) };
  } else if (input.status === "outstanding") {
    where.status = { in: ["open", "partially_paid"] };
  } else if (input.status) {
    where.status = input.status;
  }
  if (input.age) {
    where.status = { in: ["open", "partially_paid"] };
    and.push({ finalizedAt: clinicDaysRange(agingBucketDays(input.age, todayIn(organization.timezone)), organization.timezone) });
  }
  if (input.finalizedFrom || input.finalizedTo)
    and.push({ finalizedAt: clinicDaysRange({ from: input.finalizedFrom, to: input.finalizedTo }, organization.timezone) });
  if (input.patientId) where.patientId = input.patientId;
  if (input.createdFrom || input.createdTo) where.createdAt = { gte: input.createdFrom, lte: input.createdTo };
  if (input.number) {
    const digits = input.number.replace(/\D/g, "");
    where.number = { contains: digits ? digits : input.number, mode: "insensitive" };
  }
  const search = readSearchText(input.query, organization.currency);
  if (search) and.push(invoiceSearchWhere(search));
  const keys = SORT_KEYS[input.sort];
  if (input.cursor) {
    const cursorRow = await db.invoice.findFirst({
      where: { id: input.cursor, organizationId: options.organizationId },
      include: { patient: { select: { firstName: true, lastName: true } } },
    });
    if (cursorRow) and.push(keysetWhere(keys, input.direction, cursorRow));
  }
  if (and.length) where.AND = and;
  const rows = await db.invoice.findMany({
    where,
    include: { lines: true, patient: { select: { firstName: true, lastName: true } } },
    orderBy: sortOrderBy(keys, input.direction),
    take: input.limit + 1,
  });
  const { page, nextCursor } = keysetPage(rows, input.limit);
  return {
    data: page.map((invoice) => ({
      ...toInvoiceView(invoice, organization.timezone),
      patientName: `${invoice.patient.firstName} ${invoice.patient.lastName}`,
    })),
    nextCursor,
  };
}
