import { randomUUID } from "node:crypto";
import { paymentStatusWords } from "@/lib/payments/payment-display-state";
import type Stripe from "stripe";
import type { Db, Tx } from "@/lib/db/client";
import type { Invoice } from "@/lib/db/generated/client";
import { recordAuditEvent, type AuditActor } from "@/lib/audit/record-audit-event";
import { getCreditableAmounts, issueCreditNoteInTransaction } from "@/lib/credit-notes/issue-credit-note";
import { AppError } from "@/lib/errors";
import { describeInvoiceState, lockInvoice } from "@/lib/invoices/lock-invoice";
import { changeInvoiceBalance } from "@/lib/invoices/change-invoice-balance";
import { postJournal } from "@/lib/ledger/post-journal";
import { lockPatientCredit } from "@/lib/patient-credit/credit-balances";
import { formatMoney } from "@/lib/money/currency";
import { REFUND_REASON_LABELS, ZRequestRefundInput, type TRequestRefundInput } from "./refunds.types";
import { submitRefund, type SubmittedRefund } from "./submit-refund";
import { patientPayment } from "@/lib/payments/payment-owner";
import { lockPaymentRow } from "@/lib/db/locks";
import { sql, sqlOf } from "@/lib/db/sql";

export type RefundInput = ReturnType<typeof ZRequestRefundInput.parse>;

/** What a payment can give back now, and how it splits, read under the payment's and invoice's locks. */
export type RefundableAmounts = {
  /** Received and not yet refunded (pending or succeeded). */
  unrefunded: number;
  /** Of it, what can come out of the patient's credit made by this payment's overpayment. */
  fromCredit: number;
  /** Of it, what the invoice can give back. */
  fromInvoice: number;
  /** What may be refunded now: min(unrefunded, fromCredit + fromInvoice). */
  refundable: number;
};

/**
 * The split of a refund of this payment: first from the overpayment (or, for a prepayment, the
 * whole amount) it left as patient credit (bounded by what is left of it and the patient's current
 * credit, so credit already spent on an invoice is never refunded), then from what it paid on the
 * invoice (bounded by what the invoice received and has not already credited back).
 */
export async function getRefundableAmounts(
  db: Db | Tx,
  options: {
    payment: {
      id: string;
      organizationId: string;
      patientId: string;
      currency: string;
      amountReceived: number;
      amountRefunded: number;
      appliedAmount: number;
      creditAmount: number;
    };
    /** Null for a prepayment: it paid no invoice, so only its credit can be refunded. */
    invoice: Pick<Invoice, "id" | "status" | "amountDue" | "amountPaid"> | null;
    creditBalance: number;
  },
): Promise<RefundableAmounts> {
  const { payment } = options;
  const earlier = await db.refund.aggregate({
    where: { paymentId: payment.id, status: { in: ["pending", "succeeded"] } },
    _sum: { amount: true, fromCredit: true },
  });
  const earlierFromCredit = earlier._sum.fromCredit ?? 0;
  const earlierFromInvoice = (earlier._sum.amount ?? 0) - earlierFromCredit;
  const creditable = options.invoice ? await getCreditableAmounts(db, options.invoice) : { fromPaid: 0 };
  const unrefunded = payment.amountReceived - payment.amountRefunded;
  const fromCredit = Math.max(0, Math.min(payment.creditAmount - earlierFromCredit, options.creditBalance));
  const fromInvoice = Math.max(0, Math.min(payment.appliedAmount - earlierFromInvoice, creditable.fromPaid));
  return { unrefunded, fromCredit, fromInvoice, refundable: Math.max(0, Math.min(unrefunded, fromCredit + fromInvoice)) };
}

/** Refuses payments that cannot be refunded through Stripe, with what staff should do instead. */
export function assertRefundablePayment(payment: { source: string; status: string; stripePaymentIntentId: string | null; disputed: boolean }): void {
  if (payment.source === "manual") {
    throw new AppError(
      "CONFLICT",
      "This payment was recorded by hand (cash, check, terminal or transfer), so Carebill cannot send it back. Void the manual payment instead and return the money the way it was received.",
    );
  }
  if (payment.status !== "succeeded" || !payment.stripePaymentIntentId) {
    throw new AppError("CONFLICT", `Only a completed card payment can be refunded; this one is ${paymentStatusWords(payment.status)}.`);
  }
  if (payment.disputed) {
    throw new AppError(
      "CONFLICT",
      "This payment has an open dispute (chargeback), and Stripe does not allow refunds while it is open. Respond to the dispute instead.",
    );
  }
}

/**
 * Transaction 1 of a refund: under the payment's and invoice's row locks, checks the amount,
 * reserves it on the payment (`amount_refunded`, with a conditional UPDATE that can never pass
 * `amount_received`), and books it with the Refund row (`pending`) and an audit event.
 *
 * The part that comes from the payment's overpayment credit: debit patient credit, credit Stripe
 * clearing. The invoice part r — `credit_note` mode: a credit note (disposition `refund`: debit
 * credit notes and sales tax, credit patient credit), then debit patient credit r, credit Stripe
 * clearing r, so the invoice stays settled; `reopen_balance` mode: debit accounts receivable r,
 * credit Stripe clearing r, and the invoice owes r again.
 */
export async function reserveRefund(
  tx: Tx,
  options: {
    organizationId: string;
    paymentId: string;
    actor: AuditActor;
    input: RefundInput;
    /** A refund Stripe already made (outside Carebill). */ stripeRefundId?: string;
    /** Refund only what is left of the credit this payment made ("Refund credit" on the patient's page), never its invoice part. */
    creditOnly?: boolean;
  },
): Promise<string> {
  const { input } = options;
  if (!(await lockPaymentRow(tx, { id: options.paymentId, organizationId: options.organizationId })))
    throw new AppError("NOT_FOUND", "That payment does not exist.");
  const payment = patientPayment(await tx.payment.findUniqueOrThrow({ where: { id: options.paymentId } }));
  assertRefundablePayment(payment);
  const money = (value: number) => formatMoney(value, payment.currency);
  if (payment.amountReceived - payment.amountRefunded <= 0) throw new AppError("CONFLICT", "This payment has already been refunded in full.");

  // A prepayment paid no invoice: only its credit (what is left of it) can go back.
  const invoice = payment.invoiceId ? await lockInvoice(tx, { id: payment.invoiceId, organizationId: options.organizationId }) : null;
  const creditBalance =
    payment.creditAmount > 0
      ? await lockPatientCredit(tx, { organizationId: options.organizationId, patientId: payment.patientId, currency: payment.currency })
      : 0;
  const computed = await getRefundableAmounts(tx, { payment, invoice, creditBalance });
  const amounts = options.creditOnly ? { ...computed, fromInvoice: 0, refundable: Math.min(computed.unrefunded, computed.fromCredit) } : computed;
  if (options.creditOnly && amounts.refundable <= 0) {
    throw new AppError("CONFLICT", "None of the patient's credit from this payment is left to refund: it was refunded already or has paid their invoices.");
  }
  if (amounts.refundable <= 0) {
    throw new AppError(
      "CONFLICT",
      payment.prepayment
        ? "Nothing more can be refunded from this prepayment: its credit was refunded already or has paid the patient's invoices."
        : "Nothing more can be refunded from this payment: what is left of it was credited back already or became patient credit that has since been used.",
    );
  }
  const amount = input.amount ?? amounts.refundable;
  if (amount > amounts.refundable) {
    throw new AppError("VALIDATION_FAILED", "That amount cannot be refunded.", {
      fields: {
        amount: [
          options.creditOnly
            ? `Refund at most ${money(amounts.refundable)}, the unused credit left from this payment.`
            : `Refund at most ${money(amounts.refundable)}, what is left to refund on this payment.`,
        ],
      },
    });
  }
  const fromCredit = Math.min(amount, amounts.fromCredit);
  const invoicePart = amount - fromCredit;
  if (invoice && input.mode === "reopen_balance" && invoicePart > 0 && invoice.status !== "paid" && invoice.status !== "partially_paid") {
    throw new AppError("CONFLICT", `${describeInvoiceState(invoice)}, so its balance cannot be reopened. Refund with a credit note instead.`);
  }

  const reserved = await sqlOf(tx).execute(sql`
    UPDATE payments SET amount_refunded = amount_refunded + ${amount}::int, updated_at = now()
    WHERE id = ${payment.id}::uuid AND amount_received - amount_refunded >= ${amount}::int`);
  if (reserved === 0) throw new AppError("CONFLICT", "Another refund of this payment was just made. Reload the page to see what is left to refund.");

  const refundId = randomUUID();
  const reasonText = `Refund: ${REFUND_REASON_LABELS[input.reason].toLowerCase()}${input.note ? ` (${input.note})` : ""}`.slice(0, 500);
  const creditNote =
    invoice && input.mode === "credit_note" && invoicePart > 0
      ? await issueCreditNoteInTransaction(tx, { invoice, amount: invoicePart, reason: reasonText, disposition: "refund", actor: options.actor })
      : null;
  await tx.refund.create({
    data: {
      id: refundId,
      organizationId: options.organizationId,
      paymentId: payment.id,
      invoiceId: invoice?.id ?? null,
      patientId: payment.patientId,
      currency: payment.currency,
      amount,
      fromCredit,
      reason: input.reason,
      note: input.note ?? null,
      mode: input.mode,
      creditNoteId: creditNote?.id ?? null,
      requestedById: options.actor.userId,
      stripeRefundId: options.stripeRefundId ?? null,
    },
  });
  const reopen = input.mode === "reopen_balance" ? invoicePart : 0;
  await postJournal(tx, {
    organizationId: options.organizationId,
    currency: payment.currency,
    kind: "refund.requested",
    memo: invoice ? `Card refund for ${invoice.number}` : "Card refund of prepayment credit",
    source: { type: "refund", id: refundId },
    lines: [
      { account: "patientCredit", amount: amount - reopen, patientId: payment.patientId },
      ...(invoice ? [{ account: "accountsReceivable" as const, amount: reopen, invoiceId: invoice.id }] : []),
      { account: "stripeClearing", amount: -amount },
    ],
  });
  if (invoice && reopen > 0) {
    await changeInvoiceBalance(tx, invoice, { kind: "unpay", amount: reopen });
  }
  await recordAuditEvent(tx, {
    organizationId: options.organizationId,
    actor: options.actor,
    action: "refund.requested",
    target: { type: "refund", id: refundId },
    after: {
      paymentId: payment.id,
      invoiceId: invoice?.id ?? null,
      ...(payment.prepayment ? { prepayment: true } : {}),
      amount,
      fromCredit,
      mode: input.mode,
      reason: input.reason,
      creditNoteId: creditNote?.id ?? null,
    },
  });
  return refundId;
}

/**
 * Refunds all or part of a succeeded card payment. Books and reserves it in one transaction
 * (reserveRefund), then, after commit, asks Stripe (idempotency key from the refund's id). If
 * Stripe refuses, a second transaction restores the books and the caller gets a 409 saying why;
 * if Stripe cannot be reached, the refund stays pending (`stripeUnreachable`), to be settled by
 * the webhook or sent again with the same key.
 */
export async function requestRefund(
  db: Db,
  options: { organizationId: string; paymentId: string; actor: AuditActor; input: TRequestRefundInput; creditOnly?: boolean; stripe?: Stripe },
): Promise<SubmittedRefund> {
  const input = ZRequestRefundInput.parse(options.input);
  const refundId = await db.$transaction((tx) =>
    reserveRefund(tx, { organizationId: options.organizationId, paymentId: options.paymentId, actor: options.actor, input, creditOnly: options.creditOnly }),
  );
  return submitRefund(db, { organizationId: options.organizationId, refundId, actor: options.actor, stripe: options.stripe });
}
