import type { Db, Tx } from "@/lib/db/client";
import type { InvoiceStatus } from "@/lib/db/generated/enums";
import { payableBalance } from "@/lib/invoices/change-invoice-balance";
import { heldAmounts } from "./authorization-hold";

export type PayableInvoiceItem = {
  id: string;
  number: string | null;
  status: InvoiceStatus;
  currency: string;
  total: number;
  /** What a payment can still go toward (for written-off invoices: what was written off too). */
  balance: number;
  writtenOff: number;
  /** Card authorizations on it that staff have not captured or released yet (minor units): money the clinic may still collect by capturing. */
  held: number;
  /** YYYY-MM-DD or null. */
  dueDate: string | null;
  finalizedAt: Date | null;
};

/**
 * A patient's invoices that can take a manual payment, oldest first (by issue, then due date):
 * open and partly paid ones, then written-off (uncollectible) ones, which a payment recovers.
 */
export async function listPayableInvoices(db: Db | Tx, options: { organizationId: string; patientId: string }): Promise<PayableInvoiceItem[]> {
  const invoices = await db.invoice.findMany({
    where: { organizationId: options.organizationId, patientId: options.patientId, status: { in: ["open", "partially_paid", "uncollectible"] } },
    orderBy: [{ finalizedAt: "asc" }, { dueDate: "asc" }, { number: "asc" }],
    take: 200,
  });
  const heldByInvoice = await heldAmounts(
    db,
    invoices.map((invoice) => invoice.id),
  );
  return invoices
    .map((invoice) => ({
      id: invoice.id,
      number: invoice.number,
      status: invoice.status,
      currency: invoice.currency,
      total: invoice.total,
      balance: payableBalance(invoice),
      writtenOff: invoice.amountWrittenOff,
      held: heldByInvoice.get(invoice.id) ?? 0,
      dueDate: invoice.dueDate ? invoice.dueDate.toISOString().slice(0, 10) : null,
      finalizedAt: invoice.finalizedAt,
    }))
    .filter((invoice) => invoice.balance > 0)
    .sort((a, b) => Number(a.status === "uncollectible") - Number(b.status === "uncollectible"));
}
