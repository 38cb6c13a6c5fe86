import { randomUUID } from "node:crypto";
import type Stripe from "stripe";
import { z } from "zod";
import { recordAuditEvent, type AuditActor } from "@/lib/audit/record-audit-event";
import type { Db, Tx } from "@/lib/db/client";
import { lockPatientCredit, lockPaymentRow } from "@/lib/db/locks";
import { sql, sqlOf } from "@/lib/db/sql";
import { AppError } from "@/lib/errors";
import { postJournal } from "@/lib/ledger/post-journal";
import { formatMoney, MAX_AMOUNT } from "@/lib/money/currency";
import { MANUAL_METHOD_LABELS, type ManualPaymentMethod } from "@/lib/payments/manual-payments.types";
import { patientPayment } from "@/lib/payments/payment-owner";
import { MANUAL_DEBIT_ACCOUNT } from "@/lib/payments/record-manual-payment";
import { requestRefund } from "@/lib/refunds/request-refund";
import { zMultilineText } from "@/lib/validation/fields";

export const ZRefundPatientCreditInput = z.object({
  paymentId: z.string().uuid("Choose the payment whose credit to refund."),
  amount: z
    .number({ error: "Enter an amount." })
    .int("Use whole minor units (cents).")
    .positive("Enter an amount above zero.")
    .max(MAX_AMOUNT, "That amount is too large.")
    .describe("Minor units of unused credit to give back"),
  note: zMultilineText().max(500, "Keep the note under 500 characters.").optional().describe("Why, kept with the refund"),
});
export type TRefundPatientCreditInput = z.input<typeof ZRefundPatientCreditInput>;

export type CreditRefunded = {
  refundId: string;
  /** `card`: sent back to the card through Stripe (pending until Stripe answers); `manual`: handed back at the desk, done. */
  method: "card" | "manual";
  amount: number;
  currency: string;
  status: string;
  /** Card only: Stripe could not be reached; the refund stays pending and is sent again. */
  stripeUnreachable: boolean;
};

/** A payment of this patient whose credit may still be given back, and how much (see `listRefundableCredit`). */
export type RefundableCredit = {
  paymentId: string;
  receiptNumber: string | null;
  currency: string;
  /** "Visa •••• 4242", or the manual method ("Cash"). */
  label: string;
  method: "card" | "manual";
  prepayment: boolean;
  receivedAt: string;
  /** The credit this payment made that is neither refunded nor spent (bounded by the patient's balance now). */
  refundable: number;
  /** Why it cannot be refunded now (an open dispute), or null. */
  blockedReason: string | null;
};

type CreditSource = {
  id: string;
  organizationId: string;
  patientId: string;
  source: string;
  methodType: string;
  status: string;
  currency: string;
  amountReceived: number;
  amountRefunded: number;
  creditAmount: number;
};

/** What is left of the credit a payment made: its credit less what refunds took from it, never above the patient's balance or what the payment has unrefunded. */
async function creditLeft(db: Db | Tx, payment: CreditSource, balance: number): Promise<number> {
  const earlier = await db.refund.aggregate({ where: { paymentId: payment.id, status: { in: ["pending", "succeeded"] } }, _sum: { fromCredit: true } });
  return Math.max(0, Math.min(payment.creditAmount - (earlier._sum.fromCredit ?? 0), balance, payment.amountReceived - payment.amountRefunded));
}

function cardLabel(payment: { cardBrand: string | null; cardLast4: string | null }): string {
  if (!payment.cardLast4) return "Card";
  return `${(payment.cardBrand ?? "card").replace(/^\w/, (letter) => letter.toUpperCase())} •••• ${payment.cardLast4}`;
}

/**
 * The patient's payments whose credit can be given back: succeeded payments (a prepayment, or an
 * overpayment kept as credit) with credit neither refunded nor, as far as the patient's balance
 * shows, spent. Credit is pooled per patient and currency, so two payments may each show the same
 * unspent balance; every refund checks again under the locks.
 */
export async function listRefundableCredit(db: Db, options: { organizationId: string; patientId: string }): Promise<RefundableCredit[]> {
  const [payments, balances] = await Promise.all([
    db.payment.findMany({
      where: { organizationId: options.organizationId, patientId: options.patientId, status: "succeeded", creditAmount: { gt: 0 } },
      orderBy: { succeededAt: "desc" },
      take: 50,
    }),
    db.patientCreditBalance.findMany({
      where: { organizationId: options.organizationId, patientId: options.patientId },
      select: { currency: true, balance: true },
    }),
  ]);
  const balanceOf = new Map(balances.map((row) => [row.currency, row.balance]));
  const rows: RefundableCredit[] = [];
  for (const found of payments) {
    const payment = patientPayment(found);
    const refundable = await creditLeft(db, payment, balanceOf.get(payment.currency) ?? 0);
    if (refundable <= 0) continue;
    const manual = payment.source === "manual";
    rows.push({
      paymentId: payment.id,
      receiptNumber: payment.receiptNumber,
      currency: payment.currency,
      label: manual ? MANUAL_METHOD_LABELS[payment.methodType as ManualPaymentMethod] : cardLabel(payment),
      method: manual ? "manual" : "card",
      prepayment: payment.prepayment,
      receivedAt: (payment.succeededAt ?? payment.createdAt).toISOString(),
      refundable,
      blockedReason: payment.disputed ? "This payment has an open dispute; Stripe does not allow refunds until it is closed." : null,
    });
  }
  return rows;
}

/**
 * "Refund credit" on the patient's page: gives back unused credit that one of the patient's
 * payments made (a prepayment, or an overpayment kept as credit), never more than is left of it
 * and never credit already spent on an invoice, both decided under the payment's and the
 * patient's credit row locks.
 *
 * - A card payment's credit goes back to its card through the refund machinery (`requestRefund`
 *   with `creditOnly`: Dr patient credit / Cr Stripe clearing, then Stripe; pending until it answers).
 * - A front-desk payment's (cash, check, card terminal, bank transfer) is money handed back the way
 *   it came: a refund row recorded as done, journal `refund.manual` Dr patient credit / Cr cash,
 *   bank or card terminal clearing, and an audit event. The credit history shows either.
 *
 * Another patient's or organization's payment is a 404; over-refunds a 422 on `amount`; nothing
 * left a 409.
 */
export async function refundPatientCredit(
  db: Db,
  options: { organizationId: string; patientId: string; actor: AuditActor; input: TRefundPatientCreditInput; now?: Date; stripe?: Stripe },
): Promise<CreditRefunded> {
  const input = ZRefundPatientCreditInput.parse(options.input);
  const found = await db.payment.findFirst({
    where: { id: input.paymentId, organizationId: options.organizationId, patientId: options.patientId },
    select: { id: true, source: true, currency: true },
  });
  if (!found) throw new AppError("NOT_FOUND", "That payment is not this patient's.", { fields: { paymentId: ["Choose one of the patient's payments."] } });

  if (found.source !== "manual") {
    const submitted = await requestRefund(db, {
      organizationId: options.organizationId,
      paymentId: found.id,
      actor: options.actor,
      input: { amount: input.amount, reason: "requested_by_customer", note: input.note, mode: "credit_note" },
      creditOnly: true,
      stripe: options.stripe,
    });
    return {
      refundId: submitted.refund.id,
      method: "card",
      amount: submitted.refund.amount,
      currency: submitted.refund.currency,
      status: submitted.refund.status,
      stripeUnreachable: submitted.stripeUnreachable,
    };
  }

  const refundId = await db.$transaction(async (tx) => {
    // Lock order (lib/db/locks.ts): the payment, then the patient's credit.
    await lockPaymentRow(tx, { id: found.id, organizationId: options.organizationId });
    const payment = patientPayment(await tx.payment.findUniqueOrThrow({ where: { id: found.id } }));
    if (payment.status !== "succeeded") {
      throw new AppError(
        "CONFLICT",
        payment.status === "voided" ? "This payment was voided; it left no credit to refund." : "Only a recorded payment's credit can be refunded.",
      );
    }
    const money = (value: number) => formatMoney(value, payment.currency);
    const balance = await lockPatientCredit(tx, { organizationId: options.organizationId, patientId: payment.patientId, currency: payment.currency });
    const left = await creditLeft(tx, payment, balance);
    if (left <= 0) {
      throw new AppError("CONFLICT", "None of the patient's credit from this payment is left to refund: it was refunded already or has paid their invoices.");
    }
    if (input.amount > left) {
      throw new AppError("VALIDATION_FAILED", "That is more than the unused credit.", {
        fields: { amount: [`Refund at most ${money(left)}, the unused credit left from this payment.`] },
      });
    }
    const reserved = await sqlOf(tx).execute(sql`
      UPDATE payments SET amount_refunded = amount_refunded + ${input.amount}::int, updated_at = now()
      WHERE id = ${payment.id}::uuid AND amount_received - amount_refunded >= ${input.amount}::int`);
    if (reserved === 0) throw new AppError("CONFLICT", "Another refund of this payment was just made. Reload the page to see what is left to refund.");

    const method = payment.methodType as ManualPaymentMethod;
    const now = options.now ?? new Date();
    const id = randomUUID();
    await tx.refund.create({
      data: {
        id,
        organizationId: options.organizationId,
        paymentId: payment.id,
        invoiceId: null,
        patientId: payment.patientId,
        currency: payment.currency,
        amount: input.amount,
        fromCredit: input.amount,
        reason: "requested_by_customer",
        note: input.note ?? null,
        mode: "credit_note",
        status: "succeeded",
        requestedById: options.actor.userId,
        succeededAt: now,
      },
    });
    await postJournal(tx, {
      organizationId: options.organizationId,
      currency: payment.currency,
      kind: "refund.manual",
      memo: `Unused credit handed back (${MANUAL_METHOD_LABELS[method].toLowerCase()})${input.note ? `: ${input.note}` : ""}`.slice(0, 500),
      source: { type: "refund", id },
      occurredAt: options.now,
      lines: [
        { account: "patientCredit", amount: input.amount, patientId: payment.patientId },
        { account: MANUAL_DEBIT_ACCOUNT[method], amount: -input.amount },
      ],
    });
    await recordAuditEvent(tx, {
      organizationId: options.organizationId,
      actor: options.actor,
      action: "refund.manual_recorded",
      target: { type: "refund", id },
      after: {
        paymentId: payment.id,
        patientId: payment.patientId,
        amount: input.amount,
        fromCredit: input.amount,
        method,
        prepayment: payment.prepayment,
        note: input.note ?? null,
      },
    });
    return id;
  });
  return { refundId, method: "manual", amount: input.amount, currency: found.currency, status: "succeeded", stripeUnreachable: false };
}
