import type { Db } from "@/lib/db/client";
import { recordAuditEvent, type AuditActor } from "@/lib/audit/record-audit-event";
import { AppError } from "@/lib/errors";
import { formatMoney } from "@/lib/money/currency";
import { escapeHtml } from "@/lib/utils/escape-html";
import { clinicEmailLogoHtml, clinicEmailSignature } from "@/lib/email/clinic-email-parts";
import { clinicContact, howToReach } from "@/lib/organizations/clinic-contact";
import { createPaymentLink } from "@/lib/payment-links/create-payment-link";
import type { InvoiceView } from "./invoices.types";
import { assertStatus, lockInvoice } from "./lock-invoice";
import { toInvoiceView } from "./to-invoice-view";
import { formatCalendarDate } from "@/lib/dates/format-date";

/**
 * Sends a finalized invoice to the patient: in one transaction, issues a fresh pay link, marks
 * the invoice sent and writes the email (pay link, and the invoice PDF with the link's QR code as
 * an attachment rendered at delivery) to the outbox. Nothing is
 * delivered unless the transaction commits; the worker delivers what the outbox holds.
 * Sending again re-sends (a reminder).
 */
export async function sendInvoice(db: Db, options: { organizationId: string; invoiceId: string; actor: AuditActor }): Promise<InvoiceView> {
  return db.$transaction(async (tx) => {
    const invoice = await lockInvoice(tx, { id: options.invoiceId, organizationId: options.organizationId });
    assertStatus(invoice, ["open", "partially_paid", "paid"], "sent");
    const [patient, organization] = await Promise.all([
      tx.patient.findUniqueOrThrow({ where: { id: invoice.patientId } }),
      tx.organization.findUniqueOrThrow({ where: { id: options.organizationId }, include: { logo: { select: { sha256: true } } } }),
    ]);
    if (!patient.email) {
      throw new AppError("VALIDATION_FAILED", "This patient has no email address. Add one to send the invoice.", {
        fields: { email: ["The patient has no email address."] },
      });
    }
    const payable = invoice.status === "open" || invoice.status === "partially_paid";
    // Each send issues a fresh pay link; links sent before stop working.
    const payLink = payable ? await createPaymentLink(tx, { organizationId: options.organizationId, invoiceId: invoice.id, actor: options.actor }) : null;
    const amountDue = formatMoney(invoice.amountDue, invoice.currency);
    const dueDate = invoice.dueDate ? formatCalendarDate(invoice.dueDate) : "on receipt";
    const subject = `Invoice ${invoice.number} from ${organization.name}`;
    const clinic = clinicContact(organization);
    const signature = clinicEmailSignature(clinic);
    const text = [
      `Hello ${patient.firstName},`,
      "",
      `Your invoice ${invoice.number} from ${organization.name} is attached.`,
      `Amount due: ${amountDue}, due ${dueDate}.`,
      ...(payLink ? ["", `Pay online: ${payLink.url}`] : []),
      "",
      `Questions? Reply to this email or ${howToReach(clinic)}.`,
      "",
      ...signature.text,
    ].join("\n");
    const html = `${clinicEmailLogoHtml(clinic)}<p>Hello ${escapeHtml(patient.firstName)},</p><p>Your invoice <strong>${escapeHtml(invoice.number ?? "")}</strong> from ${escapeHtml(organization.name)} is attached.</p><p>Amount due: <strong>${escapeHtml(amountDue)}</strong>, due ${escapeHtml(dueDate)}.</p>${payLink ? `<p><a href="${escapeHtml(payLink.url)}">Pay online</a></p>` : ""}<p>Questions? Reply to this email or ${escapeHtml(howToReach(clinic))}.</p>${signature.html}`;
    await tx.email.create({
      data: {
        organizationId: options.organizationId,
        invoiceId: invoice.id,
        kind: "invoice",
        toAddress: patient.email,
        subject,
        text,
        html,
        attachments: [{ type: "invoice_pdf", invoiceId: invoice.id, filename: `${invoice.number}.pdf`, ...(payLink ? { payUrl: payLink.url } : {}) }],
      },
    });
    const sent = await tx.invoice.update({ where: { id: invoice.id }, data: { sentAt: new Date() }, include: { lines: true } });
    await recordAuditEvent(tx, {
      organizationId: options.organizationId,
      actor: options.actor,
      action: "invoice.sent",
      target: { type: "invoice", id: invoice.id },
    });
    return toInvoiceView(sent, organization.timezone);
  });
}
