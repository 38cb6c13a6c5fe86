import { z } from "zod";
import type { Db, Tx } from "@/lib/db/client";
import type { Payment } from "@/lib/db/generated/client";
import type { InvoiceStatus } from "@/lib/db/generated/enums";
import { AppError } from "@/lib/errors";
import { PAYMENT_METHOD_TYPES, PAYMENT_STATUSES } from "./list-payments";
import { refundTotals } from "./payment-display-state";
import { PAYMENT_SOURCES } from "./payment-status";

const minorUnits = (description: string) => z.number().int().describe(`${description}, minor units`);
const timestamp = z.string().datetime();

/** A payment as the REST API shows it (ids only, no patient details). */
export const ZPaymentSummary = z.object({
  id: z.string().uuid(),
  status: z.enum(PAYMENT_STATUSES),
  source: z.enum(PAYMENT_SOURCES),
  method: z.enum(PAYMENT_METHOD_TYPES),
  currency: z.string().describe("ISO 4217"),
  amount: minorUnits("Asked for (for manual payments: received)"),
  amountReceived: minorUnits("Collected"),
  appliedAmount: minorUnits("Applied to invoices"),
  creditAmount: minorUnits("Kept as patient credit"),
  amountRefunded: minorUnits("Refunded (pending or done)"),
  refundedAmount: minorUnits("Refunded: refunds that succeeded only (amountRefunded also counts pending ones)"),
  receiptNumber: z.string().nullable().describe("The receipt's number in the organization's sequence, e.g. RCT-00001; null until the payment succeeded"),
  invoiceId: z
    .string()
    .uuid()
    .nullable()
    .describe(
      "The invoice a card payment was started for, or the first invoice a front-desk payment pays; null for a payment not made for one invoice. What it paid is in `allocations`",
    ),
  patientId: z.string().uuid().nullable().describe("The patient who paid; null for a payment that belongs to no single patient"),
  prepayment: z
    .boolean()
    .describe("Collected for no invoice (an estimate at check-in: manual, desk card or saved card): everything received became the patient's credit"),
  reference: z.string().nullable().describe("Check number or bank transfer reference"),
  receivedOn: z
    .string()
    .nullable()
    .describe("YYYY-MM-DD, manual payments: the day the money was received, on the clinic's calendar (organization's time zone)"),
  cashTendered: z.number().int().nullable().describe("Cash payments: the cash handed over, minor units; null for other methods"),
  changeGiven: z.number().int().nullable().describe("Cash payments: the change given back (cashTendered − amount), minor units; null for other methods"),
  cardBrand: z.string().nullable(),
  cardLast4: z.string().nullable(),
  disputed: z.boolean(),
  succeededAt: timestamp.nullable(),
  voidedAt: timestamp.nullable(),
  voidReason: z.string().nullable(),
  createdAt: timestamp,
});
export type PaymentSummary = z.infer<typeof ZPaymentSummary>;

/** One payment with where its money went and, read-only, its refunds and disputes. */
export const ZPaymentView = ZPaymentSummary.extend({
  allocations: z.array(z.object({ invoiceId: z.string().uuid(), invoiceNumber: z.string().nullable(), amount: minorUnits("Applied to this invoice") })),
  refunds: z.array(
    z.object({
      id: z.string().uuid(),
      amount: minorUnits("Refunded"),
      status: z.string(),
      reason: z.string(),
      mode: z.string(),
      creditNoteId: z.string().uuid().nullable(),
      createdAt: timestamp,
    }),
  ),
  disputes: z.array(
    z.object({ id: z.string().uuid(), amount: minorUnits("Disputed"), status: z.string(), reason: z.string(), evidenceDueBy: timestamp.nullable() }),
  ),
});
export type PaymentView = z.infer<typeof ZPaymentView>;

type SummaryFields = Pick<
  Payment,
  | "id"
  | "status"
  | "source"
  | "methodType"
  | "currency"
  | "amount"
  | "amountReceived"
  | "appliedAmount"
  | "creditAmount"
  | "amountRefunded"
  | "invoiceId"
  | "patientId"
  | "prepayment"
  | "reference"
  | "receivedOn"
  | "cashTendered"
  | "cardBrand"
  | "cardLast4"
  | "disputed"
  | "succeededAt"
  | "voidedAt"
  | "voidReason"
  | "createdAt"
  | "receiptNumber"
>;

/** A payment row for the API; `refundedAmount` is the sum of its succeeded refunds (the row keeps pending ones too). */
export function toPaymentSummary(payment: SummaryFields, refundedAmount: number): PaymentSummary {
  return {
    id: payment.id,
    status: payment.status,
    source: payment.source,
    method: payment.methodType,
    currency: payment.currency,
    amount: payment.amount,
    amountReceived: payment.amountReceived,
    appliedAmount: payment.appliedAmount,
    creditAmount: payment.creditAmount,
    amountRefunded: payment.amountRefunded,
    refundedAmount,
    receiptNumber: payment.receiptNumber,
    invoiceId: payment.invoiceId,
    patientId: payment.patientId,
    prepayment: payment.prepayment,
    reference: payment.reference,
    receivedOn: payment.receivedOn ? payment.receivedOn.toISOString().slice(0, 10) : null,
    cashTendered: payment.cashTendered,
    changeGiven: payment.cashTendered === null ? null : payment.cashTendered - payment.amount,
    cardBrand: payment.cardBrand,
    cardLast4: payment.cardLast4,
    disputed: payment.disputed,
    succeededAt: payment.succeededAt?.toISOString() ?? null,
    voidedAt: payment.voidedAt?.toISOString() ?? null,
    voidReason: payment.voidReason,
    createdAt: payment.createdAt.toISOString(),
  };
}

export type PaymentAllocationRow = {
  invoiceId: string;
  invoiceNumber: string | null;
  /** Applied to this invoice, minor units. */
  amount: number;
  /** The invoice as it is now: what it still owes (`amountDue + amountWrittenOff`) and its status. */
  invoice: { status: InvoiceStatus; amountDue: number; amountWrittenOff: number };
};

/** Where a payment's money went, invoice by invoice: its allocations (every kind of payment has them), each with its invoice as it is now. */
export async function getPaymentAllocations(db: Db | Tx, payment: Pick<Payment, "id">): Promise<PaymentAllocationRow[]> {
  const rows = await db.paymentAllocation.findMany({
    where: { paymentId: payment.id },
    include: { invoice: { select: { number: true, status: true, amountDue: true, amountWrittenOff: true } } },
    orderBy: [{ createdAt: "asc" }, { invoice: { finalizedAt: "asc" } }],
  });
  return rows.map(({ invoice, ...row }) => ({
    invoiceId: row.invoiceId,
    invoiceNumber: invoice.number,
    amount: row.amount,
    invoice: { status: invoice.status, amountDue: invoice.amountDue, amountWrittenOff: invoice.amountWrittenOff },
  }));
}

/** One payment of this organization for the API (404 for other organizations' payments). */
export async function getPaymentView(db: Db | Tx, options: { organizationId: string; paymentId: string }): Promise<PaymentView> {
  const payment = await db.payment.findFirst({ where: { id: options.paymentId, organizationId: options.organizationId } });
  if (!payment) throw new AppError("NOT_FOUND", "That payment does not exist.");
  const [allocations, refunds, disputes] = await Promise.all([
    getPaymentAllocations(db, payment),
    db.refund.findMany({ where: { paymentId: payment.id }, orderBy: { createdAt: "asc" } }),
    db.dispute.findMany({ where: { paymentId: payment.id }, orderBy: { createdAt: "asc" } }),
  ]);
  return {
    ...toPaymentSummary(payment, refundTotals(refunds).refunded),
    allocations: allocations.map(({ invoiceId, invoiceNumber, amount }) => ({ invoiceId, invoiceNumber, amount })),
    refunds: refunds.map((refund) => ({
      id: refund.id,
      amount: refund.amount,
      status: refund.status,
      reason: refund.reason,
      mode: refund.mode,
      creditNoteId: refund.creditNoteId,
      createdAt: refund.createdAt.toISOString(),
    })),
    disputes: disputes.map((dispute) => ({
      id: dispute.id,
      amount: dispute.amount,
      status: dispute.status,
      reason: dispute.reason,
      evidenceDueBy: dispute.evidenceDueBy?.toISOString() ?? null,
    })),
  };
}
