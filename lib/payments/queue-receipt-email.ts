import type { Db, Tx } from "@/lib/db/client";
import { sql, sqlOf, type Sql } from "@/lib/db/sql";
import type { EmailAttachment } from "@/lib/email/email-attachments";
import { formatMoney } from "@/lib/money/currency";
import { escapeHtml } from "@/lib/utils/escape-html";
import { clinicEmailLogoHtml, clinicEmailSignature } from "@/lib/email/clinic-email-parts";
import { clinicContact, CONTACT_ORGANIZATION_SELECT, howToReach, type ContactOrganization } from "@/lib/organizations/clinic-contact";
import { getPaymentAllocations } from "./payment-view";
import { receiptNumber } from "./receipt-number";

export type ReceiptRecipient = { firstName: string; email: string | null; clinic: ContactOrganization };

/** Everything a payment's receipt says: who paid, what, and what each invoice it paid still owes. */
export type ReceiptContent = {
  organizationId: string;
  paymentId: string;
  /** RCT-00001 (receipt-number.ts); null only for a payment recorded before receipt numbers. */
  receiptNumber: string | null;
  currency: string;
  /** What was collected. */
  received: number;
  /** What was kept as patient credit. */
  credit: number;
  /** What was received beyond what was owed and goes back to the card (an automatic refund). */
  excessRefunded: number;
  recipient: ReceiptRecipient;
  /** The invoices it paid (its allocations), with what each still owes after it (written off or not). */
  lines: { invoiceId: string; invoiceNumber: string | null; applied: number; remaining: number }[];
};

/**
 * The one receipt writer: puts the receipt email of a succeeded payment (card or front desk) in
 * the outbox, with the receipt PDF attached (rendered at delivery). Runs in the transaction that
 * records the payment, so it goes out exactly when the payment is known, or later when staff send
 * it again. Returns false when the patient has no email address.
 */
export async function queueReceiptEmail(tx: Tx | Sql, content: ReceiptContent): Promise<boolean> {
  const { recipient } = content;
  if (!recipient.email) return false;
  const money = (amount: number) => formatMoney(amount, content.currency);
  const number = receiptNumber({ id: content.paymentId, receiptNumber: content.receiptNumber });
  const paid = money(content.received);
  const clinic = recipient.clinic.name;
  const contact = clinicContact(recipient.clinic);
  const signature = clinicEmailSignature(contact);
  const lines = content.lines.map(
    (line) =>
      `${line.invoiceNumber ?? "Invoice"}: ${money(line.applied)} applied, ${line.remaining > 0 ? `${money(line.remaining)} remaining` : "paid in full"}`,
  );
  const credit =
    [
      ...(content.credit > 0 ? [`${money(content.credit)} is kept as credit on your account for future visits.`] : []),
      ...(content.excessRefunded > 0 ? [`${money(content.excessRefunded)} was more than you owed and is being refunded to your card.`] : []),
    ].join(" ") || null;
  const subject = `Receipt: ${paid} paid to ${clinic}`;
  const text = [
    `Hello ${recipient.firstName},`,
    "",
    `Thank you for your payment of ${paid}.`,
    "",
    ...lines,
    ...(credit ? ["", credit] : []),
    "",
    `Receipt number: ${number}`,
    "The receipt is attached as a PDF.",
    `Questions? Reply to this email or ${howToReach(contact)}.`,
    "",
    ...signature.text,
  ].join("\n");
  const html = [
    clinicEmailLogoHtml(contact),
    `<p>Hello ${escapeHtml(recipient.firstName)},</p>`,
    `<p>Thank you for your payment of <strong>${escapeHtml(paid)}</strong>.</p>`,
    lines.length > 0 ? `<ul>${lines.map((line) => `<li>${escapeHtml(line)}</li>`).join("")}</ul>` : "",
    credit ? `<p>${escapeHtml(credit)}</p>` : "",
    `<p>Receipt number: ${number}<br>The receipt is attached as a PDF.</p>`,
    `<p>Questions? Reply to this email or ${escapeHtml(howToReach(contact))}.</p>`,
    signature.html,
  ].join("");
  const attachments: EmailAttachment[] = [{ type: "receipt_pdf", paymentId: content.paymentId, filename: `receipt-${number}.pdf` }];
  await sqlOf(tx).write(
    sql`
    INSERT INTO emails (organization_id, invoice_id, kind, to_address, subject, text, html, attachments, updated_at)
    VALUES (${content.organizationId}::uuid, ${content.lines[0]?.invoiceId ?? null}::uuid, 'receipt', ${recipient.email}, ${subject}, ${text}, ${html}, ${JSON.stringify(attachments)}::jsonb, now())`,
    { joins: ["emails"] },
  );
  return true;
}

/**
 * A recorded payment's receipt content: the payment with its patient and clinic, and its
 * allocations with what each invoice owes now (getPaymentAllocations). Null for a payment that
 * belongs to no patient (nobody to send a receipt to) or does not exist.
 */
export async function loadReceiptContent(db: Db | Tx, options: { organizationId: string; paymentId: string }): Promise<ReceiptContent | null> {
  const payment = await db.payment.findFirst({
    where: { id: options.paymentId, organizationId: options.organizationId },
    include: { patient: { select: { firstName: true, email: true } }, organization: { select: CONTACT_ORGANIZATION_SELECT } },
  });
  if (!payment?.patient) return null;
  const allocations = await getPaymentAllocations(db, payment);
  // Card payments refund what exceeded the balance unless the patient chose to keep it as credit.
  const keptAsCredit = payment.source === "manual" || payment.keepExcessAsCredit || payment.prepayment;
  return {
    organizationId: options.organizationId,
    paymentId: payment.id,
    receiptNumber: payment.receiptNumber,
    currency: payment.currency,
    received: payment.amountReceived,
    credit: keptAsCredit ? payment.creditAmount : 0,
    excessRefunded: keptAsCredit ? 0 : payment.creditAmount,
    recipient: {
      firstName: payment.patient.firstName,
      email: payment.patient.email,
      clinic: payment.organization,
    },
    lines: allocations.map(({ invoiceId, invoiceNumber, amount, invoice }) => ({
      invoiceId,
      invoiceNumber,
      applied: amount,
      remaining: invoice.amountDue + invoice.amountWrittenOff,
    })),
  };
}

/** loadReceiptContent, then queueReceiptEmail: the receipt of a payment already recorded. False when there is nobody to email. */
export async function queueStoredPaymentReceipt(tx: Db | Tx, options: { organizationId: string; paymentId: string }): Promise<boolean> {
  const content = await loadReceiptContent(tx, options);
  return content ? queueReceiptEmail(tx, content) : false;
}
