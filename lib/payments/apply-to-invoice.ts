import type { Tx } from "@/lib/db/client";
import { sqlOf, type Sql } from "@/lib/db/sql";
import type { InvoiceStatus } from "@/lib/db/generated/enums";
import { postJournal } from "@/lib/ledger/post-journal";

/** The invoice fields a payment changes, as read from a locked row. */
export type PayableInvoice = {
  id: string;
  organizationId: string;
  number: string | null;
  status: InvoiceStatus;
  currency: string;
  amountPaid: number;
  amountDue: number;
  amountWrittenOff: number;
};

/**
 * What a payment can still go toward on this invoice: its amount due while open or partly paid,
 * and for a written-off (uncollectible) invoice also what was written off, which a later payment
 * recovers. Nothing for drafts, void or paid invoices.
 */
export function payableBalance(invoice: Pick<PayableInvoice, "status" | "amountDue" | "amountWrittenOff">): number {
  if (invoice.status === "open" || invoice.status === "partially_paid") return invoice.amountDue;
  if (invoice.status === "uncollectible") return invoice.amountDue + invoice.amountWrittenOff;
  return 0;
}

/**
 * The status an invoice takes after a payment was applied or taken back: a write-off that is
 * still (partly) standing keeps it uncollectible; otherwise paid when nothing is due, partly paid
 * when something was paid, open when nothing was.
 */
export function settledStatus(invoice: { status: InvoiceStatus; amountDue: number; amountWrittenOff: number; amountPaid: number }): InvoiceStatus {
  if (invoice.amountWrittenOff > 0) return "uncollectible";
  if (invoice.status === "uncollectible" && invoice.amountDue > 0) return "uncollectible";
  if (invoice.amountDue === 0) return "paid";
  return invoice.amountPaid > 0 ? "partially_paid" : "open";
}

/**
 * Applies `amount` (at most `payableBalance(invoice)`) of a payment to one invoice the caller
 * has locked. On a written-off invoice the payment first recovers the write-off: journal
 * "payment.write_off_recovered" debits accounts receivable (invoiceId) and credits bad debt, so
 * the caller's normal credit to accounts receivable then settles it; `amountWrittenOff` moves to
 * `amountPaid`. `outstanding` is what the invoice still asks for, written off or not. Keeps amountDue = total − amountPaid − amountWrittenOff − amountCredited.
 */
export async function applyPaymentToInvoice(
  tx: Tx | Sql,
  options: { invoice: PayableInvoice; amount: number; paymentId: string },
): Promise<{ recovered: number; amountDue: number; outstanding: number; status: InvoiceStatus }> {
  const { invoice, amount } = options;
  if (amount <= 0) return { recovered: 0, amountDue: invoice.amountDue, outstanding: invoice.amountDue + invoice.amountWrittenOff, status: invoice.status };
  if (amount > payableBalance(invoice)) throw new Error(`applyPaymentToInvoice: ${amount} exceeds what invoice ${invoice.id} can take`);
  const recovered = invoice.status === "uncollectible" ? Math.min(amount, invoice.amountWrittenOff) : 0;
  if (recovered > 0) {
    await postJournal(tx, {
      organizationId: invoice.organizationId,
      currency: invoice.currency,
      kind: "payment.write_off_recovered",
      memo: `Written-off balance of ${invoice.number ?? "invoice"} recovered by a payment`,
      source: { type: "payment", id: options.paymentId },
      lines: [
        { account: "accountsReceivable", amount: recovered, invoiceId: invoice.id },
        { account: "badDebt", amount: -recovered },
      ],
    });
  }
  const next = {
    amountPaid: invoice.amountPaid + amount,
    amountWrittenOff: invoice.amountWrittenOff - recovered,
    amountDue: invoice.amountDue - (amount - recovered),
  };
  const status = settledStatus({ status: invoice.status, ...next });
  await sqlOf(tx).write(
    `UPDATE invoices SET amount_paid = $1::int, amount_written_off = $2::int, amount_due = $3::int, status = $4::"InvoiceStatus", updated_at = now() WHERE id = $5::uuid`,
    [next.amountPaid, next.amountWrittenOff, next.amountDue, status, invoice.id],
  );
  return { recovered, amountDue: next.amountDue, outstanding: next.amountDue + next.amountWrittenOff, status };
}
