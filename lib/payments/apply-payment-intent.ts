import type Stripe from "stripe";
import type { Tx } from "@/lib/db/client";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
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
  authorizedAt: Date | null;
  createdAt: Date;
};

export type ApplyResult = { paymentId: string; status: string; becameSucceeded: boolean } | null;

const SYSTEM_ACTOR = { userId: null, label: "stripe", ip: null, requestId: null };

/** Records the card a patient chose to save (brand, last 4, expiry), once, with their consent time. */
async function keepCardOnFile(tx: Tx, options: { payment: { organizationId: string; patientId: string; createdAt: Date }; paymentIntent: PaymentIntentWithCharge | Stripe.PaymentIntent }) {
  const paymentMethodId = typeof options.paymentIntent.payment_method === "string" ? options.paymentIntent.payment_method : options.paymentIntent.payment_method?.id;
  const charge = typeof options.paymentIntent.latest_charge === "object" ? options.paymentIntent.latest_charge : null;
  const card = charge?.payment_method_details?.card;
  if (!paymentMethodId || !card?.last4) return;
  await tx.savedPaymentMethod.upsert({
    where: { stripePaymentMethodId: paymentMethodId },
    update: {},
    create: {
      organizationId: options.payment.organizationId,
      patientId: options.payment.patientId,
      stripePaymentMethodId: paymentMethodId,
      brand: card.brand ?? "card",
      last4: card.last4,
      expMonth: card.exp_month ?? 0,
      expYear: card.exp_year ?? 0,
      consentedAt: options.payment.createdAt,
    },
  });
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
 * excess (two cards completing at once) becomes patient credit. Journal: debit Stripe clearing
 * (received), credit accounts receivable (applied), credit patient credit (excess); and the fee
 * from the balance transaction: debit processing fees, credit Stripe clearing.
 */
export async function applyPaymentIntent(tx: Tx, paymentIntent: PaymentIntentWithCharge | Stripe.PaymentIntent): Promise<ApplyResult> {
  const metadata = readStripeMetadata(paymentIntent.metadata);
  // Lock and read in one round trip (this runs for every webhook event).
  const rows = await tx.$queryRaw<LockedPayment[]>`
    SELECT id, organization_id AS "organizationId", invoice_id AS "invoiceId", patient_id AS "patientId", status::text AS status,
           currency, stripe_payment_intent_id AS "stripePaymentIntentId", save_card AS "saveCard", authorized_at AS "authorizedAt", created_at AS "createdAt"
    FROM payments
    WHERE stripe_payment_intent_id = ${paymentIntent.id}
       OR (${metadata?.paymentId ?? null}::uuid IS NOT NULL AND id = ${metadata?.paymentId ?? null}::uuid AND organization_id = ${metadata?.organizationId ?? null}::uuid)
    ORDER BY (stripe_payment_intent_id = ${paymentIntent.id}) DESC NULLS LAST
    LIMIT 1
    FOR UPDATE`;
  const payment = rows[0];
  if (!payment) return null;
  if (payment.stripePaymentIntentId && payment.stripePaymentIntentId !== paymentIntent.id) return null;

  const incoming = statusFromPaymentIntent(paymentIntent);
  const status = incoming ? nextStatus(payment.status, incoming) : payment.status;
  const becameSucceeded = status === "succeeded" && payment.status !== "succeeded";
  const charge = typeof paymentIntent.latest_charge === "object" ? paymentIntent.latest_charge : null;
  const failure = paymentIntent.last_payment_error;

  const update: Parameters<Tx["payment"]["updateMany"]>[0]["data"] = { status, stripePaymentIntentId: paymentIntent.id };
  if (status === "failed" && failure) {
    update.failureCode = failure.decline_code ?? failure.code ?? null;
    update.failureMessage = failure.message?.slice(0, 500) ?? null;
  }
  if (status === "canceled" && payment.status !== "canceled") update.canceledAt = new Date();
  if (charge && "payment_method_details" in charge) Object.assign(update, cardDetails(paymentIntent as PaymentIntentWithCharge));
  if (charge) update.stripeChargeId = charge.id;
  if (status === "requires_capture" && paymentIntent.status === "requires_capture") Object.assign(update, authorizationHold(paymentIntent, payment));
  else if (isFinal(status)) update.amountCapturable = 0;

  if (becameSucceeded) {
    const received = paymentIntent.amount_received;
    // The invoice locked, with what the receipt email needs, in one round trip.
    const [fresh] = await tx.$queryRaw<(PayableInvoice & { patientId: string; recipient: ReceiptRecipient })[]>`
      SELECT i.id, i.organization_id AS "organizationId", i.patient_id AS "patientId", i.number, i.status::text AS status, i.currency,
             i.amount_paid AS "amountPaid", i.amount_due AS "amountDue", i.amount_written_off AS "amountWrittenOff",
             json_build_object('firstName', p.first_name, 'email', p.email, 'organizationName', o.name) AS recipient
      FROM invoices i JOIN patients p ON p.id = i.patient_id JOIN organizations o ON o.id = i.organization_id
      WHERE i.id = ${payment.invoiceId}::uuid
      FOR UPDATE OF i`;
    if (!fresh) throw new Error(`payment ${payment.id} has no invoice`);
    const applied = Math.min(received, payableBalance(fresh));
    const credit = received - applied;
    const balanceTransaction = charge && typeof charge.balance_transaction === "object" ? charge.balance_transaction : null;
    const fee = balanceTransaction?.fee ?? 0;

    Object.assign(update, { amountReceived: received, appliedAmount: applied, creditAmount: credit, feeAmount: fee, succeededAt: new Date() });
    // On a written-off invoice this first recovers the write-off (Dr receivable, Cr bad debt).
    const { outstanding } = await applyPaymentToInvoice(tx, { invoice: fresh, amount: applied, paymentId: payment.id });
    await postJournals(tx, [
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
    ]);
    if (payment.saveCard) await keepCardOnFile(tx, { payment, paymentIntent });
    await queueReceiptEmail(tx, { paymentId: payment.id, invoice: fresh, received, remaining: outstanding, recipient: fresh.recipient });
    await recordAuditEvent(tx, {
      organizationId: payment.organizationId,
      actor: SYSTEM_ACTOR,
      action: "payment.succeeded",
      target: { type: "payment", id: payment.id },
      after: { invoiceId: fresh.id, received, applied, credit, fee },
    });
  }
  await tx.payment.updateMany({ where: { id: payment.id }, data: update });
  return { paymentId: payment.id, status, becameSucceeded };
}
