import { randomUUID } from "node:crypto";
import type Stripe from "stripe";
import type { Tx } from "@/lib/db/client";
import { lockInvoiceForPayment, lockPatientCards, lockPaymentForIntent, type LockedIntentPayment as LockedPayment } from "@/lib/db/locks";
import { sql, sqlOf, type Sql } from "@/lib/db/sql";
import { AUTOMATIC_ACTOR, recordAuditEvent } from "@/lib/audit/record-audit-event";
import { postJournals } from "@/lib/ledger/post-journal";
import { readStripeMetadata } from "@/lib/stripe/metadata";
import type { PaymentIntentWithCharge } from "@/lib/stripe/retrieve-payment-intent";
import { authorizationHold } from "./authorization-hold";
import { isFinal, nextStatus, statusFromPaymentIntent } from "./payment-status";
import { queueReceiptEmail, type ReceiptRecipient } from "./queue-receipt-email";
import { nextReceiptNumber } from "./receipt-number";
import { payableBalance } from "@/lib/invoices/change-invoice-balance";
import { applyPaymentToInvoice } from "./apply-to-invoice";
import type { PaymentStatus } from "@/lib/db/generated/enums";
import { consentTermsText, PAY_PAGE_TERMS_VERSION } from "@/lib/consent/terms";
import { planSiblingInvoiceIds } from "@/lib/autopay/plan-sibling-invoices";

export type ApplyResult = {
  paymentId: string;
  organizationId: string;
  /** Null for a prepayment. */
  invoiceId: string | null;
  status: PaymentStatus;
  becameSucceeded: boolean;
  /** The refund booked for money received beyond what the invoice owed, to send to Stripe after commit. */
  excessRefundId: string | null;
} | null;

/** A decline as a payment_intent.payment_failed event reported it: the intent's error then, and the event's time. */
export type ReportedDecline = { error: Stripe.PaymentIntent.LastPaymentError; at: Date };

const SYSTEM_ACTOR = { userId: null, label: "stripe", ip: null, requestId: null };

/** What applying an intent may change on the payment row (columns by the naming rule, typed by PostgreSQL from their column). */
type PaymentChanges = { status: PaymentStatus; stripePaymentIntentId: string } & Partial<{
  amount: number;
  amountRefunded: number;
  stripeChargeId: string | null;
  failureCode: string | null;
  failureMessage: string | null;
  failedAt: Date;
  actionRequiredAt: Date;
  canceledAt: Date;
  cardBrand: string | null;
  cardLast4: string | null;
  amountCapturable: number;
  authorizedAt: Date;
  captureBefore: Date;
  amountReceived: number;
  appliedAmount: number;
  creditAmount: number;
  feeAmount: number;
  succeededAt: Date;
  receiptNumber: string;
}>;

/** What a payment keeps of a card error: the decline code (else the error code) and the issuer's message. */
function failureFields(error: Stripe.PaymentIntent.LastPaymentError): { failureCode: string | null; failureMessage: string | null } {
  return { failureCode: error.decline_code ?? error.code ?? null, failureMessage: error.message?.slice(0, 500) ?? null };
}

/** One UPDATE of the fields present in `changes` (and updated_at). */
async function updatePayment(runner: Sql, paymentId: string, changes: PaymentChanges): Promise<void> {
  await runner.write(sql`UPDATE payments SET ${sql.assignments(changes)}, updated_at = now() WHERE id = ${paymentId}::uuid`, { joins: ["payments"] });
}

/**
 * Records the card a patient chose to save (brand, last 4, expiry), once, with their consent time:
 * from the pay page, or (a `desk_card` payment) from the front desk, where, as a card saved at the
 * desk through a SetupIntent, it becomes the patient's default when they have none.
 */
async function keepCardOnFile(
  runner: Sql,
  options: {
    payment: { id: string; organizationId: string; patientId: string; createdAt: Date };
    paymentIntent: PaymentIntentWithCharge | Stripe.PaymentIntent;
  },
) {
  const paymentMethodId =
    typeof options.paymentIntent.payment_method === "string" ? options.paymentIntent.payment_method : options.paymentIntent.payment_method?.id;
  const charge = typeof options.paymentIntent.latest_charge === "object" ? options.paymentIntent.latest_charge : null;
  const card = charge?.payment_method_details?.card;
  if (!paymentMethodId || !card?.last4) return;
  const { payment } = options;
  // The consent recorded when the patient started this payment with the box ticked (their IP and browser with it).
  const [recorded] = await runner.query<{ consentId: string | null; source: string }>(
    sql`SELECT consent_id AS "consentId", source::text AS source FROM payments WHERE id = ${payment.id}::uuid`,
  );
  if (recorded?.consentId) {
    const atDesk = recorded.source === "desk_card";
    // Default-if-none is decided under the patient's card lock, as every card change is.
    if (atDesk) await lockPatientCards(runner, payment.patientId);
    await runner.write(sql`
      INSERT INTO saved_payment_methods (organization_id, patient_id, stripe_payment_method_id, brand, last4, exp_month, exp_year, consented_at, source, consent_id, is_default)
      SELECT ${payment.organizationId}::uuid, ${payment.patientId}::uuid, ${paymentMethodId}, ${card.brand ?? "card"}, ${card.last4}, ${card.exp_month ?? 0}::int, ${card.exp_year ?? 0}::int, accepted_at,
             ${atDesk ? "front_desk" : "pay_page"}::"CardOnFileSource", id,
             ${atDesk}::boolean AND NOT EXISTS (SELECT 1 FROM saved_payment_methods WHERE patient_id = ${payment.patientId}::uuid AND is_default AND removed_at IS NULL)
      FROM payment_consents WHERE id = ${recorded.consentId}::uuid
      ON CONFLICT (stripe_payment_method_id) DO NOTHING`);
    return;
  }
  // An attempt started before consents were recorded with it: the pay page's box, ticked when the patient started this payment.
  const [organization] = await runner.query<{ name: string }>(sql`SELECT name FROM organizations WHERE id = ${payment.organizationId}::uuid`);
  const termsText = consentTermsText(PAY_PAGE_TERMS_VERSION, organization?.name ?? "the clinic");
  await runner.write(sql`
    WITH consent AS (
      INSERT INTO payment_consents (organization_id, patient_id, terms_version, terms_text, accepted_by, accepted_at)
      SELECT ${payment.organizationId}::uuid, ${payment.patientId}::uuid, ${PAY_PAGE_TERMS_VERSION}, ${termsText}, 'patient_online', ${payment.createdAt}::timestamptz
      WHERE NOT EXISTS (SELECT 1 FROM saved_payment_methods WHERE stripe_payment_method_id = ${paymentMethodId})
      RETURNING id
    )
    INSERT INTO saved_payment_methods (organization_id, patient_id, stripe_payment_method_id, brand, last4, exp_month, exp_year, consented_at, source, consent_id)
    SELECT ${payment.organizationId}::uuid, ${payment.patientId}::uuid, ${paymentMethodId}, ${card.brand ?? "card"}, ${card.last4}, ${card.exp_month ?? 0}::int, ${card.exp_year ?? 0}::int, ${payment.createdAt}::timestamptz, 'pay_page', consent.id
    FROM consent
    ON CONFLICT (stripe_payment_method_id) DO NOTHING`);
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
export async function applyPaymentIntent(
  tx: Tx | Sql,
  paymentIntent: PaymentIntentWithCharge | Stripe.PaymentIntent,
  options: { decline?: ReportedDecline } = {},
): Promise<ApplyResult> {
  const runner = sqlOf(tx);
  const metadata = readStripeMetadata(paymentIntent.metadata);
  // Lock and read in one round trip (this runs for every webhook event).
  const payment = await lockPaymentForIntent(runner, {
    paymentIntentId: paymentIntent.id,
    paymentId: metadata?.paymentId ?? null,
    organizationId: metadata?.organizationId ?? null,
  });
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
    // The decline's own time: its charge's (the same on every replay of this intent), or now for a
    // new decline without a charge; a replay of a known decline without one keeps the time it has.
    const declinedAt = charge && typeof charge.created === "number" ? new Date(charge.created * 1000) : payment.status === "failed" ? null : new Date();
    Object.assign(update, failureFields(failure), declinedAt ? { failedAt: declinedAt } : {});
  } else if (options.decline && (!payment.failedAt || payment.failedAt < options.decline.at)) {
    // A decline this row never saw as "failed" (the patient retried and the intent succeeded, or
    // was retried, before its payment_failed event arrived; Stripe then clears the intent's error):
    // the event's own copy of the error says why, so the timeline can.
    Object.assign(update, failureFields(options.decline.error), { failedAt: options.decline.at });
  }
  if (status === "canceled" && payment.status !== "canceled") update.canceledAt = new Date();
  // 3-D Secure (analytics' share of attempts that needed it): the intent was seen waiting for the
  // patient's action, or its charge says the card was authenticated. Kept from the first time.
  const authenticated = charge && "payment_method_details" in charge && charge.payment_method_details?.card?.three_d_secure;
  if (!payment.actionRequiredAt && (paymentIntent.status === "requires_action" || authenticated)) update.actionRequiredAt = new Date();
  if (charge && "payment_method_details" in charge) Object.assign(update, cardDetails(paymentIntent as PaymentIntentWithCharge));
  if (charge) update.stripeChargeId = charge.id;
  if (status === "requires_capture" && paymentIntent.status === "requires_capture") Object.assign(update, authorizationHold(paymentIntent, payment));
  else if (isFinal(status)) update.amountCapturable = 0;

  let excessRefundId: string | null = null;
  if (becameSucceeded && payment.invoiceId === null) {
    Object.assign(update, await bookCardPrepayment(runner, { payment, paymentIntent, charge }));
  } else if (becameSucceeded && payment.invoiceId !== null) {
    const received = paymentIntent.amount_received;
    // The invoice locked, with what the receipt email needs, in one round trip.
    const fresh = await lockInvoiceForPayment(runner, payment.invoiceId);
    if (!fresh) throw new Error(`payment ${payment.id} has no invoice`);
    const primary = Math.min(received, payableBalance(fresh));
    // An autopay charge for a plan of several invoices pays them oldest first (its own invoice is the oldest that owed).
    const others: { invoice: Awaited<ReturnType<typeof lockInvoiceForPayment>>; amount: number }[] = [];
    let left = received - primary;
    if (left > 0) {
      for (const invoiceId of await planSiblingInvoiceIds(runner, { paymentId: payment.id, exceptInvoiceId: fresh.id })) {
        const other = await lockInvoiceForPayment(runner, invoiceId);
        const amount = Math.min(left, payableBalance(other));
        if (amount <= 0) continue;
        others.push({ invoice: other, amount });
        left -= amount;
        if (left === 0) break;
      }
    }
    const applied = received - left;
    const credit = left;
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
    const { outstanding } = await applyPaymentToInvoice(runner, { invoice: fresh, amount: primary, paymentId: payment.id });
    const otherLines = [];
    for (const other of others) {
      const result = await applyPaymentToInvoice(runner, { invoice: other.invoice, amount: other.amount, paymentId: payment.id });
      otherLines.push({ invoiceId: other.invoice.id, invoiceNumber: other.invoice.number, applied: other.amount, remaining: result.outstanding });
    }
    await postJournals(runner, [
      {
        organizationId: payment.organizationId,
        currency: payment.currency,
        kind: "payment.succeeded",
        memo: `Card payment for ${fresh.number ?? "invoice"}`,
        source: { type: "payment", id: payment.id },
        lines: [
          { account: "stripeClearing", amount: received },
          { account: "accountsReceivable", amount: -primary, invoiceId: fresh.id },
          ...others.map((other) => ({ account: "accountsReceivable" as const, amount: -other.amount, invoiceId: other.invoice.id })),
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
    if (excessRefundId) await bookExcessRefund(runner, { refundId: excessRefundId, payment, amount: credit, invoiceNumber: fresh.number });
    if (payment.saveCard) await keepCardOnFile(runner, { payment, paymentIntent });
    // The receipt's number from the organization's counter: the last lock this transaction takes.
    update.receiptNumber = await nextReceiptNumber(runner, payment.organizationId);
    await queueReceiptEmail(runner, {
      organizationId: payment.organizationId,
      paymentId: payment.id,
      receiptNumber: update.receiptNumber,
      currency: payment.currency,
      received,
      credit: excessRefundId ? 0 : credit,
      excessRefunded: excessRefundId ? credit : 0,
      recipient: fresh.recipient,
      lines: [...(primary > 0 ? [{ invoiceId: fresh.id, invoiceNumber: fresh.number, applied: primary, remaining: outstanding }] : []), ...otherLines],
    });
    await recordAuditEvent(runner, {
      organizationId: payment.organizationId,
      actor: SYSTEM_ACTOR,
      action: "payment.succeeded",
      target: { type: "payment", id: payment.id },
      after: { invoiceId: fresh.id, received, applied, credit, fee },
    });
  }
  await updatePayment(runner, payment.id, update);
  return { paymentId: payment.id, organizationId: payment.organizationId, invoiceId: payment.invoiceId, status, becameSucceeded, excessRefundId };
}

/** The refund row (pending until Stripe answers) and audit entry of an automatic overpayment refund; its journal is posted with the payment's. */
async function bookExcessRefund(
  runner: Sql,
  options: { refundId: string; payment: LockedPayment; amount: number; invoiceNumber: string | null },
): Promise<void> {
  const { payment } = options;
  const note = `Automatic: received more than ${options.invoiceNumber ?? "the invoice"} owed.`;
  await runner.write(sql`
    INSERT INTO refunds (id, organization_id, payment_id, invoice_id, patient_id, currency, amount, from_credit, reason, note, mode, status, updated_at)
    VALUES (${options.refundId}::uuid, ${payment.organizationId}::uuid, ${payment.id}::uuid, ${payment.invoiceId}::uuid, ${payment.patientId}::uuid, ${payment.currency},
            ${options.amount}::int, ${options.amount}::int, 'duplicate', ${note}, 'credit_note', 'pending', now())`);
  await recordAuditEvent(runner, {
    organizationId: payment.organizationId,
    actor: AUTOMATIC_ACTOR,
    action: "refund.requested",
    target: { type: "refund", id: options.refundId },
    after: { paymentId: payment.id, invoiceId: payment.invoiceId, amount: options.amount, fromCredit: options.amount, reason: "duplicate", automatic: true },
  });
}

/**
 * The first success of a card prepayment (a desk or saved card taken for no invoice): everything
 * received becomes the patient's credit, which their share of a visit is later settled against.
 * Journals: debit Stripe clearing, credit patient credit (received); the fee as for any card
 * payment. Receipt ("kept as credit on your account"), audit, and the card kept on file when asked.
 */
async function bookCardPrepayment(
  runner: Sql,
  options: {
    payment: LockedPayment;
    paymentIntent: PaymentIntentWithCharge | Stripe.PaymentIntent;
    charge: Stripe.Charge | null;
  },
): Promise<Partial<PaymentChanges>> {
  const { payment, paymentIntent, charge } = options;
  const received = paymentIntent.amount_received;
  const balanceTransaction = charge && typeof charge.balance_transaction === "object" ? charge.balance_transaction : null;
  const fee = balanceTransaction?.fee ?? 0;
  await postJournals(runner, [
    {
      organizationId: payment.organizationId,
      currency: payment.currency,
      kind: "payment.succeeded",
      memo: "Card prepayment, kept as patient credit",
      source: { type: "payment", id: payment.id },
      lines: [
        { account: "stripeClearing", amount: received },
        { account: "patientCredit", amount: -received, patientId: payment.patientId },
      ],
    },
    {
      organizationId: payment.organizationId,
      currency: payment.currency,
      kind: "payment.fee",
      memo: "Stripe fee for a card prepayment",
      source: { type: "payment", id: payment.id },
      lines: [
        { account: "processingFees", amount: fee },
        { account: "stripeClearing", amount: -fee },
      ],
    },
  ]);
  if (payment.saveCard) await keepCardOnFile(runner, { payment, paymentIntent });
  const receiptNumber = await nextReceiptNumber(runner, payment.organizationId);
  const [recipient] = await runner.query<ReceiptRecipient>(sql`
    SELECT p.first_name AS "firstName", p.email, json_build_object(
             'id', o.id, 'name', o.name, 'addressLine1', o.address_line1, 'addressLine2', o.address_line2, 'city', o.city, 'region', o.region,
             'postalCode', o.postal_code, 'country', o.country, 'phone', o.phone, 'email', o.email, 'website', o.website,
             'logo', (SELECT json_build_object('sha256', l.sha256) FROM organization_logos l WHERE l.organization_id = o.id)) AS clinic
    FROM patients p JOIN organizations o ON o.id = p.organization_id
    WHERE p.id = ${payment.patientId}::uuid`);
  if (!recipient) throw new Error(`payment ${payment.id}: patient ${payment.patientId} not found`);
  await queueReceiptEmail(runner, {
    organizationId: payment.organizationId,
    paymentId: payment.id,
    receiptNumber,
    currency: payment.currency,
    received,
    credit: received,
    excessRefunded: 0,
    recipient,
    lines: [],
  });
  await recordAuditEvent(runner, {
    organizationId: payment.organizationId,
    actor: SYSTEM_ACTOR,
    action: "payment.succeeded",
    target: { type: "payment", id: payment.id },
    after: { prepayment: true, invoiceId: null, received, applied: 0, credit: received, fee },
  });
  return { amountReceived: received, appliedAmount: 0, creditAmount: received, feeAmount: fee, succeededAt: new Date(), receiptNumber };
}
