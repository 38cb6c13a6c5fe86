import type { Db, Tx } from "@/lib/db/client";
import type { EmailAttachment } from "@/lib/email/email-attachments";
import { formatMoney } from "@/lib/money/currency";
import { escapeHtml } from "@/lib/utils/escape-html";
import { getPaymentAllocations } from "./payment-view";
import { receiptNumber } from "./receipt-number";

/**
 * Writes a receipt email for one succeeded payment to the outbox, with the receipt PDF attached
 * (rendered at delivery). Used in the transaction that records a manual payment, and later when
 * staff send the receipt again. Returns false when the patient has no email address.
 */
export async function queuePaymentReceiptEmail(db: Db | Tx, options: { organizationId: string; paymentId: string }): Promise<boolean> {
  const payment = await db.payment.findFirstOrThrow({
    where: { id: options.paymentId, organizationId: options.organizationId },
    include: { patient: { select: { firstName: true, email: true } }, organization: { select: { name: true } } },
  });
  if (!payment.patient.email) return false;
  // Card payments pay one invoice without allocation rows; getPaymentAllocations covers both.
  const allocations = await getPaymentAllocations(db, payment);
  const invoices = await db.invoice.findMany({
    where: { id: { in: allocations.map((allocation) => allocation.invoiceId) }, organizationId: payment.organizationId },
    select: { id: true, amountDue: true, amountWrittenOff: true },
  });
  const owed = new Map(invoices.map((invoice) => [invoice.id, invoice.amountDue + invoice.amountWrittenOff]));
  const money = (amount: number) => formatMoney(amount, payment.currency);
  const number = receiptNumber(payment.id);
  const paid = money(payment.amountReceived);
  const clinic = payment.organization.name;
  const lines = allocations.map((allocation) => {
    const remaining = owed.get(allocation.invoiceId) ?? 0;
    return `${allocation.invoiceNumber}: ${money(allocation.amount)} applied, ${remaining > 0 ? `${money(remaining)} remaining` : "paid in full"}`;
  });
  const credit = payment.creditAmount > 0 ? `${money(payment.creditAmount)} is kept as credit on your account for future visits.` : null;
  const subject = `Receipt: ${paid} paid to ${clinic}`;
  const text = [`Hello ${payment.patient.firstName},`, "", `Thank you for your payment of ${paid}.`, "", ...lines, ...(credit ? ["", credit] : []), "", `Receipt number: ${number}`, "The receipt is attached as a PDF.", clinic].join("\n");
  const html = [
    `<p>Hello ${escapeHtml(payment.patient.firstName)},</p>`,
    `<p>Thank you for your payment of <strong>${escapeHtml(paid)}</strong>.</p>`,
    lines.length > 0 ? `<ul>${lines.map((line) => `<li>${escapeHtml(line)}</li>`).join("")}</ul>` : "",
    credit ? `<p>${escapeHtml(credit)}</p>` : "",
    `<p>Receipt number: ${number}<br>The receipt is attached as a PDF.<br>${escapeHtml(clinic)}</p>`,
  ].join("");
  const attachments: EmailAttachment[] = [{ type: "receipt_pdf", paymentId: payment.id, filename: `receipt-${number}.pdf` }];
  await db.email.create({
    data: { organizationId: payment.organizationId, invoiceId: payment.invoiceId, kind: "receipt", toAddress: payment.patient.email, subject, text, html, attachments },
  });
  return true;
}
