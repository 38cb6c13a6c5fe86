import { postalAddressLines } from "@/lib/addresses/postal-address";
import type { Db, Tx } from "@/lib/db/client";
import { getInvoiceOrThrow } from "@/lib/invoices/get-invoice";
import { isOverdue } from "@/lib/invoices/to-invoice-view";
import type { InvoicePdfData } from "./invoice-document";
import { pdfLetterhead } from "./letterhead";
import { qrCodePath } from "./qr-code-path";
import { dayFormatter, formatCalendarDate } from "@/lib/dates/format-date";

const TERMS_LABELS = { due_on_receipt: "On receipt", net_15: "Net 15", net_30: "Net 30", custom: "Custom" } as const;

export type PayLink = { url: string };

/**
 * Loads what the invoice PDF shows, scoped to the organization (another organization's invoice
 * is NOT_FOUND), and makes the pay link's QR code when one is given.
 */
export async function loadInvoicePdfData(db: Db | Tx, options: { organizationId: string; invoiceId: string; payLink?: PayLink }): Promise<InvoicePdfData> {
  const invoice = await getInvoiceOrThrow(db, { id: options.invoiceId, organizationId: options.organizationId });
  const [organization, patient] = await Promise.all([
    db.organization.findUniqueOrThrow({ where: { id: options.organizationId }, include: { logo: true } }),
    db.patient.findFirstOrThrow({ where: { id: invoice.patientId, organizationId: options.organizationId } }),
  ]);
  const issueDateFormat = dayFormatter({ timeZone: organization.timezone });

  return {
    ...pdfLetterhead(organization),
    patient: {
      name: `${patient.firstName} ${patient.lastName}`,
      externalId: patient.externalId,
      addressLines: postalAddressLines(patient, { homeCountry: organization.country }),
    },
    invoice: {
      number: invoice.number,
      status: invoice.status,
      overdue: isOverdue(invoice, organization.timezone),
      currency: invoice.currency,
      issueDate: invoice.finalizedAt ? issueDateFormat.format(invoice.finalizedAt) : null,
      dueDate: invoice.dueDate ? formatCalendarDate(invoice.dueDate) : TERMS_LABELS[invoice.terms],
      taxRate: invoice.taxRateMilliPercent / 1000,
      discountPercent: invoice.discountType === "percent" ? invoice.discountValue / 1000 : null,
      memo: invoice.memo,
      lines: [...invoice.lines]
        .sort((a, b) => a.position - b.position)
        .map((line) => ({
          description: line.description,
          serviceCode: line.serviceCode,
          quantity: line.quantity,
          unitAmount: line.unitAmount,
          amount: line.amount,
          taxExempt: line.taxExempt,
        })),
      subtotal: invoice.subtotal,
      discountTotal: invoice.discountTotal,
      taxTotal: invoice.taxTotal,
      total: invoice.total,
      amountPaid: invoice.amountPaid,
      amountWrittenOff: invoice.amountWrittenOff,
      amountCredited: invoice.amountCredited,
      // A draft has no amount due yet (it is set when finalized); its preview shows what it will be.
      balanceDue: invoice.status === "draft" ? invoice.total - invoice.amountPaid : invoice.amountDue,
    },
    ...(options.payLink ? { payLink: { url: options.payLink.url, qrCode: qrCodePath(options.payLink.url) } } : {}),
  };
}
