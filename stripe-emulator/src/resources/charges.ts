import type Stripe from "stripe";
import { describeCard } from "../cards";
import { emitEvent, nowSeconds, type Context } from "../context";
import { resourceMissing } from "../errors";
import type { FormObject } from "../form";
import { newId } from "../ids";
import { allowOnly, applyMetadata, expandPaths, optionalNullableString, optionalString } from "../params";
import { expand, idOf, paginate, present } from "../render";
import { param, route, type Route } from "../router";
import { recordChargeTransaction } from "./balance-transactions";
import { cardNumberOf } from "./payment-methods";

export type ChargeFailure = { code: string; declineCode: string; message: string };

export function getChargeOrThrow(ctx: Context, id: string, paramName = "id"): Stripe.Charge {
  const charge = ctx.account.charges[id];
  if (!charge) throw resourceMissing(id, paramName);
  return charge;
}

function outcomeFor(failure: ChargeFailure | null): Stripe.Charge.Outcome {
  if (failure) {
    return {
      advice_code: null,
      network_advice_code: null,
      network_decline_code: null,
      network_status: "declined_by_network",
      reason: failure.declineCode,
      risk_level: "normal",
      risk_score: 40,
      seller_message: "The bank did not return any further details with this decline.",
      type: "issuer_declined",
    };
  }
  return {
    advice_code: null,
    network_advice_code: null,
    network_decline_code: null,
    network_status: "approved_by_network",
    reason: null,
    risk_level: "normal",
    risk_score: 32,
    seller_message: "Payment complete.",
    type: "authorized",
  };
}

/**
 * Creates the Charge for one payment attempt of a PaymentIntent. A succeeded charge with
 * `capture` is captured at once and, unless `deferBalanceTransaction` (capture_method
 * `automatic_async`), gets its balance transaction immediately.
 */
export function createCharge(
  ctx: Context,
  options: {
    paymentIntent: Stripe.PaymentIntent;
    paymentMethod: Stripe.PaymentMethod;
    failure: ChargeFailure | null;
    capture: boolean;
    deferBalanceTransaction: boolean;
    threeDSecure: boolean;
  },
): Stripe.Charge {
  const { paymentIntent, paymentMethod, failure } = options;
  const card = paymentMethod.card;
  const testCard = describeCard(cardNumberOf(ctx, paymentMethod));
  const succeeded = failure === null;
  const captured = succeeded && options.capture;
  const id = newId("ch");
  const charge: Stripe.Charge = {
    id,
    object: "charge",
    amount: paymentIntent.amount,
    amount_captured: captured ? paymentIntent.amount : 0,
    amount_refunded: 0,
    application: null,
    application_fee: null,
    application_fee_amount: null,
    balance_transaction: null,
    billing_details: paymentMethod.billing_details,
    calculated_statement_descriptor: succeeded ? "STRIPE EMULATOR" : null,
    captured,
    created: nowSeconds(ctx),
    currency: paymentIntent.currency,
    customer: idOf(paymentIntent.customer),
    description: paymentIntent.description,
    disputed: false,
    failure_balance_transaction: null,
    failure_code: failure?.code ?? null,
    failure_message: failure?.message ?? null,
    fraud_details: {},
    livemode: false,
    metadata: { ...paymentIntent.metadata },
    on_behalf_of: null,
    outcome: outcomeFor(failure),
    paid: succeeded,
    payment_intent: paymentIntent.id,
    payment_method: paymentMethod.id,
    payment_method_details: {
      card: {
        amount_authorized: succeeded ? paymentIntent.amount : null,
        authorization_code: succeeded ? "123456" : null,
        brand: card?.brand ?? testCard.brand,
        checks: { address_line1_check: null, address_postal_code_check: null, cvc_check: "pass" },
        country: "US",
        electronic_commerce_indicator: null,
        exp_month: card?.exp_month ?? 12,
        exp_year: card?.exp_year ?? 2030,
        extended_authorization: { status: "disabled" },
        fingerprint: card?.fingerprint ?? null,
        funding: testCard.funding,
        incremental_authorization: { status: "unavailable" },
        installments: null,
        last4: card?.last4 ?? null,
        mandate: null,
        multicapture: { status: "unavailable" },
        network: card?.brand ?? testCard.brand,
        network_token: { used: false },
        network_transaction_id: succeeded ? "1041029786787710" : null,
        overcapture: { maximum_amount_capturable: paymentIntent.amount, status: "unavailable" },
        regulated_status: "unregulated",
        three_d_secure: options.threeDSecure
          ? {
              authentication_flow: "challenge",
              electronic_commerce_indicator: "05",
              exemption_indicator: null,
              result: "authenticated",
              result_reason: null,
              transaction_id: null,
              version: "2.2.0",
            }
          : null,
        transaction_link_id: null,
        wallet: null,
      },
      type: "card",
    },
    receipt_email: paymentIntent.receipt_email,
    receipt_number: null,
    receipt_url: succeeded ? `${ctx.baseUrl}/_emulator/receipts/${id}` : null,
    refunded: false,
    review: null,
    shipping: null,
    source: null,
    source_transfer: null,
    statement_descriptor: paymentIntent.statement_descriptor,
    statement_descriptor_suffix: paymentIntent.statement_descriptor_suffix,
    status: succeeded ? "succeeded" : "failed",
    transfer_data: null,
    transfer_group: null,
  };
  ctx.account.charges[id] = charge;
  if (captured && !options.deferBalanceTransaction) {
    charge.balance_transaction = recordChargeTransaction(ctx, charge).id;
  }
  return charge;
}

/** Deferred balance transaction of an `automatic_async` capture, announced by `charge.updated`. */
export function attachBalanceTransaction(ctx: Context, chargeId: string): void {
  const charge = ctx.account.charges[chargeId];
  if (!charge || charge.balance_transaction !== null || !charge.captured) return;
  charge.balance_transaction = recordChargeTransaction(ctx, charge).id;
  emitEvent(ctx, "charge.updated", present(ctx, charge), { balance_transaction: null });
}

function updateCharge(ctx: Context, params: FormObject, id: string) {
  allowOnly(params, ["description", "metadata", "receipt_email"]);
  const charge = getChargeOrThrow(ctx, id);
  const before = present(ctx, charge);
  const description = optionalNullableString(params, "description");
  if (description !== undefined) charge.description = description;
  const receiptEmail = optionalNullableString(params, "receipt_email");
  if (receiptEmail !== undefined) charge.receipt_email = receiptEmail;
  charge.metadata = applyMetadata(charge.metadata, params);
  const after = present(ctx, charge);
  const previous: Record<string, unknown> = {};
  for (const key of ["description", "metadata", "receipt_email"]) {
    if (JSON.stringify(after[key]) !== JSON.stringify(before[key])) previous[key] = before[key];
  }
  emitEvent(ctx, "charge.updated", after, previous);
  return { body: expand(ctx, after, expandPaths(params)) };
}

export const chargeRoutes: Route[] = [
  route("GET", "/v1/charges", (ctx, params) => {
    allowOnly(params, ["limit", "starting_after", "ending_before", "created", "customer", "payment_intent"]);
    const customer = optionalString(params, "customer");
    const paymentIntent = optionalString(params, "payment_intent");
    const items = Object.values(ctx.account.charges).filter(
      (charge) => (customer === undefined || charge.customer === customer) && (paymentIntent === undefined || charge.payment_intent === paymentIntent),
    );
    return { body: expand(ctx, paginate(ctx, items, params, "/v1/charges"), expandPaths(params)) };
  }),
  route("GET", "/v1/charges/:id", (ctx, params, path) => {
    allowOnly(params, []);
    return { body: expand(ctx, present(ctx, getChargeOrThrow(ctx, param(path, 0))), expandPaths(params)) };
  }),
  route("POST", "/v1/charges/:id", (ctx, params, path) => updateCharge(ctx, params, param(path, 0))),
];
