import type { Tx } from "@/lib/db/client";
import { sqlOf, type Sql } from "@/lib/db/sql";
import { formatMoney } from "@/lib/money/currency";
import { escapeHtml } from "@/lib/utils/escape-html";

export type ReceiptRecipient = { firstName: string; email: string | null; organizationName: string };

/**
 * Writes the payment receipt email to the outbox in the transaction that records the payment,
 * so it goes out exactly when the payment is known. Patients without an email get none.
 */
export async function queueReceiptEmail(
  tx: Tx | Sql,
  options: {
    paymentId: string;
    /** The invoice as the caller already holds it (locked): not read again. */
    invoice: { id: string; organizationId: string; patientId: string; number: string | null; currency: string };
    received: number;
    remaining: number;
    /** Who gets it, when the caller already read it (the webhook reads it with the invoice lock). */
    recipient?: ReceiptRecipient;
  },
): Promise<void> {
  const sql = sqlOf(tx);
  const [row] = options.recipient
    ? [options.recipient]
    : await sql.query<ReceiptRecipient>(
        `SELECT p.first_name AS "firstName", p.email, o.name AS "organizationName"
         FROM patients p JOIN organizations o ON o.id = p.organization_id
         WHERE p.id = $1::uuid AND p.organization_id = $2::uuid`,
        [options.invoice.patientId, options.invoice.organizationId],
      );
  if (!row) throw new Error(`patient ${options.invoice.patientId} not found for a receipt`);
  const patient = { firstName: row.firstName, email: row.email };
  const organization = { name: row.organizationName };
  if (!patient.email) return;
  const { invoice } = options;
  const paid = formatMoney(options.received, invoice.currency);
  const remaining = formatMoney(options.remaining, invoice.currency);
  const subject = `Receipt: ${paid} paid to ${organization.name}`;
  const text = [
    `Hello ${patient.firstName},`,
    "",
    `Thank you for your payment of ${paid} toward invoice ${invoice.number}.`,
    options.remaining > 0 ? `Remaining balance: ${remaining}.` : "This invoice is now paid in full.",
    "",
    `Receipt number: ${options.paymentId.slice(0, 8).toUpperCase()}`,
    organization.name,
  ].join("\n");
  const html = `<p>Hello ${escapeHtml(patient.firstName)},</p><p>Thank you for your payment of <strong>${escapeHtml(paid)}</strong> toward invoice ${escapeHtml(invoice.number ?? "")}.</p><p>${options.remaining > 0 ? `Remaining balance: <strong>${escapeHtml(remaining)}</strong>.` : "This invoice is now paid in full."}</p><p>Receipt number: ${options.paymentId.slice(0, 8).toUpperCase()}<br>${escapeHtml(organization.name)}</p>`;
  await sql.write(
    `INSERT INTO emails (organization_id, invoice_id, kind, to_address, subject, text, html, updated_at)
     VALUES ($1::uuid, $2::uuid, 'receipt', $3, $4, $5, $6, now())`,
    [invoice.organizationId, invoice.id, patient.email, subject, text, html],
  );
}
