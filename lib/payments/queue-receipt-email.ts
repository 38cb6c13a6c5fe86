import type { Tx } from "@/lib/db/client";
import { formatMoney } from "@/lib/money/currency";
import { escapeHtml } from "@/lib/utils/escape-html";


/**
 * Writes the payment receipt email to the outbox in the transaction that records the payment,
 * so it goes out exactly when the payment is known. Patients without an email get none.
 */
export async function queueReceiptEmail(tx: Tx, options: { paymentId: string; invoiceId: string; received: number; remaining: number }): Promise<void> {
  const invoice = await tx.invoice.findUniqueOrThrow({
    where: { id: options.invoiceId },
    include: { patient: { select: { firstName: true, email: true } }, organization: { select: { name: true } } },
  });
  if (!invoice.patient.email) return;
  const paid = formatMoney(options.received, invoice.currency);
  const remaining = formatMoney(options.remaining, invoice.currency);
  const subject = `Receipt: ${paid} paid to ${invoice.organization.name}`;
  const text = [
    `Hello ${invoice.patient.firstName},`,
    "",
    `Thank you for your payment of ${paid} toward invoice ${invoice.number}.`,
    options.remaining > 0 ? `Remaining balance: ${remaining}.` : "This invoice is now paid in full.",
    "",
    `Receipt number: ${options.paymentId.slice(0, 8).toUpperCase()}`,
    invoice.organization.name,
  ].join("\n");
  const html = `<p>Hello ${escapeHtml(invoice.patient.firstName)},</p><p>Thank you for your payment of <strong>${escapeHtml(paid)}</strong> toward invoice ${escapeHtml(invoice.number ?? "")}.</p><p>${options.remaining > 0 ? `Remaining balance: <strong>${escapeHtml(remaining)}</strong>.` : "This invoice is now paid in full."}</p><p>Receipt number: ${options.paymentId.slice(0, 8).toUpperCase()}<br>${escapeHtml(invoice.organization.name)}</p>`;
  await tx.email.create({
    data: { organizationId: invoice.organizationId, invoiceId: invoice.id, kind: "receipt", toAddress: invoice.patient.email, subject, text, html },
  });
}
