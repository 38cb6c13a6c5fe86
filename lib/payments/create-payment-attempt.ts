import type Stripe from "stripe";
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { describeInvoiceState, lockInvoice } from "@/lib/invoices/lock-invoice";
import { createPaymentIntent } from "@/lib/stripe/create-payment-intent";
import type { PaymentIntentWithCharge } from "@/lib/stripe/retrieve-payment-intent";
import { ensureStripeCustomer } from "./ensure-stripe-customer";
import { IN_FLIGHT_STATUSES } from "./payment-status";

/** The smallest card payment Stripe accepts in most currencies (50 cents); a smaller balance is paid whole. */
export const MIN_CARD_PAYMENT = 50;

export const ZPaymentAmount = z.object({
  /** Minor units; omitted means "the whole balance". */
  amount: z.number().int("Enter a whole amount in minor units.").positive("Enter an amount above zero.").optional(),
  /** The patient agrees to keep this card on file for later payments to the clinic. */
  saveCard: z.boolean().default(false),
});

/**
 * Records a card payment attempt for an open invoice and creates its PaymentIntent. The amount
 * is checked against what the invoice still owes minus attempts already in flight, under the
 * invoice's row lock; the row is committed before Stripe is called (no transaction is held open
 * across the network), and its id derives the idempotency key, so a retry never charges twice.
 */
export async function createPaymentAttempt(
  db: Db,
  options: { organizationId: string; invoiceId: string; amount?: number; saveCard?: boolean; paymentLinkId?: string; stripe?: Stripe },
): Promise<{ paymentId: string; clientSecret: string; amount: number; currency: string; paymentIntent: PaymentIntentWithCharge }> {
  const { amount: requested, saveCard } = ZPaymentAmount.parse({ amount: options.amount, saveCard: options.saveCard });
  const payment = await db.$transaction(async (tx) => {
    const invoice = await lockInvoice(tx, { id: options.invoiceId, organizationId: options.organizationId });
    if (invoice.status !== "open" && invoice.status !== "partially_paid") {
      throw new AppError("CONFLICT", invoice.status === "paid" ? "This invoice is already paid." : `${describeInvoiceState({ ...invoice, number: null })}, so it cannot be paid.`);
    }
    const inFlight = await tx.payment.aggregate({
      where: { invoiceId: invoice.id, status: { in: [...IN_FLIGHT_STATUSES] } },
      _sum: { amount: true },
    });
    const owed = invoice.amountDue - (inFlight._sum.amount ?? 0);
    if (owed <= 0) throw new AppError("CONFLICT", "A payment for the rest of this invoice is already being processed.");
    const amount = requested ?? owed;
    const minimum = Math.min(MIN_CARD_PAYMENT, owed);
    if (amount > owed || amount < minimum) {
      throw new AppError("VALIDATION_FAILED", "That amount cannot be paid.", {
        fields: { amount: [amount > owed ? `Pay at most what is owed (${owed} minor units).` : `Pay at least ${minimum} minor units.`] },
      });
    }
    const { cardCaptureMethod } = await tx.organization.findUniqueOrThrow({ where: { id: options.organizationId }, select: { cardCaptureMethod: true } });
    const created = await tx.payment.create({
      data: {
        organizationId: options.organizationId,
        invoiceId: invoice.id,
        patientId: invoice.patientId,
        source: "pay_page",
        methodType: "card",
        status: "requires_payment_method",
        currency: invoice.currency,
        amount,
        saveCard,
        paymentLinkId: options.paymentLinkId ?? null,
      },
    });
    return { ...created, captureMethod: cardCaptureMethod };
  });

  let paymentIntent: PaymentIntentWithCharge;
  try {
    const customerId = saveCard ? await ensureStripeCustomer(db, { organizationId: payment.organizationId, patientId: payment.patientId, stripe: options.stripe }) : undefined;
    paymentIntent = await createPaymentIntent(
      {
        metadata: { organizationId: payment.organizationId, invoiceId: payment.invoiceId, paymentId: payment.id },
        amount: payment.amount,
        currency: payment.currency.toLowerCase(),
        customerId,
        savePaymentMethod: saveCard,
        // The organization's choice when the attempt was recorded: `manual` only authorizes (captured later by staff).
        captureMethod: payment.captureMethod,
      },
      options.stripe,
    );
  } catch (error) {
    await db.payment.update({ where: { id: payment.id }, data: { status: "canceled", canceledAt: new Date(), failureMessage: "Could not reach the payment processor." } });
    throw new AppError("SERVICE_UNAVAILABLE", "Card payments are unavailable right now. Please try again in a few minutes.", { cause: error });
  }
  await db.payment.update({ where: { id: payment.id }, data: { stripePaymentIntentId: paymentIntent.id } });
  if (!paymentIntent.client_secret) throw new Error(`PaymentIntent ${paymentIntent.id} has no client secret`);
  return { paymentId: payment.id, clientSecret: paymentIntent.client_secret, amount: payment.amount, currency: payment.currency, paymentIntent };
}
