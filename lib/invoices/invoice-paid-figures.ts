import { formatMoney } from "@/lib/money/currency";

/** An invoice's card refunds, minor units: the part of each refund that came from the invoice (not from patient credit). */
export type InvoiceRefundTotals = {
  /** Refunds Stripe confirmed. */
  refunded: number;
  /** Refunds asked for, not confirmed yet. */
  refundPending: number;
  /** Of refunded + refundPending, what reopened the invoice's balance (already taken off its amount paid). */
  reopened: number;
};

export const NO_REFUNDS: InvoiceRefundTotals = { refunded: 0, refundPending: 0, reopened: 0 };

/** What people read about an invoice's payments: paid (as collected), refunded, refund pending, and net paid. */
export type InvoicePaidFigures = { paid: number; refunded: number; refundPending: number; netPaid: number };

/**
 * The one derivation of an invoice's paid figures (staff invoice page, patient pay page, invoice PDF).
 * A refund that reopened the balance was taken off `amountPaid` when it was asked for; it is added
 * back so "Paid" is what was collected and "Refunded" what went back, whatever the refund's mode.
 */
export function invoicePaidFigures(invoice: { amountPaid: number }, refunds: InvoiceRefundTotals = NO_REFUNDS): InvoicePaidFigures {
  const paid = invoice.amountPaid + refunds.reopened;
  return { paid, refunded: refunds.refunded, refundPending: refunds.refundPending, netPaid: paid - refunds.refunded - refunds.refundPending };
}

/** The totals rows for those figures, in order; amounts taken off are written "−$40.00" (a true minus sign). */
export function invoicePaidRows(figures: InvoicePaidFigures, currency: string): { label: string; value: string; testId: string }[] {
  const money = (amount: number) => formatMoney(amount, currency);
  const minus = (amount: number) => `−${money(amount)}`;
  const refundedAny = figures.refunded > 0 || figures.refundPending > 0;
  return [
    { label: "Paid", value: money(figures.paid), testId: "invoice-paid" },
    ...(figures.refunded > 0 ? [{ label: "Refunded", value: minus(figures.refunded), testId: "invoice-refunded" }] : []),
    ...(figures.refundPending > 0 ? [{ label: "Refund pending", value: minus(figures.refundPending), testId: "invoice-refund-pending" }] : []),
    ...(refundedAny ? [{ label: "Net paid", value: money(figures.netPaid), testId: "invoice-net-paid" }] : []),
  ];
}
