import { sql, type Sql } from "@/lib/db/sql";

/**
 * For a payment made by an autopay charge of a plan's installment: the plan's other invoices
 * that still owe, oldest first, which receive what its own invoice did not need. Empty for any
 * other payment. (They are locked after the payment's own invoice, not in ascending id order: a
 * rare deadlock with a plan being created for the same patient rolls one back, to be retried.)
 */
export async function planSiblingInvoiceIds(runner: Sql, options: { paymentId: string; exceptInvoiceId: string }): Promise<string[]> {
  const rows = await runner.query<{ id: string }>(sql`
    SELECT inv.id FROM autopay_charges c
    JOIN payment_plan_installments i ON c.subject_type = 'plan_installment' AND i.id = c.subject_id
    JOIN payment_plan_invoices ppi ON ppi.plan_id = i.plan_id
    JOIN invoices inv ON inv.id = ppi.invoice_id
    WHERE c.payment_id = ${options.paymentId}::uuid AND inv.id <> ${options.exceptInvoiceId}::uuid AND inv.status IN ('open', 'partially_paid')
    ORDER BY inv.finalized_at NULLS LAST, inv.due_date NULLS LAST, inv.number`);
  return rows.map((row) => row.id);
}
