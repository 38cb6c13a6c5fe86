import type { Db, Tx } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import type { InvoiceView } from "./invoices.types";
import { toInvoiceView } from "./to-invoice-view";

/** One invoice of this organization with its lines, or 404. */
export async function getInvoiceOrThrow(db: Db | Tx, options: { id: string; organizationId: string }) {
  const invoice = await db.invoice.findFirst({
    where: { id: options.id, organizationId: options.organizationId },
    include: { lines: true, organization: { select: { timezone: true } } },
  });
  if (!invoice) throw new AppError("NOT_FOUND", "That invoice does not exist.");
  return invoice;
}

export async function getInvoiceView(db: Db | Tx, options: { id: string; organizationId: string }): Promise<InvoiceView> {
  const invoice = await getInvoiceOrThrow(db, options);
  return toInvoiceView(invoice, invoice.organization.timezone);
}
