import { postalAddressLines } from "@/lib/addresses/postal-address";
import type { Db, Tx } from "@/lib/db/client";
import { getInvoiceOrThrow } from "@/lib/invoices/get-invoice";
import { isOverdue } from "@/lib/invoices/to-invoice-view";
import type { InvoicePdfData } from "./invoice-document";
import { pdfLetterhead } from "./letterhead";
import { qrCodePath } from "./qr-code-path";
import { dayFormatter, formatCalendarDate } from "@/lib/dates/format-date";
import { methodLabel } from "./payment-method-label";
import { sumInvoiceRefunds } from "@/lib/invoices/get-invoice-refund-totals";
import { receiptNumber } from "@/lib/payments/receipt-number";

const TERMS_LABELS = { due_on_receipt: "On receipt", net_15: "Net 15", net_30: "Net 30", custom: "Custom" } as const;

export type PayLink = { url: string };

/**
 * Loads what the invoice PDF shows, scoped to the organization (another organization's invoice
 * is NOT_FOUND), and makes the pay link's QR code when one is given and something is still due
 * (a paid, void or written-off invoice prints no pay block). Lists what paid the invoice and
 * the refunds of those payments.
 */
export async function loadInvoicePdfData(db: Db | Tx, options: { organizationId: string; invoiceId: string; payLink?: PayLink }): Promise<InvoicePdfData> {
  const invoice = await getInvoiceOrThrow(db, { id: options.invoiceId, organizationId: options.organizationId });
  const [organization, patient, allocations, refunds] = await Promise.all([
    db.organization.findUniqueOrThrow({ where: { id: options.organizationId }, include: { logo: true } }),
    db.patient.findFirstOrThrow({ where: { id: invoice.patientId, organizationId: options.organizationId } }),
    db.paymentAllocation.findMany({
      where: { invoiceId: invoice.id },
      include: {
        payment: {
          select: { id: true, receiptNumber: true, methodType: true, cardBrand: true, cardLast4: true, succeededAt: true, createdAt: true, reference: true },
        },
      },
      orderBy: { createdAt: "asc" },
    }),
    db.refund.findMany({ where: { invoiceId: invoice.id, status: { in: ["pending", "succeeded"] } }, orderBy: { createdAt: "asc" } }),
  ]);
  const refundTotals = sumInvoiceRefunds(refunds);
  const payable = (invoice.status === "open" || invoice.status === "partially_paid") && invoice.amountDue > 0;
  const cardOf = new Map(allocations.map(({ payment }) => [payment.id, payment]));
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
      refunds: refundTotals,
      // A draft has no amount due yet (it is set when finalized); its preview shows what it will be.
      balanceDue: invoice.status === "draft" ? invoice.total - invoice.amountPaid : invoice.amountDue,
    },
    payments: [
      ...allocations.map(({ payment, amount }) => ({
        date: issueDateFormat.format(payment.succeededAt ?? payment.createdAt),
        at: (payment.succeededAt ?? payment.createdAt).getTime(),
        description: `Payment, ${methodLabel(payment)} · receipt ${receiptNumber(payment)}`,
        amount,
      })),
      ...refunds.map((refund) => {
        const payment = cardOf.get(refund.paymentId);
        return {
          date: issueDateFormat.format(refund.succeededAt ?? refund.createdAt),
          at: (refund.succeededAt ?? refund.createdAt).getTime(),
          description: `Refund${payment ? ` to ${methodLabel(payment)}` : ""}${refund.status === "pending" ? " (pending)" : ""}`,
          amount: -(refund.amount - refund.fromCredit),
        };
      }),
    ]
      .sort((a, b) => a.at - b.at)
      .map(({ at: _at, ...row }) => row),
    ...(options.payLink && payable ? { payLink: { url: options.payLink.url, qrCode: qrCodePath(options.payLink.url) } } : {}),
  };
}
