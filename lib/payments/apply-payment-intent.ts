import { randomUUID } from "node:crypto";
import type Stripe from "stripe";
import type { Tx } from "@/lib/db/client";
import { sqlOf, type Sql } from "@/lib/db/sql";
import { AUTOMATIC_ACTOR, recordAuditEvent } from "@/lib/audit/record-audit-event";
import { postJournals } from "@/lib/ledger/post-journal";
import { readStripeMetadata } from "@/lib/stripe/metadata";
import type { PaymentIntentWithCharge } from "@/lib/stripe/retrieve-payment-intent";
import { authorizationHold } from "./authorization-hold";
import { isFinal, nextStatus, statusFromPaymentIntent } from "./payment-status";
import { queueReceiptEmail, type ReceiptRecipient } from "./queue-receipt-email";
import { applyPaymentToInvoice, payableBalance, type PayableInvoice } from "./apply-to-invoice";
import type { PaymentStatus } from "@/lib/db/generated/enums";

/** The payment fields applying an intent needs, read with the row lock. */
type LockedPayment = {
  id: string;
  organizationId: string;
  invoiceId: string;
  patientId: string;
  status: PaymentStatus;
  currency: string;
  stripePaymentIntentId: string | null;
  saveCard: boolean;
  keepExcessAsCredit: boolean;
  authorizedAt: Date | null;
  createdAt: Date;
};

export type ApplyResult = {
  paymentId: string;
  organizationId: string;
  invoiceId: string;
  status: PaymentStatus;
  becameSucceeded: boolean;
  /** The refund booked for money received beyond what the invoice owed, to send to Stripe after commit. */
  excessRefundId: string | null;
} | null;

const SYSTEM_ACTOR = { userId: null, label: "stripe", ip: null, requestId: null };

/** What applying an intent may change on the payment row, with each field's column and SQL type. */
const PAYMENT_COLUMNS = {
  status: ["status", '"PaymentStatus"'],
  amount: ["amount", "int"],
  amountRefunded: ["amount_refunded", "int"],
  stripePaymentIntentId: ["stripe_payment_intent_id", "text"],
  stripeChargeId: ["stripe_charge_id", "text"],
  failureCode: ["failure_code", "text"],
  failureMessage: ["failure_message", "text"],
  canceledAt: ["canceled_at", "timestamptz"],
  cardBrand: ["card_brand", "text"],
  cardLast4: ["card_last4", "text"],
  amountCapturable: ["amount_capturable", "int"],
  authorizedAt: ["authorized_at", "timestamptz"],
  captureBefore: ["capture_before", "timestamptz"],
  amountReceived: ["amount_received", "int"],
  appliedAmount: ["applied_amount", "int"],
  creditAmount: ["credit_amount", "int"],
  feeAmount: ["fee_amount", "int"],
  succeededAt: ["succeeded_at", "timestamptz"],
} as const;
type PaymentChanges = { status: PaymentStatus; stripePaymentIntentId: string } & Partial<{
  [K in Exclude<keyof typeof PAYMENT_COLUMNS, "status" | "stripePaymentIntentId">]: (typeof PAYMENT_COLUMNS)[K][1] extends "int" ? number : (typeof PAYMENT_COLUMNS)[K][1] extends "timestamptz" ? Date : string | null;
}>;

/** One UPDATE of the fields present in `changes` (and updated_at). */
async function updatePayment(sql: Sql, paymentId: string, changes: PaymentChanges): Promise<void> {
  const entries = (Object.keys(PAYMENT_COLUMNS) as (keyof typeof PAYMENT_COLUMNS)[]).filter((key) => changes[key] !== undefined);
  const assignments = entries.map((key, index) => `${PAYMENT_COLUMNS[key][0]} = $${index + 2}::${PAYMENT_COLUMNS[key][1]}`);
  await sql.write(`UPDATE payments SET ${[...assignments, "updated_at = now()"].join(", ")} WHERE id = $1::uuid`, [paymentId, ...entries.map((key) => changes[key] ?? null)]);
}

/** Records the card a patient chose to save (brand, last 4, expiry), once, with their consent time. */
async function keepCardOnFile(sql: Sql, options: { payment: { organizationId: string; patientId: string; createdAt: Date }; paymentIntent: PaymentIntentWithCharge | Stripe.PaymentIntent }) {
  const paymentMethodId = typeof options.paymentIntent.payment_method === "string" ? options.paymentIntent.payment_method : options.paymentIntent.payment_method?.id;
  const charge = typeof options.paymentIntent.latest_charge === "object" ? options.paymentIntent.latest_charge : null;
  const card = charge?.payment_method_details?.card;
  if (!paymentMethodId || !card?.last4) return;
  await sql.write(
    `INSERT INTO saved_payment_methods (organization_id, patient_id, stripe_payment_method_id, brand, last4, exp_month, exp_year, consented_at)
     VALUES ($1::uuid, $2::uuid, $3, $4, $5, $6::int, $7::int, $8::timestamptz)
     ON CONFLICT (stripe_payment_method_id) DO NOTHING`,
    [options.payment.organizationId, options.payment.patientId, paymentMethodId, card.brand ?? "card", card.last4, card.exp_month ?? 0, card.exp_year ?? 0, options.payment.createdAt],
  );
}

function cardDetails(paymentIntent: PaymentIntentWithCharge) {
  const card = paymentIntent.latest_charge?.payment_method_details?.card;
  return card ? { cardBrand: card.brand ?? null, cardLast4: card.last4 ?? null } : {};
}

/**
 * Brings our payment row (and, on success, its invoice and the ledger) in line with a
 * PaymentIntent as Stripe reports it. Runs inside the caller's transaction, locks the payment
 * row, and only moves forward: any number of calls, in any order, with any mix of fresher and
 * staler snapshots, end in the same state, and money is applied exactly once.
 *
 * On the first success: what was received goes to the invoice up to what it still owes, and any
 * excess (two cards completing at once, an invoice voided or paid otherwise meanwhile) is booked as
 * patient credit and, unless the patient chose to keep it as credit, at once as a pending refund
 * of that credit to the card (`excessRefundId`,
 * which the caller sends to Stripe after commit: see settle-payment-intent.ts). Journals: debit
 * Stripe clearing (received), credit accounts receivable (applied), credit patient credit (excess);
 * the fee from the balance transaction: debit processing fees, credit Stripe clearing; and for an
 * excess, debit patient credit, credit Stripe clearing.
 */
export async function applyPaymentIntent(tx: Tx | Sql, paymentIntent: PaymentIntentWithCharge | Stripe.PaymentIntent): Promise<ApplyResult> {
  const sql = sqlOf(tx);
  const metadata = readStripeMetadata(paymentIntent.metadata);
  // Lock and read in one round trip (this runs for every webhook event).
  const rows = await sql.query<LockedPayment>(
    `SELECT id, organization_id AS "organizationId", invoice_id AS "invoiceId", patient_id AS "patientId", status::text AS status,
            currency, stripe_payment_intent_id AS "stripePaymentIntentId", save_card AS "saveCard", keep_excess_as_credit AS "keepExcessAsCredit", authorized_at AS "authorizedAt", created_at AS "createdAt"
     FROM payments
     WHERE stripe_payment_intent_id = $1
        OR ($2::uuid IS NOT NULL AND id = $2::uuid AND organization_id = $3::uuid)
     ORDER BY (stripe_payment_intent_id = $1) DESC NULLS LAST
     LIMIT 1
     FOR UPDATE`,
    [paymentIntent.id, metadata?.paymentId ?? null, metadata?.organizationId ?? null],
  );
  const payment = rows[0];
  if (!payment) return null;
  if (payment.stripePaymentIntentId && payment.stripePaymentIntentId !== paymentIntent.id) return null;

  const incoming = statusFromPaymentIntent(paymentIntent);
  const status = incoming ? nextStatus(payment.status, incoming) : payment.status;
  const becameSucceeded = status === "succeeded" && payment.status !== "succeeded";
  const charge = typeof paymentIntent.latest_charge === "object" ? paymentIntent.latest_charge : null;
  const failure = paymentIntent.last_payment_error;

  const update: PaymentChanges = { status, stripePaymentIntentId: paymentIntent.id };
  // The pay page updates the intent's amount in place (one intent per invoice); ours follows Stripe's.
  if (!isFinal(payment.status) && paymentIntent.amount > 0) update.amount = paymentIntent.amount;
  if (status === "failed" && failure) {
    update.failureCode = failure.decline_code ?? failure.code ?? null;
    update.failureMessage = failure.message?.slice(0, 500) ?? null;
  }
  if (status === "canceled" && payment.status !== "canceled") update.canceledAt = new Date();
  if (charge && "payment_method_details" in charge) Object.assign(update, cardDetails(paymentIntent as PaymentIntentWithCharge));
  if (charge) update.stripeChargeId = charge.id;
  if (status === "requires_capture" && paymentIntent.status === "requires_capture") Object.assign(update, authorizationHold(paymentIntent, payment));
  else if (isFinal(status)) update.amountCapturable = 0;

  let excessRefundId: string | null = null;
  if (becameSucceeded) {
    const received = paymentIntent.amount_received;
    // The invoice locked, with what the receipt email needs, in one round trip.
    const [fresh] = await sql.query<PayableInvoice & { patientId: string; recipient: ReceiptRecipient }>(
      `SELECT i.id, i.organization_id AS "organizationId", i.patient_id AS "patientId", i.number, i.status::text AS status, i.currency, i.total,
              i.amount_paid AS "amountPaid", i.amount_credited AS "amountCredited", i.amount_due AS "amountDue", i.amount_written_off AS "amountWrittenOff",
              json_build_object('firstName', p.first_name, 'email', p.email, 'organizationName', o.name) AS recipient
       FROM invoices i JOIN patients p ON p.id = i.patient_id JOIN organizations o ON o.id = i.organization_id
       WHERE i.id = $1::uuid
       FOR UPDATE OF i`,
      [payment.invoiceId],
    );
    if (!fresh) throw new Error(`payment ${payment.id} has no invoice`);
    const applied = Math.min(received, payableBalance(fresh));
    const credit = received - applied;
    const balanceTransaction = charge && typeof charge.balance_transaction === "object" ? charge.balance_transaction : null;
    const fee = balanceTransaction?.fee ?? 0;

    // Money beyond what was owed (two payments racing at Stripe, a late bank payment, a payment on
    // an invoice voided or paid meanwhile) goes back to the card it came from, booked here in the
    // same transaction and sent to Stripe after commit (and again by the janitor if that is lost).
    // Unless the patient chose to keep it as credit.
    excessRefundId = credit > 0 && !payment.keepExcessAsCredit ? randomUUID() : null;
    Object.assign(update, { amountReceived: received, appliedAmount: applied, creditAmount: credit, feeAmount: fee, succeededAt: new Date() });
    if (excessRefundId) update.amountRefunded = credit;
    // On a written-off invoice this first recovers the write-off (Dr receivable, Cr bad debt).
    const { outstanding } = await applyPaymentToInvoice(sql, { invoice: fresh, amount: applied, paymentId: payment.id });
    await postJournals(sql, [
      {
        organizationId: payment.organizationId,
        currency: payment.currency,
        kind: "payment.succeeded",
        memo: `Card payment for ${fresh.number ?? "invoice"}`,
        source: { type: "payment", id: payment.id },
        lines: [
          { account: "stripeClearing", amount: received },
          { account: "accountsReceivable", amount: -applied, invoiceId: fresh.id },
          { account: "patientCredit", amount: -credit, patientId: payment.patientId },
        ],
      },
      {
        organizationId: payment.organizationId,
        currency: payment.currency,
        kind: "payment.fee",
        memo: `Stripe fee for ${fresh.number ?? "invoice"}`,
        source: { type: "payment", id: payment.id },
        lines: [
          { account: "processingFees", amount: fee },
          { account: "stripeClearing", amount: -fee },
        ],
      },
      ...(excessRefundId
        ? [
            {
              organizationId: payment.organizationId,
              currency: payment.currency,
              kind: "refund.requested",
              memo: `Automatic refund of money received beyond what ${fresh.number ?? "the invoice"} owed`,
              source: { type: "refund", id: excessRefundId },
              lines: [
                { account: "patientCredit" as const, amount: credit, patientId: payment.patientId },
                { account: "stripeClearing" as const, amount: -credit },
              ],
            },
          ]
        : []),
    ]);
    if (excessRefundId) await bookExcessRefund(sql, { refundId: excessRefundId, payment, amount: credit, invoiceNumber: fresh.number });
    if (payment.saveCard) await keepCardOnFile(sql, { payment, paymentIntent });
    await queueReceiptEmail(sql, {
      organizationId: payment.organizationId,
      paymentId: payment.id,
      currency: payment.currency,
      received,
      credit: excessRefundId ? 0 : credit,
      excessRefunded: excessRefundId ? credit : 0,
      recipient: fresh.recipient,
      lines: applied > 0 ? [{ invoiceId: fresh.id, invoiceNumber: fresh.number, applied, remaining: outstanding }] : [],
    });
    await recordAuditEvent(sql, {
      organizationId: payment.organizationId,
      actor: SYSTEM_ACTOR,
      action: "payment.succeeded",
      target: { type: "payment", id: payment.id },
      after: { invoiceId: fresh.id, received, applied, credit, fee },
    });
  }
  await updatePayment(sql, payment.id, update);
  return { paymentId: payment.id, organizationId: payment.organizationId, invoiceId: payment.invoiceId, status, becameSucceeded, excessRefundId };
}

/** The refund row (pending until Stripe answers) and audit entry of an automatic overpayment refund; its journal is posted with the payment's. */
async function bookExcessRefund(sql: Sql, options: { refundId: string; payment: LockedPayment; amount: number; invoiceNumber: string | null }): Promise<void> {
  const { payment } = options;
  await sql.write(
    `INSERT INTO refunds (id, organization_id, payment_id, invoice_id, patient_id, currency, amount, from_credit, reason, note, mode, status, updated_at)
     VALUES ($1::uuid, $2::uuid, $3::uuid, $4::uuid, $5::uuid, $6, $7::int, $7::int, 'duplicate', $8, 'credit_note', 'pending', now())`,
    [options.refundId, payment.organizationId, payment.id, payment.invoiceId, payment.patientId, payment.currency, options.amount, `Automatic: received more than ${options.invoiceNumber ?? "the invoice"} owed.`],
  );
  await recordAuditEvent(sql, {
    organizationId: payment.organizationId,
    actor: AUTOMATIC_ACTOR,
    action: "refund.requested",
    target: { type: "refund", id: options.refundId },
    after: { paymentId: payment.id, invoiceId: payment.invoiceId, amount: options.amount, fromCredit: options.amount, reason: "duplicate", automatic: true },
  });
}
