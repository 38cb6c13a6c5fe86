import Stripe from "stripe";
import { z } from "zod";
import type { Db, Tx } from "@/lib/db/client";
import { recordAuditEvent, type AuditActor } from "@/lib/audit/record-audit-event";
import { AppError } from "@/lib/errors";
import { lockInvoice } from "@/lib/invoices/lock-invoice";
import { createPaymentIntent } from "@/lib/stripe/create-payment-intent";
import { minimumCardPayment } from "@/lib/money/card-minimum";
import { formatMoney, MAX_AMOUNT } from "@/lib/money/currency";
import { IN_FLIGHT_STATUSES } from "./payment-status";
import { syncPaymentIntent } from "./sync-payment-intent";
import { getPatientOrThrow } from "@/lib/patients/get-patient-or-throw";
import { invoicePayment, patientPayment } from "./payment-owner";

export const ZChargeSavedCardInput = z.object({
  invoiceId: z.string().uuid(),
  savedPaymentMethodId: z.string().uuid("Choose a saved card."),
  /** Minor units; omitted means what the invoice still owes. */
  amount: z.number().int().positive().optional(),
});
export type TChargeSavedCardInput = z.input<typeof ZChargeSavedCardInput>;

/** A saved card charged for no invoice: the estimate collected at check-in, kept as the patient's credit. */
export const ZChargeSavedCardPrepaymentInput = z.object({
  patientId: z.string().uuid("Choose a patient."),
  savedPaymentMethodId: z.string().uuid("Choose a saved card."),
  /** Minor units. */
  amount: z
    .number({ error: "Enter an amount." })
    .int("Use whole minor units (cents).")
    .positive("Enter an amount greater than zero.")
    .max(MAX_AMOUNT, "That amount is too large."),
});
export type TChargeSavedCardPrepaymentInput = z.input<typeof ZChargeSavedCardPrepaymentInput>;

export type ChargeResult = { paymentId: string; status: string; failureMessage: string | null };

type ReservedCharge = {
  id: string;
  organizationId: string;
  invoiceId: string | null;
  patientId: string;
  amount: number;
  currency: string;
  stripePaymentMethodId: string;
};

/** The patient's saved card that may be charged without them present: theirs, not removed, with a recorded consent. */
async function getConsentedCardOrThrow(tx: Tx, options: { organizationId: string; patientId: string; savedPaymentMethodId: string }) {
  const card = await tx.savedPaymentMethod.findFirst({
    where: { id: options.savedPaymentMethodId, organizationId: options.organizationId, patientId: options.patientId, removedAt: null },
  });
  if (!card)
    throw new AppError("VALIDATION_FAILED", "That card is not saved for this patient.", {
      fields: { savedPaymentMethodId: ["Choose one of the patient's saved cards."] },
    });
  // No consent, no charge without the patient present.
  if (!card.consentId)
    throw new AppError("VALIDATION_FAILED", "This card has no recorded consent to be charged.", {
      fields: { savedPaymentMethodId: ["Add the card again with the patient's agreement to the terms."] },
    });
  return card;
}

function assertCardMinimum(amount: number, currency: string): void {
  const minimum = minimumCardPayment(currency);
  if (amount < minimum) {
    const money = (value: number) => formatMoney(value, currency);
    throw new AppError("VALIDATION_FAILED", `Stripe does not take card payments under ${money(minimum)}.`, {
      fields: { amount: [`Charge at least ${money(minimum)}, or take the ${money(amount)} at the desk.`] },
    });
  }
}

/**
 * The saved-card attempt row (card minimum checked first) and its audit event, in the caller's
 * transaction: `owner` says what it pays (an invoice, or the patient's credit as a prepayment).
 */
async function createSavedCardAttempt(
  tx: Tx,
  options: {
    organizationId: string;
    actor: AuditActor;
    card: { brand: string; last4: string };
    currency: string;
    amount: number;
    owner: { invoiceId: string | null; patientId: string; prepayment?: true; keepExcessAsCredit?: true };
    auditAfter: Record<string, string | boolean>;
  },
) {
  const { card, amount } = options;
  assertCardMinimum(amount, options.currency);
  const created = await tx.payment.create({
    data: {
      organizationId: options.organizationId,
      ...options.owner,
      source: "saved_card",
      methodType: "card",
      status: "requires_confirmation",
      currency: options.currency,
      amount,
      cardBrand: card.brand,
      cardLast4: card.last4,
    },
  });
  await recordAuditEvent(tx, {
    organizationId: options.organizationId,
    actor: options.actor,
    action: "payment.saved_card_charged",
    target: { type: "payment", id: created.id },
    after: { ...options.auditAfter, amount, card: `${card.brand} ${card.last4}` },
  });
  return created;
}

/**
 * Staff charge a card the patient saved on the pay page (their consent is recorded with the
 * card), without the patient present. Same discipline as the pay page: the attempt row is
 * committed before Stripe is called, its id is the idempotency key, and the outcome is applied
 * with the webhook's convergent code. A decline is an outcome, not an error.
 */
export async function chargeSavedCard(
  db: Db,
  options: { organizationId: string; actor: AuditActor; input: TChargeSavedCardInput; stripe?: Stripe },
): Promise<ChargeResult> {
  const input = ZChargeSavedCardInput.parse(options.input);
  const payment = await db.$transaction(async (tx): Promise<ReservedCharge> => {
    const invoice = await lockInvoice(tx, { id: input.invoiceId, organizationId: options.organizationId });
    if (invoice.status !== "open" && invoice.status !== "partially_paid") throw new AppError("CONFLICT", "This invoice has nothing left to pay.");
    const card = await getConsentedCardOrThrow(tx, {
      organizationId: options.organizationId,
      patientId: invoice.patientId,
      savedPaymentMethodId: input.savedPaymentMethodId,
    });
    const inFlight = await tx.payment.aggregate({ where: { invoiceId: invoice.id, status: { in: [...IN_FLIGHT_STATUSES] } }, _sum: { amount: true } });
    const owed = invoice.amountDue - (inFlight._sum.amount ?? 0);
    const amount = input.amount ?? owed;
    if (owed <= 0 || amount > owed) {
      throw new AppError("VALIDATION_FAILED", "That amount is more than the invoice owes.", {
        fields: { amount: [`At most ${Math.max(owed, 0)} minor units.`] },
      });
    }
    const created = await createSavedCardAttempt(tx, {
      organizationId: options.organizationId,
      actor: options.actor,
      card,
      currency: invoice.currency,
      amount,
      owner: { invoiceId: invoice.id, patientId: invoice.patientId },
      auditAfter: { invoiceId: invoice.id },
    });
    return { ...invoicePayment(created), stripePaymentMethodId: card.stripePaymentMethodId };
  });
  return sendSavedCardCharge(db, payment, options.stripe);
}

/**
 * "Saved card" on the visit page's "Collect estimate": charges a card the patient keeps on file
 * (with their recorded consent to off-session charges) for no invoice. When it succeeds the whole
 * amount becomes the patient's credit (`applyPaymentIntent`), which their share of the visit is
 * settled against when it is billed. Same discipline as `chargeSavedCard`; a decline is an outcome.
 */
export async function chargeSavedCardPrepayment(
  db: Db,
  options: { organizationId: string; actor: AuditActor; input: TChargeSavedCardPrepaymentInput; stripe?: Stripe },
): Promise<ChargeResult> {
  const input = ZChargeSavedCardPrepaymentInput.parse(options.input);
  const payment = await db.$transaction(async (tx): Promise<ReservedCharge> => {
    const patient = await getPatientOrThrow(tx, { id: input.patientId, organizationId: options.organizationId });
    const card = await getConsentedCardOrThrow(tx, {
      organizationId: options.organizationId,
      patientId: patient.id,
      savedPaymentMethodId: input.savedPaymentMethodId,
    });
    const { currency } = await tx.organization.findUniqueOrThrow({ where: { id: options.organizationId }, select: { currency: true } });
    const created = await createSavedCardAttempt(tx, {
      organizationId: options.organizationId,
      actor: options.actor,
      card,
      currency,
      amount: input.amount,
      owner: { invoiceId: null, patientId: patient.id, prepayment: true, keepExcessAsCredit: true },
      auditAfter: { prepayment: true, patientId: patient.id },
    });
    return { ...patientPayment(created), stripePaymentMethodId: card.stripePaymentMethodId };
  });
  return sendSavedCardCharge(db, payment, options.stripe);
}

/** After the attempt row is committed: the off-session PaymentIntent (its idempotency key from the row's id), then its outcome applied. */
async function sendSavedCardCharge(db: Db, payment: ReservedCharge, stripe: Stripe | undefined): Promise<ChargeResult> {
  const patient = await db.patient.findUniqueOrThrow({ where: { id: payment.patientId }, select: { stripeCustomerId: true } });
  if (!patient.stripeCustomerId) throw new Error(`patient ${payment.patientId} has a saved card but no Stripe customer`);
  let paymentIntentId: string;
  try {
    const paymentIntent = await createPaymentIntent(
      {
        metadata: { organizationId: payment.organizationId, ...(payment.invoiceId ? { invoiceId: payment.invoiceId } : {}), paymentId: payment.id },
        amount: payment.amount,
        currency: payment.currency.toLowerCase(),
        customerId: patient.stripeCustomerId,
        offSessionPaymentMethodId: payment.stripePaymentMethodId,
      },
      stripe,
    );
    paymentIntentId = paymentIntent.id;
  } catch (error) {
    const intent = error instanceof Stripe.errors.StripeCardError ? (error.raw as { payment_intent?: { id?: string } }).payment_intent : undefined;
    if (!intent?.id) {
      await db.payment.update({
        where: { id: payment.id },
        data: { status: "canceled", canceledAt: new Date(), failureMessage: "Could not reach the payment processor." },
      });
      throw new AppError("SERVICE_UNAVAILABLE", "Card payments are unavailable right now. Try again in a few minutes.", { cause: error });
    }
    paymentIntentId = intent.id;
  }
  await db.payment.update({ where: { id: payment.id }, data: { stripePaymentIntentId: paymentIntentId } });
  const result = await syncPaymentIntent(db, paymentIntentId, stripe);
  const saved = await db.payment.findUniqueOrThrow({ where: { id: payment.id }, select: { status: true, failureMessage: true } });
  return { paymentId: payment.id, status: result?.status ?? saved.status, failureMessage: saved.failureMessage };
}
