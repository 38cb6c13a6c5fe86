import type Stripe from "stripe";
import { describeCard } from "../cards";
import { clone, emitEvent, nowMs, nowSeconds, schedule, type Context } from "../context";
import { invalidRequest, missingParam, resourceMissing } from "../errors";
import type { FormObject } from "../form";
import { newId } from "../ids";
import { allowOnly, applyMetadata, expandPaths, optionalEnum, optionalInteger, optionalString } from "../params";
import { expand, idOf, paginate, present } from "../render";
import { param, route, type Route } from "../router";
import { recordBalanceTransaction } from "./balance-transactions";
import { getChargeOrThrow } from "./charges";
import { getPaymentIntentOrThrow } from "./payment-intents";
import { cardNumberOf } from "./payment-methods";

function dollars(cents: number): string {
  return `$${(cents / 100).toFixed(2)}`;
}

function chargeToRefund(ctx: Context, params: FormObject): Stripe.Charge {
  const chargeId = optionalString(params, "charge");
  const paymentIntentId = optionalString(params, "payment_intent");
  if (chargeId && paymentIntentId) {
    throw invalidRequest("You may only specify one of these parameters: charge, payment_intent.", "charge");
  }
  if (chargeId) return getChargeOrThrow(ctx, chargeId, "charge");
  if (!paymentIntentId) throw missingParam("charge");
  const paymentIntent = getPaymentIntentOrThrow(ctx, paymentIntentId, "payment_intent");
  const charge = ctx.account.charges[idOf(paymentIntent.latest_charge) ?? ""];
  if (!charge || charge.status !== "succeeded") {
    throw invalidRequest(`This PaymentIntent (${paymentIntent.id}) does not have a successful charge to refund.`, "payment_intent");
  }
  return charge;
}

function isOpenChargeback(ctx: Context, charge: Stripe.Charge): boolean {
  return Object.values(ctx.account.disputes).some(
    (dispute) => dispute.charge === charge.id && !dispute.status.startsWith("warning_") && dispute.status !== "won",
  );
}

/** What Stripe's test cards do to a refund of their charge (docs.stripe.com/testing#refunds). */
function refundBehaviour(ctx: Context, charge: Stripe.Charge): "immediate" | "pending_then_succeeded" | "succeeded_then_failed" {
  const paymentMethod = ctx.account.paymentMethods[idOf(charge.payment_method) ?? ""];
  const kind = paymentMethod ? describeCard(cardNumberOf(ctx, paymentMethod)).behaviour.kind : null;
  if (kind === "refund_pending") return "pending_then_succeeded";
  if (kind === "refund_fails") return "succeeded_then_failed";
  return "immediate";
}

/** The acquirer reference number a card refund gets once it has reached the card network. */
function availableReference(ctx: Context, refund: Stripe.Refund): void {
  if (!refund.destination_details?.card) return;
  refund.destination_details.card.reference_status = "available";
  refund.destination_details.card.reference = `7400${String(nowMs(ctx)).slice(-9)}${refund.amount}`;
}

/**
 * Refunds part or all of a captured charge. The sum of refunds never exceeds what was
 * captured. As in Stripe, a card refund is `succeeded` in the answer and does not change
 * after that; only the test cards 4000 0000 0000 7726 (`pending`, then `succeeded`) and
 * 4000 0000 0000 5126 (`succeeded`, then `failed`) change later, on the clock.
 */
function createRefund(ctx: Context, params: FormObject) {
  allowOnly(params, ["charge", "payment_intent", "amount", "reason", "metadata", "instructions_email", "refund_application_fee", "reverse_transfer"]);
  const charge = chargeToRefund(ctx, params);
  if (!charge.captured) {
    throw invalidRequest(
      `Charge ${charge.id} has not been captured. Cancel its PaymentIntent to release the authorization instead.`,
      "charge",
      "charge_not_refundable",
    );
  }
  if (isOpenChargeback(ctx, charge)) {
    throw invalidRequest(`Charge ${charge.id} has been charged back; cannot issue a refund.`, "charge", "charge_disputed");
  }
  const remaining = charge.amount - charge.amount_refunded;
  if (remaining <= 0) throw invalidRequest(`Charge ${charge.id} has already been refunded.`, "charge", "charge_already_refunded");
  const amount = optionalInteger(params, "amount") ?? remaining;
  if (amount < 1) throw invalidRequest("Invalid positive integer", "amount");
  if (amount > remaining) {
    throw invalidRequest(
      `Refund amount (${dollars(amount)}) is greater than unrefunded amount on charge (${dollars(remaining)})`,
      "amount",
      "amount_too_large",
    );
  }
  const behaviour = refundBehaviour(ctx, charge);
  const id = newId("re");
  const transaction = recordBalanceTransaction(ctx, {
    amount: -amount,
    currency: charge.currency,
    fee: 0,
    type: "refund",
    reportingCategory: "refund",
    source: id,
    description: "REFUND FOR CHARGE",
  });
  const refund: Stripe.Refund = {
    id,
    object: "refund",
    amount,
    balance_transaction: transaction.id,
    charge: charge.id,
    created: nowSeconds(ctx),
    currency: charge.currency,
    customer: idOf(charge.customer),
    customer_account: null,
    destination_details: {
      card: { reference_status: "pending", reference_type: "acquirer_reference_number", type: "refund" },
      type: "card",
    },
    metadata: applyMetadata({}, params),
    payment_intent: idOf(charge.payment_intent),
    payment_method: idOf(charge.payment_method),
    reason: optionalEnum(params, "reason", ["duplicate", "fraudulent", "requested_by_customer"] as const) ?? null,
    receipt_number: null,
    source_transfer_reversal: null,
    status: behaviour === "pending_then_succeeded" ? "pending" : "succeeded",
    transfer_reversal: null,
  };
  if (refund.status === "succeeded") availableReference(ctx, refund);
  ctx.account.refunds[id] = refund;
  const previous = { amount_refunded: charge.amount_refunded, refunded: charge.refunded };
  charge.amount_refunded += amount;
  charge.refunded = charge.amount_refunded === charge.amount;
  emitEvent(ctx, "refund.created", present(ctx, refund));
  emitEvent(ctx, "charge.refunded", present(ctx, charge), previous);
  if (behaviour !== "immediate") schedule(ctx, { at: nowMs(ctx) + ctx.store.asyncDelayMs, kind: "settle_refund", refund: id });
  return { body: expand(ctx, present(ctx, refund), expandPaths(params)) };
}

/**
 * Clock task for the asynchronous test cards: a 7726 refund goes `pending` → `succeeded`, a
 * 5126 refund `succeeded` → `failed` (`failure_reason: expired_or_canceled_card`, the money
 * returns to the balance).
 */
export function settleRefund(ctx: Context, id: string): void {
  const refund = ctx.account.refunds[id];
  if (!refund) return;
  const charge = ctx.account.charges[idOf(refund.charge) ?? ""];
  if (!charge) return;
  const behaviour = refundBehaviour(ctx, charge);
  const previous: Record<string, unknown> = { status: refund.status };
  let failed = false;
  if (behaviour === "pending_then_succeeded" && refund.status === "pending") {
    refund.status = "succeeded";
    previous.destination_details = clone(refund.destination_details);
    availableReference(ctx, refund);
  } else if (behaviour === "succeeded_then_failed" && refund.status === "succeeded") {
    const reversal = recordBalanceTransaction(ctx, {
      amount: refund.amount,
      currency: refund.currency,
      fee: 0,
      type: "refund_failure",
      reportingCategory: "refund_failure",
      source: refund.id,
      description: "REFUND FAILURE",
    });
    refund.status = "failed";
    refund.failure_reason = "expired_or_canceled_card";
    refund.failure_balance_transaction = reversal.id;
    charge.amount_refunded -= refund.amount;
    charge.refunded = false;
    failed = true;
  } else {
    return;
  }
  const presented = present(ctx, refund);
  emitEvent(ctx, "refund.updated", presented, previous);
  emitEvent(ctx, "charge.refund.updated", presented, previous);
  if (failed) emitEvent(ctx, "refund.failed", presented, previous);
}

function getRefundOrThrow(ctx: Context, id: string): Stripe.Refund {
  const refund = ctx.account.refunds[id];
  if (!refund) throw resourceMissing(id);
  return refund;
}

function listRefunds(ctx: Context, params: FormObject, chargeId: string | undefined, url: string) {
  const paymentIntent = optionalString(params, "payment_intent");
  const items = Object.values(ctx.account.refunds).filter(
    (refund) => (chargeId === undefined || refund.charge === chargeId) && (paymentIntent === undefined || refund.payment_intent === paymentIntent),
  );
  return { body: expand(ctx, paginate(ctx, items, params, url), expandPaths(params)) };
}

export const refundRoutes: Route[] = [
  route("POST", "/v1/refunds", (ctx, params) => createRefund(ctx, params)),
  route("GET", "/v1/refunds", (ctx, params) => {
    allowOnly(params, ["limit", "starting_after", "ending_before", "created", "charge", "payment_intent"]);
    return listRefunds(ctx, params, optionalString(params, "charge"), "/v1/refunds");
  }),
  route("GET", "/v1/refunds/:id", (ctx, params, path) => {
    allowOnly(params, []);
    return { body: expand(ctx, present(ctx, getRefundOrThrow(ctx, param(path, 0))), expandPaths(params)) };
  }),
  route("POST", "/v1/refunds/:id", (ctx, params, path) => {
    allowOnly(params, ["metadata"]);
    const refund = getRefundOrThrow(ctx, param(path, 0));
    const previous = { metadata: refund.metadata };
    refund.metadata = applyMetadata(refund.metadata ?? {}, params);
    emitEvent(ctx, "refund.updated", present(ctx, refund), previous);
    return { body: expand(ctx, present(ctx, refund), expandPaths(params)) };
  }),
  route("GET", "/v1/charges/:id/refunds", (ctx, params, path) => {
    allowOnly(params, ["limit", "starting_after", "ending_before"]);
    const charge = getChargeOrThrow(ctx, param(path, 0));
    return listRefunds(ctx, params, charge.id, `/v1/charges/${charge.id}/refunds`);
  }),
  route("GET", "/v1/charges/:id/refunds/:refund", (ctx, params, path) => {
    allowOnly(params, []);
    const refund = getRefundOrThrow(ctx, param(path, 1));
    if (refund.charge !== param(path, 0)) throw resourceMissing(refund.id);
    return { body: expand(ctx, present(ctx, refund), expandPaths(params)) };
  }),
];
