import Stripe from "stripe";
import { paymentStatusWords } from "./payment-display-state";
import type { Db } from "@/lib/db/client";
import { recordAuditEvent, type AuditActor } from "@/lib/audit/record-audit-event";
import { AppError } from "@/lib/errors";
import { formatMoney } from "@/lib/money/currency";
import { cancelPaymentIntent } from "@/lib/stripe/cancel-payment-intent";
import { capturePaymentIntent } from "@/lib/stripe/capture-payment-intent";
import { retrievePaymentIntent, type PaymentIntentWithCharge } from "@/lib/stripe/retrieve-payment-intent";
import { afterPaymentApplied } from "./sync-payment-intent";
import { applyPaymentIntent } from "./apply-payment-intent";
import { ZCapturePaymentInput, type PaymentHoldView, type TCapturePaymentInput } from "./payment-holds.types";
import { invoicePayment } from "./payment-owner";

type HoldOptions = { organizationId: string; paymentId: string; actor: AuditActor; stripe?: Stripe };

/** The authorized card payment, or 404 (other organizations' too) / 409 when it holds nothing to capture. */
async function getAuthorizedPaymentOrThrow(db: Db, options: { organizationId: string; paymentId: string }, action: string) {
  const payment = await db.payment.findFirst({ where: { id: options.paymentId, organizationId: options.organizationId } });
  if (!payment) throw new AppError("NOT_FOUND", "That payment does not exist.");
  if (payment.status !== "requires_capture" || !payment.stripePaymentIntentId) {
    throw new AppError("CONFLICT", `This payment is ${paymentStatusWords(payment.status)}; only a card authorization awaiting capture can be ${action}.`);
  }
  return { ...invoicePayment(payment), stripePaymentIntentId: payment.stripePaymentIntentId };
}

function stateConflict(paymentIntent: Stripe.PaymentIntent, action: string): AppError {
  const expired = paymentIntent.status === "canceled" && paymentIntent.cancellation_reason === "automatic";
  if (expired) return new AppError("CONFLICT", `The card authorization expired before it was ${action}; ask the patient to pay again.`);
  return new AppError(
    "CONFLICT",
    `The card authorization is already ${paymentIntent.status === "succeeded" ? "captured" : paymentIntent.status.replaceAll("_", " ")}; nothing was ${action}.`,
  );
}

/**
 * Calls Stripe (outside any transaction). A Stripe refusal because the intent moved on (captured or
 * released elsewhere, expired, or the same key replayed with another amount) converges on
 * Stripe's truth with the webhook's code and answers 409; an unreachable Stripe answers 503.
 */
async function callStripe(
  db: Db,
  paymentIntentId: string,
  action: string,
  call: () => Promise<Stripe.PaymentIntent>,
  stripe?: Stripe,
): Promise<Stripe.PaymentIntent> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof Stripe.errors.StripeInvalidRequestError || error instanceof Stripe.errors.StripeIdempotencyError) {
      const current = await retrievePaymentIntent(paymentIntentId, stripe);
      await afterPaymentApplied(db, await db.$transaction((tx) => applyPaymentIntent(tx, current)), stripe);
      if (current.status !== "requires_capture") throw stateConflict(current, action);
      throw new AppError("CONFLICT", `Stripe refused: ${error.message}`, { cause: error });
    }
    throw new AppError("SERVICE_UNAVAILABLE", "Card payments are unavailable right now. Try again in a few minutes.", { cause: error });
  }
}

/** This payment's audit event of one kind; bounded by the payment's creation so the (organization, time) index serves it. */
function recordedSince(payment: { id: string; organizationId: string; createdAt: Date }, action: string) {
  return { organizationId: payment.organizationId, createdAt: { gte: payment.createdAt }, targetType: "payment", targetId: payment.id, action };
}

/** Loads what the API and the payment page show after a capture or release. */
async function toHoldView(db: Db, paymentId: string): Promise<PaymentHoldView> {
  const found = await db.payment.findUniqueOrThrow({
    where: { id: paymentId },
    include: { invoice: { select: { id: true, number: true, status: true, amountDue: true } } },
  });
  const payment = invoicePayment(found);
  if (!payment.invoice) throw new Error(`payment ${payment.id} has no invoice`);
  const iso = (date: Date | null) => date?.toISOString() ?? null;
  return {
    id: payment.id,
    invoiceId: payment.invoiceId,
    status: payment.status,
    currency: payment.currency,
    amount: payment.amount,
    amountReceived: payment.amountReceived,
    amountCapturable: payment.amountCapturable,
    feeAmount: payment.feeAmount,
    authorizedAt: iso(payment.authorizedAt),
    captureBefore: iso(payment.captureBefore),
    succeededAt: iso(payment.succeededAt),
    canceledAt: iso(payment.canceledAt),
    invoice: payment.invoice,
  };
}

/**
 * Captures all or part of an authorized card payment. The Stripe call carries the key
 * `carebill:payment:<id>:capture` (a retry replays the first capture), then the returned
 * PaymentIntent is applied exactly as the webhook applies it, in one transaction: the invoice is
 * paid by what was captured and the journals are the card payment's (Dr Stripe clearing / Cr
 * accounts receivable, and the fee: Dr processing fees / Cr Stripe clearing). Capturing less
 * releases the rest of the hold; the invoice keeps owing the difference.
 */
export async function capturePayment(db: Db, options: HoldOptions & { input: TCapturePaymentInput }): Promise<PaymentHoldView> {
  const input = ZCapturePaymentInput.parse(options.input);
  const payment = await getAuthorizedPaymentOrThrow(db, options, "captured");
  const invoice = await db.invoice.findUniqueOrThrow({ where: { id: payment.invoiceId }, select: { number: true, status: true } });
  if (invoice.status === "void") {
    throw new AppError(
      "CONFLICT",
      `${invoice.number ?? "The invoice"} was voided, so the patient owes nothing for it. Release the hold instead of capturing it.`,
    );
  }
  const amount = input.amount ?? payment.amountCapturable;
  if (amount > payment.amountCapturable) {
    const authorized = formatMoney(payment.amountCapturable, payment.currency);
    throw new AppError("VALIDATION_FAILED", `The card was authorized for ${authorized}; capture at most that.`, {
      fields: { amount: [`Capture at most ${authorized}, the authorized amount.`] },
    });
  }
  const captured: PaymentIntentWithCharge | Stripe.PaymentIntent = await callStripe(
    db,
    payment.stripePaymentIntentId,
    "captured",
    () => capturePaymentIntent({ paymentId: payment.id, paymentIntentId: payment.stripePaymentIntentId, amountToCapture: amount }, options.stripe),
    options.stripe,
  );
  const applied = await db.$transaction(async (tx) => {
    const result = await applyPaymentIntent(tx, captured);
    // The payment row is locked by applyPaymentIntent: a concurrent replay of the same capture waits here and records nothing twice.
    const recorded = await tx.auditEvent.findFirst({ where: recordedSince(payment, "payment.captured"), select: { id: true } });
    if (recorded) return result;
    await recordAuditEvent(tx, {
      organizationId: options.organizationId,
      actor: options.actor,
      action: "payment.captured",
      target: { type: "payment", id: payment.id },
      before: { status: "requires_capture", amountCapturable: payment.amountCapturable },
      after: { status: captured.status, captured: captured.amount_received, released: payment.amountCapturable - captured.amount_received },
    });
    return result;
  });
  await afterPaymentApplied(db, applied, options.stripe);
  return toHoldView(db, payment.id);
}

/**
 * Releases an authorized card payment without charging it: the PaymentIntent is canceled (key
 * `carebill:payment:<id>:release`) and the payment becomes `canceled`. No money moved, so nothing
 * is booked; the invoice keeps owing what it owed.
 */
export async function releasePayment(db: Db, options: HoldOptions): Promise<PaymentHoldView> {
  const payment = await getAuthorizedPaymentOrThrow(db, options, "released");
  const canceled = await callStripe(
    db,
    payment.stripePaymentIntentId,
    "released",
    () =>
      cancelPaymentIntent({ paymentId: payment.id, paymentIntentId: payment.stripePaymentIntentId, reason: "abandoned", purpose: "release" }, options.stripe),
    options.stripe,
  );
  await db.$transaction(async (tx) => {
    await applyPaymentIntent(tx, canceled);
    const recorded = await tx.auditEvent.findFirst({ where: recordedSince(payment, "payment.released"), select: { id: true } });
    if (recorded) return;
    await recordAuditEvent(tx, {
      organizationId: options.organizationId,
      actor: options.actor,
      action: "payment.released",
      target: { type: "payment", id: payment.id },
      before: { status: "requires_capture", amountCapturable: payment.amountCapturable },
      after: { status: canceled.status },
    });
  });
  return toHoldView(db, payment.id);
}
