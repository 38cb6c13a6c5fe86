import { renderToBuffer } from "@react-pdf/renderer";
import type { Db, Tx } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { getPaymentAllocations } from "@/lib/payments/payment-view";
import { receiptNumber } from "@/lib/payments/receipt-number";
import { paymentStatusWords } from "@/lib/payments/payment-display-state";
import { pdfLetterhead } from "./letterhead";
import { methodLabel } from "./payment-method-label";
import { ReceiptDocument, type ReceiptPdfData } from "./receipt-document";
import { formatCalendarDate, formatDay } from "@/lib/dates/format-date";

/**
 * Loads a succeeded payment's receipt, scoped to the organization (NOT_FOUND otherwise); other
 * states have no receipt (CONFLICT). Remaining balances are the invoices' as they are now.
 */
export async function loadReceiptPdfData(db: Db | Tx, options: { organizationId: string; paymentId: string }): Promise<ReceiptPdfData> {
  const payment = await db.payment.findFirst({
    where: { id: options.paymentId, organizationId: options.organizationId },
    include: { organization: { include: { logo: true } }, patient: { select: { firstName: true, lastName: true, externalId: true } } },
  });
  if (!payment) throw new AppError("NOT_FOUND", "That payment does not exist.");
  if (payment.status !== "succeeded") {
    throw new AppError("CONFLICT", `This payment is ${paymentStatusWords(payment.status)}; only completed payments have a receipt.`);
  }
  // Receipts are for a patient's payments; a payer's (no single patient) has none.
  const { patient } = payment;
  if (!patient) throw new AppError("NOT_FOUND", "This payment has no patient receipt.");
  const [allocations, refunds] = await Promise.all([
    getPaymentAllocations(db, payment),
    db.refund.findMany({ where: { paymentId: payment.id, status: "succeeded" }, select: { amount: true } }),
  ]);
  const organization = payment.organization;
  const receivedOn = payment.receivedOn
    ? formatCalendarDate(payment.receivedOn)
    : formatDay(payment.succeededAt ?? payment.createdAt, { timeZone: organization.timezone });
  return {
    ...pdfLetterhead(organization),
    patient: { name: `${patient.firstName} ${patient.lastName}`, externalId: patient.externalId },
    receipt: {
      number: receiptNumber(payment),
      currency: payment.currency,
      receivedOn,
      method: methodLabel(payment),
      amount: payment.amountReceived,
      allocations: allocations.map(({ invoice, ...allocation }) => ({
        invoiceNumber: allocation.invoiceNumber ?? "Invoice",
        applied: allocation.amount,
        remaining: invoice.amountDue + invoice.amountWrittenOff,
        writtenOff: invoice.amountWrittenOff > 0,
      })),
      credit: payment.creditAmount,
      // Only refunds that went through (a pending one may still fail).
      refunded: refunds.reduce((sum, refund) => sum + refund.amount, 0),
      cashTendered: payment.cashTendered,
    },
  };
}

/** A succeeded payment's receipt as a PDF, with its file name (receipt-XXXXXXXX.pdf). */
export async function renderReceiptPdfFile(db: Db | Tx, options: { organizationId: string; paymentId: string }): Promise<{ filename: string; pdf: Buffer }> {
  const data = await loadReceiptPdfData(db, options);
  const pdf = await renderToBuffer(<ReceiptDocument data={data} />);
  return { filename: `receipt-${data.receipt.number}.pdf`, pdf };
}
