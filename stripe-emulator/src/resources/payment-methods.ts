import type Stripe from "stripe";
import { describeCard, fingerprintOf, magicPaymentMethodNumber, passesLuhn } from "../cards";
import { emitEvent, nowMs, nowSeconds, type Context } from "../context";
import { invalidRequest, missingParam, resourceMissing, StripeApiError } from "../errors";
import type { FormObject } from "../form";
import { newId } from "../ids";
import { allowOnly, applyMetadata, expandPaths, optionalEnum, optionalObject, optionalString, rejectUnsupported, requiredString } from "../params";
import { expand, idOf, paginate, present } from "../render";
import { param, route, type Route } from "../router";
import { getCustomerOrThrow } from "./customers";

function cardError(code: string, message: string, param: string): StripeApiError {
  return new StripeApiError(402, { type: "card_error", code, message, param });
}

type CardInput = { number: string; expMonth: number; expYear: number };

/** Validates typed-in card details the way Stripe's tokenizer does, with card_error 402s. */
function readCard(ctx: Context, card: FormObject): CardInput {
  const number = (optionalString(card, "number") ?? "").replace(/[\s-]/g, "");
  if (number === "") throw missingParam("card[number]");
  if (!passesLuhn(number)) throw cardError("incorrect_number", "Your card number is incorrect.", "card[number]");
  const monthText = optionalString(card, "exp_month");
  if (monthText === undefined) throw missingParam("card[exp_month]");
  const yearText = optionalString(card, "exp_year");
  if (yearText === undefined) throw missingParam("card[exp_year]");
  const expMonth = Number(monthText);
  if (!/^[0-9]{1,2}$/.test(monthText) || expMonth < 1 || expMonth > 12) {
    throw cardError("invalid_expiry_month", "Your card's expiration month is invalid.", "card[exp_month]");
  }
  if (!/^[0-9]{2}$|^[0-9]{4}$/.test(yearText)) {
    throw cardError("invalid_expiry_year", "Your card's expiration year is invalid.", "card[exp_year]");
  }
  const expYear = yearText.length === 2 ? 2000 + Number(yearText) : Number(yearText);
  const today = new Date(nowMs(ctx));
  const currentYear = today.getUTCFullYear();
  const currentMonth = today.getUTCMonth() + 1;
  if (expYear < currentYear || (expYear === currentYear && expMonth < currentMonth)) {
    throw cardError("expired_card", "Your card has expired.", expYear < currentYear ? "card[exp_year]" : "card[exp_month]");
  }
  const cvc = optionalString(card, "cvc");
  if (cvc !== undefined && !/^[0-9]{3,4}$/.test(cvc)) {
    throw cardError("invalid_cvc", "Your card's security code is invalid.", "card[cvc]");
  }
  return { number, expMonth, expYear };
}

function billingDetailsFrom(value: FormObject | undefined): Stripe.PaymentMethod.BillingDetails {
  const field = (source: FormObject | undefined, name: string) => (source ? optionalString(source, name) || null : null);
  const address = value ? optionalObject(value, "address") : undefined;
  return {
    address: {
      city: field(address, "city"),
      country: field(address, "country"),
      line1: field(address, "line1"),
      line2: field(address, "line2"),
      postal_code: field(address, "postal_code"),
      state: field(address, "state"),
    },
    email: field(value, "email"),
    name: field(value, "name"),
    phone: field(value, "phone"),
    tax_id: field(value, "tax_id"),
  };
}

/** Stores a new card PaymentMethod for `number` and returns it. */
export function storeCardPaymentMethod(
  ctx: Context,
  input: CardInput,
  extra: { billingDetails?: Stripe.PaymentMethod.BillingDetails; metadata?: Record<string, string> } = {},
): Stripe.PaymentMethod {
  const card = describeCard(input.number);
  const brand = card.brand;
  const paymentMethod: Stripe.PaymentMethod = {
    id: newId("pm"),
    object: "payment_method",
    allow_redisplay: "unspecified",
    billing_details: extra.billingDetails ?? billingDetailsFrom(undefined),
    card: {
      brand,
      checks: { address_line1_check: null, address_postal_code_check: null, cvc_check: "pass" },
      country: "US",
      display_brand: brand,
      exp_month: input.expMonth,
      exp_year: input.expYear,
      fingerprint: fingerprintOf(input.number),
      funding: card.funding,
      generated_from: null,
      last4: input.number.slice(-4),
      networks: { available: [brand], preferred: null },
      regulated_status: "unregulated",
      three_d_secure_usage: { supported: true },
      wallet: null,
    },
    created: nowSeconds(ctx),
    customer: null,
    customer_account: null,
    livemode: false,
    metadata: extra.metadata ?? {},
    type: "card",
  };
  ctx.account.paymentMethods[paymentMethod.id] = paymentMethod;
  ctx.account.cards[paymentMethod.id] = { number: input.number, setUp: false };
  return paymentMethod;
}

/**
 * Finds a PaymentMethod by id. A magic test id (`pm_card_visa`) yields a new PaymentMethod
 * with its own `pm_` id each time, as in Stripe's test mode.
 */
export function resolvePaymentMethod(ctx: Context, id: string, paramName: string): Stripe.PaymentMethod {
  const existing = ctx.account.paymentMethods[id];
  if (existing) return existing;
  const number = magicPaymentMethodNumber(id);
  if (number) {
    const year = new Date(nowMs(ctx)).getUTCFullYear() + 3;
    return storeCardPaymentMethod(ctx, { number, expMonth: 12, expYear: year });
  }
  throw resourceMissing(id, paramName);
}

export function cardNumberOf(ctx: Context, paymentMethod: Stripe.PaymentMethod): string {
  return ctx.account.cards[paymentMethod.id]?.number ?? "4242424242424242";
}

export function attachPaymentMethod(ctx: Context, paymentMethod: Stripe.PaymentMethod, customerId: string): void {
  if (paymentMethod.customer === customerId) return;
  if (paymentMethod.customer) {
    throw invalidRequest("The payment method you provided has already been attached to a customer.", "payment_method", "payment_method_unexpected_state");
  }
  paymentMethod.customer = customerId;
  emitEvent(ctx, "payment_method.attached", present(ctx, paymentMethod));
}

function getPaymentMethodOrThrow(ctx: Context, id: string): Stripe.PaymentMethod {
  return resolvePaymentMethod(ctx, id, "id");
}

/** A card PaymentMethod from `type`, `card[...]`, `billing_details[...]`, `metadata[...]` parameters. */
export function createPaymentMethodFromParams(ctx: Context, params: FormObject): Stripe.PaymentMethod {
  const type = requiredString(params, "type");
  if (type !== "card") throw invalidRequest(`The emulator only supports type=card, not ${type}.`, "type");
  const card = optionalObject(params, "card");
  if (!card) throw missingParam("card");
  const input = readCard(ctx, card);
  const paymentMethod = storeCardPaymentMethod(ctx, input, {
    billingDetails: billingDetailsFrom(optionalObject(params, "billing_details")),
    metadata: applyMetadata({}, params),
  });
  const allowRedisplay = optionalEnum(params, "allow_redisplay", ["always", "limited", "unspecified"] as const);
  if (allowRedisplay) paymentMethod.allow_redisplay = allowRedisplay;
  return paymentMethod;
}

/**
 * `payment_method_data[...]` on an intent call becomes a new PaymentMethod, as when Stripe.js
 * confirms with card details. Returns its id, or the `payment_method` parameter as given.
 */
export function paymentMethodParam(ctx: Context, params: FormObject): string | undefined {
  const data = optionalObject(params, "payment_method_data");
  const paymentMethod = optionalString(params, "payment_method");
  if (!data) return paymentMethod;
  if (paymentMethod !== undefined) {
    throw invalidRequest("You may only specify one of these parameters: payment_method, payment_method_data.", "payment_method_data");
  }
  return createPaymentMethodFromParams(ctx, data).id;
}

function createPaymentMethod(ctx: Context, params: FormObject) {
  rejectUnsupported(params, ["customer", "payment_method"]);
  allowOnly(params, ["type", "card", "billing_details", "metadata", "allow_redisplay"]);
  return { body: expand(ctx, present(ctx, createPaymentMethodFromParams(ctx, params)), expandPaths(params)) };
}

function updatePaymentMethod(ctx: Context, params: FormObject, id: string) {
  allowOnly(params, ["billing_details", "metadata", "card", "allow_redisplay"]);
  const paymentMethod = getPaymentMethodOrThrow(ctx, id);
  const before = present(ctx, paymentMethod);
  paymentMethod.metadata = applyMetadata(paymentMethod.metadata ?? {}, params);
  const billing = optionalObject(params, "billing_details");
  if (billing) paymentMethod.billing_details = billingDetailsFrom(billing);
  const card = optionalObject(params, "card");
  if (card && paymentMethod.card) {
    const month = optionalString(card, "exp_month");
    const year = optionalString(card, "exp_year");
    if (month !== undefined) paymentMethod.card.exp_month = Number(month);
    if (year !== undefined) paymentMethod.card.exp_year = Number(year);
  }
  const after = present(ctx, paymentMethod);
  const previous: Record<string, unknown> = {};
  for (const key of Object.keys(after)) {
    if (JSON.stringify(after[key]) !== JSON.stringify(before[key])) previous[key] = before[key];
  }
  emitEvent(ctx, "payment_method.updated", after, previous);
  return { body: expand(ctx, after, expandPaths(params)) };
}

/**
 * What the card networks' account updater does to a saved card: the issuer reissued it with a new
 * expiry (and, for a replaced card, new last 4), and Stripe updates the PaymentMethod in place and
 * sends `payment_method.automatically_updated` (not `payment_method.updated`, which is for API
 * updates). Only cards attached to a customer are updated, as in Stripe. Test-only: Stripe has no
 * API for it; `POST /_emulator/payment-methods/:id/account-update` calls this.
 */
export function simulateAccountUpdate(ctx: Context, id: string, update: { expMonth: number; expYear: number; last4?: string }): Stripe.PaymentMethod {
  const paymentMethod = ctx.account.paymentMethods[id];
  if (!paymentMethod) throw resourceMissing(id, "id");
  if (!paymentMethod.card || !paymentMethod.customer) {
    throw invalidRequest("Only a card attached to a customer is refreshed by the account updater.", "id", "payment_method_unexpected_state");
  }
  const before = present(ctx, paymentMethod);
  paymentMethod.card.exp_month = update.expMonth;
  paymentMethod.card.exp_year = update.expYear;
  if (update.last4 !== undefined) paymentMethod.card.last4 = update.last4;
  const after = present(ctx, paymentMethod);
  emitEvent(ctx, "payment_method.automatically_updated", after, { card: before.card });
  return paymentMethod;
}

function listPaymentMethods(ctx: Context, params: FormObject, customerId: string | undefined, url: string) {
  const type = optionalString(params, "type");
  if (customerId !== undefined) getCustomerOrThrow(ctx, customerId, url.startsWith("/v1/customers") ? "id" : "customer");
  const items = Object.values(ctx.account.paymentMethods).filter(
    (paymentMethod) => (customerId === undefined || paymentMethod.customer === customerId) && (type === undefined || paymentMethod.type === type),
  );
  return { body: expand(ctx, paginate(ctx, items, params, url), expandPaths(params)) };
}

export const paymentMethodRoutes: Route[] = [
  route("POST", "/v1/payment_methods", (ctx, params) => createPaymentMethod(ctx, params)),
  route("GET", "/v1/payment_methods", (ctx, params) => {
    allowOnly(params, ["customer", "type", "limit", "starting_after", "ending_before"]);
    return listPaymentMethods(ctx, params, optionalString(params, "customer"), "/v1/payment_methods");
  }),
  route("GET", "/v1/payment_methods/:id", (ctx, params, path) => {
    allowOnly(params, []);
    return { body: expand(ctx, present(ctx, getPaymentMethodOrThrow(ctx, param(path, 0))), expandPaths(params)) };
  }),
  route("POST", "/v1/payment_methods/:id", (ctx, params, path) => updatePaymentMethod(ctx, params, param(path, 0))),
  route("POST", "/v1/payment_methods/:id/attach", (ctx, params, path) => {
    allowOnly(params, ["customer"]);
    const customer = getCustomerOrThrow(ctx, requiredString(params, "customer"), "customer");
    const paymentMethod = getPaymentMethodOrThrow(ctx, param(path, 0));
    attachPaymentMethod(ctx, paymentMethod, customer.id);
    return { body: expand(ctx, present(ctx, paymentMethod), expandPaths(params)) };
  }),
  route("POST", "/v1/payment_methods/:id/detach", (ctx, params, path) => {
    allowOnly(params, []);
    const paymentMethod = getPaymentMethodOrThrow(ctx, param(path, 0));
    if (!paymentMethod.customer) {
      throw invalidRequest(
        "The payment method you provided is not attached to a customer so detachment is impossible.",
        undefined,
        "payment_method_unexpected_state",
      );
    }
    const customer = ctx.account.customers[idOf(paymentMethod.customer) ?? ""];
    if (customer?.invoice_settings?.default_payment_method === paymentMethod.id) {
      customer.invoice_settings.default_payment_method = null;
    }
    paymentMethod.customer = null;
    emitEvent(ctx, "payment_method.detached", present(ctx, paymentMethod), { customer: customer?.id ?? null });
    return { body: expand(ctx, present(ctx, paymentMethod), expandPaths(params)) };
  }),
  route("GET", "/v1/customers/:id/payment_methods", (ctx, params, path) => {
    allowOnly(params, ["type", "limit", "starting_after", "ending_before", "allow_redisplay"]);
    const customerId = param(path, 0);
    return listPaymentMethods(ctx, params, customerId, `/v1/customers/${customerId}/payment_methods`);
  }),
  route("GET", "/v1/customers/:id/payment_methods/:pm", (ctx, params, path) => {
    allowOnly(params, []);
    const customer = getCustomerOrThrow(ctx, param(path, 0));
    const paymentMethod = ctx.account.paymentMethods[param(path, 1)];
    if (!paymentMethod || paymentMethod.customer !== customer.id) throw resourceMissing(param(path, 1));
    return { body: expand(ctx, present(ctx, paymentMethod), expandPaths(params)) };
  }),
];
