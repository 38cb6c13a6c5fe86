import { renderToBuffer } from "@react-pdf/renderer";
import type { Db, Tx } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { getPaymentAllocations } from "@/lib/payments/payment-view";
import { receiptNumber } from "@/lib/payments/receipt-number";
import { paymentStatusWords } from "@/lib/payments/payment-display-state";
import { pdfLetterhead } from "./letterhead";
import { ReceiptDocument, type ReceiptPdfData } from "./receipt-document";
import { formatCalendarDate, formatDay } from "@/lib/dates/format-date";

const METHOD_LABELS = {
  cash: "Cash",
  check: "Check",
  card_terminal: "Card (terminal)",
  bank_transfer: "Bank transfer",
  card: "Card",
  us_bank_account: "Bank account",
} as const;

function methodLabel(payment: {
  methodType: keyof typeof METHOD_LABELS;
  reference: string | null;
  cardBrand: string | null;
  cardLast4: string | null;
}): string {
  if (payment.methodType === "check") {
    // Staff type "1042", "#1042" or "Check #1042": print the number once.
    const number = payment.reference?.replace(/^\s*(check\b\s*)?(no\.\s*|no\s+|#\s*)?/i, "").trim();
    return number ? `Check no. ${number}` : "Check";
  }
  if (payment.methodType === "bank_transfer") return payment.reference ? `Bank transfer, ref. ${payment.reference}` : "Bank transfer";
  if (payment.cardLast4) {
    const brand = payment.cardBrand ? payment.cardBrand.charAt(0).toUpperCase() + payment.cardBrand.slice(1) : "Card";
    return `${brand} •••• ${payment.cardLast4}`;
  }
  return payment.reference ? `${METHOD_LABELS[payment.methodType]}, ref. ${payment.reference}` : METHOD_LABELS[payment.methodType];
}

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
