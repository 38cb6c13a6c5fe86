import Stripe from "stripe";
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { recordAuditEvent, type AuditActor } from "@/lib/audit/record-audit-event";
import { AppError } from "@/lib/errors";
import { lockInvoice } from "@/lib/invoices/lock-invoice";
import { createPaymentIntent } from "@/lib/stripe/create-payment-intent";
import { minimumCardPayment } from "@/lib/money/card-minimum";
import { formatMoney } from "@/lib/money/currency";
import { IN_FLIGHT_STATUSES } from "./payment-status";
import { syncPaymentIntent } from "./sync-payment-intent";
import { patientPayment } from "./payment-owner";

export const ZChargeSavedCardInput = z.object({
  invoiceId: z.string().uuid(),
  savedPaymentMethodId: z.string().uuid("Choose a saved card."),
  /** Minor units; omitted means what the invoice still owes. */
  amount: z.number().int().positive().optional(),
});
export type TChargeSavedCardInput = z.input<typeof ZChargeSavedCardInput>;

export type ChargeResult = { paymentId: string; status: string; failureMessage: string | null };

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
  const payment = await db.$transaction(async (tx) => {
    const invoice = await lockInvoice(tx, { id: input.invoiceId, organizationId: options.organizationId });
    if (invoice.status !== "open" && invoice.status !== "partially_paid") throw new AppError("CONFLICT", "This invoice has nothing left to pay.");
    const card = await tx.savedPaymentMethod.findFirst({
      where: { id: input.savedPaymentMethodId, organizationId: options.organizationId, patientId: invoice.patientId, removedAt: null },
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
    const inFlight = await tx.payment.aggregate({ where: { invoiceId: invoice.id, status: { in: [...IN_FLIGHT_STATUSES] } }, _sum: { amount: true } });
    const owed = invoice.amountDue - (inFlight._sum.amount ?? 0);
    const amount = input.amount ?? owed;
    if (owed <= 0 || amount > owed) {
      throw new AppError("VALIDATION_FAILED", "That amount is more than the invoice owes.", {
        fields: { amount: [`At most ${Math.max(owed, 0)} minor units.`] },
      });
    }
    const minimum = minimumCardPayment(invoice.currency);
    if (amount < minimum) {
      const money = (value: number) => formatMoney(value, invoice.currency);
      throw new AppError("VALIDATION_FAILED", `Stripe does not take card payments under ${money(minimum)}.`, {
        fields: { amount: [`Charge at least ${money(minimum)}, or take the ${money(amount)} at the desk.`] },
      });
    }
    const created = await tx.payment.create({
      data: {
        organizationId: options.organizationId,
        invoiceId: invoice.id,
        patientId: invoice.patientId,
        source: "saved_card",
        methodType: "card",
        status: "requires_confirmation",
        currency: invoice.currency,
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
      after: { invoiceId: invoice.id, amount, card: `${card.brand} ${card.last4}` },
    });
    return { ...patientPayment(created), stripePaymentMethodId: card.stripePaymentMethodId };
  });

  const patient = await db.patient.findUniqueOrThrow({ where: { id: payment.patientId }, select: { stripeCustomerId: true } });
  if (!patient.stripeCustomerId) throw new Error(`patient ${payment.patientId} has a saved card but no Stripe customer`);
  let paymentIntentId: string;
  try {
    const paymentIntent = await createPaymentIntent(
      {
        metadata: { organizationId: payment.organizationId, invoiceId: payment.invoiceId, paymentId: payment.id },
        amount: payment.amount,
        currency: payment.currency.toLowerCase(),
        customerId: patient.stripeCustomerId,
        offSessionPaymentMethodId: payment.stripePaymentMethodId,
      },
      options.stripe,
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
  const result = await syncPaymentIntent(db, paymentIntentId, options.stripe);
  const saved = await db.payment.findUniqueOrThrow({ where: { id: payment.id }, select: { status: true, failureMessage: true } });
  return { paymentId: payment.id, status: result?.status ?? saved.status, failureMessage: saved.failureMessage };
}
