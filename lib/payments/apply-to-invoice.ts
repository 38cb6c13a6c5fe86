import type { Tx } from "@/lib/db/client";
import { sql, sqlOf, type Sql } from "@/lib/db/sql";
import { changeInvoiceBalance, type InvoiceBalance } from "@/lib/invoices/change-invoice-balance";
import type { InvoiceStatus } from "@/lib/db/generated/enums";
import { postJournal } from "@/lib/ledger/post-journal";

/** The invoice fields a payment changes, as read from a locked row. */
export type PayableInvoice = InvoiceBalance & { organizationId: string; currency: string };

/**
 * Applies `amount` (at most `payableBalance(invoice)`, which changeInvoiceBalance enforces) of a
 * payment to one invoice the caller has locked, and records it as the payment's allocation to that
 * invoice (card and manual payments alike). On a written-off invoice the payment first recovers
 * the write-off: journal "payment.write_off_recovered" debits accounts receivable (invoiceId) and
 * credits bad debt, so the caller's normal credit to accounts receivable then settles it.
 * `outstanding` is what the invoice still asks for, written off or not.
 */
export async function applyPaymentToInvoice(
  tx: Tx | Sql,
  options: { invoice: PayableInvoice; amount: number; paymentId: string },
): Promise<{ recovered: number; amountDue: number; outstanding: number; status: InvoiceStatus }> {
  const { invoice, amount } = options;
  if (amount <= 0) return { recovered: 0, amountDue: invoice.amountDue, outstanding: invoice.amountDue + invoice.amountWrittenOff, status: invoice.status };
  const changed = await changeInvoiceBalance(tx, invoice, { kind: "pay", amount });
  // What the payment paid: its allocation, the one record of it for every kind of payment.
  await sqlOf(tx).write(
    sql`INSERT INTO payment_allocations (payment_id, invoice_id, amount) VALUES (${options.paymentId}::uuid, ${invoice.id}::uuid, ${amount}::int)`,
    { joins: ["payment_allocations"] },
  );
  if (changed.recovered > 0) {
    await postJournal(tx, {
      organizationId: invoice.organizationId,
      currency: invoice.currency,
      kind: "payment.write_off_recovered",
      memo: `Written-off balance of ${invoice.number ?? "invoice"} recovered by a payment`,
      source: { type: "payment", id: options.paymentId },
      lines: [
        { account: "accountsReceivable", amount: changed.recovered, invoiceId: invoice.id },
        { account: "badDebt", amount: -changed.recovered },
      ],
    });
  }
  return { recovered: changed.recovered, amountDue: changed.amountDue, outstanding: changed.amountDue + changed.amountWrittenOff, status: changed.status };
}
