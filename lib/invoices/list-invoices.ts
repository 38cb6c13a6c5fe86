import type { Db, Tx } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";
import { fromIsoDate, todayIn } from "./dates";
import { ZListInvoicesInput, type InvoiceView, type TListInvoicesInput } from "./invoices.types";
import { toInvoiceView } from "./to-invoice-view";

export type InvoicePage = { data: (InvoiceView & { patientName: string })[]; nextCursor: string | null };

/** Invoices of this organization, newest first, with filters and cursor pagination. */
export async function listInvoices(db: Db | Tx, options: { organizationId: string; input?: TListInvoicesInput }): Promise<InvoicePage> {
  const input = ZListInvoicesInput.parse(options.input ?? {});
  const organization = await db.organization.findUniqueOrThrow({ where: { id: options.organizationId }, select: { timezone: true } });
  const where: Prisma.InvoiceWhereInput = { organizationId: options.organizationId };
  if (input.status === "overdue") {
    where.status = { in: ["open", "partially_paid"] };
    where.dueDate = { lt: fromIsoDate(todayIn(organization.timezone)) };
  } else if (input.status === "outstanding") {
    where.status = { in: ["open", "partially_paid"] };
  } else if (input.status) {
    where.status = input.status;
  }
  if (input.patientId) where.patientId = input.patientId;
  if (input.createdFrom || input.createdTo) where.createdAt = { gte: input.createdFrom, lte: input.createdTo };
  if (input.number) {
    const digits = input.number.replace(/\D/g, "");
    where.number = { contains: digits ? digits : input.number, mode: "insensitive" };
  }
  const rows = await db.invoice.findMany({
    where,
    include: { lines: true, patient: { select: { firstName: true, lastName: true } } },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: input.limit + 1,
    ...(input.cursor ? { cursor: { id: input.cursor }, skip: 1 } : {}),
  });
  const page = rows.slice(0, input.limit);
  return {
    data: page.map((invoice) => ({
      ...toInvoiceView(invoice, organization.timezone),
      patientName: `${invoice.patient.firstName} ${invoice.patient.lastName}`,
    })),
    nextCursor: rows.length > input.limit ? (page.at(-1)?.id ?? null) : null,
  };
}
