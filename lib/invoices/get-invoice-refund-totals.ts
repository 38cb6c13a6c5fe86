import type { Db, Tx } from "@/lib/db/client";
import type { InvoiceRefundTotals } from "./invoice-paid-figures";

/** The card refunds of one invoice, summed (invoicePaidFigures explains what each sum means). Failed and canceled refunds count for nothing. */
export async function getInvoiceRefundTotals(db: Db | Tx, invoiceId: string): Promise<InvoiceRefundTotals> {
  const refunds = await db.refund.findMany({
    where: { invoiceId, status: { in: ["pending", "succeeded"] } },
    select: { amount: true, fromCredit: true, status: true, mode: true },
  });
  return sumInvoiceRefunds(refunds);
}

/** The sums of an invoice's pending and succeeded refunds, from rows already read. */
export function sumInvoiceRefunds(refunds: readonly { amount: number; fromCredit: number; status: string; mode: string }[]): InvoiceRefundTotals {
  const totals: InvoiceRefundTotals = { refunded: 0, refundPending: 0, reopened: 0 };
  for (const refund of refunds) {
    const fromInvoice = refund.amount - refund.fromCredit;
    if (refund.status === "succeeded") totals.refunded += fromInvoice;
    else totals.refundPending += fromInvoice;
    if (refund.mode === "reopen_balance") totals.reopened += fromInvoice;
  }
  return totals;
}
