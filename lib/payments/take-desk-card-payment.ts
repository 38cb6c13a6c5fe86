import type Stripe from "stripe";
import { z } from "zod";
import type { AuditActor } from "@/lib/audit/record-audit-event";
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { zRecordId } from "@/lib/http/record-id";
import { MAX_AMOUNT } from "@/lib/money/currency";
import { createPaymentAttempt, createPrepaymentAttempt, ZPaymentAmount } from "./create-payment-attempt";
import { syncPaymentIntent } from "./sync-payment-intent";

export const ZStartDeskCardPaymentInput = ZPaymentAmount.pick({ amount: true, saveCard: true }).extend({ invoiceId: zRecordId("Unknown invoice.") });
export type TStartDeskCardPaymentInput = z.input<typeof ZStartDeskCardPaymentInput>;

export type DeskCardPaymentStarted = { paymentId: string; clientSecret: string; amount: number; currency: string; authorizeOnly: boolean };

/**
 * "Pay with card" at the front desk: staff type the patient's card into Stripe's Payment Element,
 * the patient present. The amount rules, the one live intent and the consent recorded before the
 * card is confirmed are the pay page's (`createPaymentAttempt`): at most what the invoice still
 * asks for less money already moving, a `desk_card` payment, and with "save this card" ticked a
 * card-on-file consent given through the staff member (`staff_on_behalf`, their IP and browser)
 * and `setup_future_usage=off_session` on the patient's Stripe customer.
 */
export async function startDeskCardPayment(
  db: Db,
  options: {
    organizationId: string;
    actor: AuditActor & { userId: string };
    input: TStartDeskCardPaymentInput;
    client: { ip: string | null; userAgent: string | null };
    stripe?: Stripe;
  },
): Promise<DeskCardPaymentStarted> {
  const input = ZStartDeskCardPaymentInput.parse(options.input);
  const attempt = await createPaymentAttempt(db, {
    organizationId: options.organizationId,
    invoiceId: input.invoiceId,
    amount: input.amount,
    saveCard: input.saveCard,
    desk: { actor: options.actor },
    client: options.client,
    stripe: options.stripe,
  });
  return {
    paymentId: attempt.paymentId,
    clientSecret: attempt.clientSecret,
    amount: attempt.amount,
    currency: attempt.currency,
    authorizeOnly: attempt.paymentIntent.capture_method === "manual",
  };
}

export const ZStartDeskCardPrepaymentInput = ZPaymentAmount.pick({ saveCard: true }).extend({
  patientId: zRecordId("Unknown patient."),
  amount: ZPaymentAmount.shape.amount.unwrap().max(MAX_AMOUNT, "That amount is too large."),
});
export type TStartDeskCardPrepaymentInput = z.input<typeof ZStartDeskCardPrepaymentInput>;

/**
 * "Card (type it in)" on the visit page's "Collect estimate": as `startDeskCardPayment`, but for no
 * invoice (`createPrepaymentAttempt`): the whole amount becomes the patient's credit when the card
 * succeeds, and `completeDeskCardPayment` records it like any desk card payment.
 */
export async function startDeskCardPrepayment(
  db: Db,
  options: {
    organizationId: string;
    actor: AuditActor & { userId: string };
    input: TStartDeskCardPrepaymentInput;
    client: { ip: string | null; userAgent: string | null };
    stripe?: Stripe;
  },
): Promise<DeskCardPaymentStarted> {
  const input = ZStartDeskCardPrepaymentInput.parse(options.input);
  const attempt = await createPrepaymentAttempt(db, {
    organizationId: options.organizationId,
    patientId: input.patientId,
    amount: input.amount,
    saveCard: input.saveCard,
    desk: { actor: options.actor },
    client: options.client,
    stripe: options.stripe,
  });
  return { paymentId: attempt.paymentId, clientSecret: attempt.clientSecret, amount: attempt.amount, currency: attempt.currency, authorizeOnly: false };
}

export type DeskCardPaymentOutcome = {
  paymentId: string;
  status: string;
  receiptNumber: string | null;
  /** Taken for no invoice: everything received is the patient's credit. */
  prepayment: boolean;
  /** The issuer's reason for a decline, to show the staff (who may try another card). */
  failureMessage: string | null;
  /** The card kept on file with this payment, when "save this card" was ticked and it succeeded. */
  savedCard: { brand: string; last4: string } | null;
};

/**
 * After the browser confirmed a desk card payment: asks Stripe for the intent's state and records
 * it with the webhook's convergent code (whichever comes first books it, once; the card kept on
 * file is the same either way). Scoped: another organization's payment, or one not taken at the
 * desk, is not found.
 */
export async function completeDeskCardPayment(
  db: Db,
  options: { organizationId: string; paymentId: string; stripe?: Stripe },
): Promise<DeskCardPaymentOutcome> {
  const payment = await db.payment.findFirst({
    where: { id: options.paymentId, organizationId: options.organizationId, source: "desk_card" },
    select: { id: true, stripePaymentIntentId: true },
  });
  if (!payment?.stripePaymentIntentId) throw new AppError("NOT_FOUND", "That card payment does not exist.");
  await syncPaymentIntent(db, payment.stripePaymentIntentId, options.stripe);
  const fresh = await db.payment.findUniqueOrThrow({
    where: { id: payment.id },
    select: {
      status: true,
      prepayment: true,
      receiptNumber: true,
      failureMessage: true,
      saveCard: true,
      consent: { select: { cards: { select: { brand: true, last4: true } } } },
    },
  });
  const savedCard = fresh.status === "succeeded" && fresh.saveCard ? (fresh.consent?.cards[0] ?? null) : null;
  return {
    paymentId: payment.id,
    status: fresh.status,
    receiptNumber: fresh.receiptNumber,
    prepayment: fresh.prepayment,
    failureMessage: fresh.status === "failed" ? (fresh.failureMessage ?? "The card was declined.") : null,
    savedCard,
  };
}
