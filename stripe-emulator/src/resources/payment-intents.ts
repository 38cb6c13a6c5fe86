import type Stripe from "stripe";
import { describeCard } from "../cards";
import { checkChargeAmount, parseCurrency } from "../currencies";
import { emitEvent, nowMs, nowSeconds, schedule, type Context } from "../context";
import { invalidRequest, missingParam, resourceMissing, unexpectedState } from "../errors";
import type { FormObject } from "../form";
import { newClientSecret, newId, randomToken } from "../ids";
import {
  allowOnly,
  applyMetadata,
  expandPaths,
  optionalBoolean,
  optionalEnum,
  optionalInteger,
  optionalNullableString,
  optionalObject,
  optionalString,
  optionalStringArray,
  paymentMethodTypesFrom,
  rejectUnsupported,
  requiredInteger,
  requiredString,
} from "../params";
import { expand, idOf, paginate, present } from "../render";
import { param, route, type Route } from "../router";
import type { IntentRecord } from "../store";
import { recordChargeTransaction } from "./balance-transactions";
import { createCharge, type ChargeFailure } from "./charges";
import { getCustomerOrThrow } from "./customers";
import { AUTHENTICATION_FAILED_MESSAGE, AUTHENTICATION_REQUIRED, GENERIC_DECLINE, declineError } from "./declines";
import { attachPaymentMethod, cardNumberOf, paymentMethodParam, resolvePaymentMethod } from "./payment-methods";

/** Stripe cancels an uncaptured PaymentIntent this long after authorization. */
export const AUTHORIZATION_VALIDITY_MS = 7 * 24 * 60 * 60 * 1000;

const CAPTURE_METHODS = ["automatic", "automatic_async", "manual"] as const;
const CANCELABLE: readonly string[] = ["requires_payment_method", "requires_capture", "requires_confirmation", "requires_action", "processing"];
const CONFIRMABLE: readonly string[] = ["requires_payment_method", "requires_confirmation"];

export const RETURN_URL_REQUIRED_MESSAGE =
  "A `return_url` must be specified because this Payment Intent is configured to automatically accept the payment methods enabled in the Dashboard, some of which may require a full page redirect to succeed. If you do not want to accept redirect-based payment methods, set `automatic_payment_methods[enabled]` to `true` and `automatic_payment_methods[allow_redirects]` to `never` when creating Setup Intents and Payment Intents.";

/**
 * The PaymentIntent `id`. Named in the URL when `bodyParam` is not given: Stripe then answers
 * 404 naming the path parameter `intent`; named by a body parameter, 400 naming that parameter.
 */
export function getPaymentIntentOrThrow(ctx: Context, id: string, bodyParam?: string): Stripe.PaymentIntent {
  const paymentIntent = ctx.account.paymentIntents[id];
  if (!paymentIntent) throw bodyParam ? resourceMissing(id, bodyParam) : resourceMissing(id, "intent", true);
  return paymentIntent;
}

export function intentRecord(ctx: Context, id: string): IntentRecord {
  let record = ctx.account.intents[id];
  if (!record) {
    record = { returnUrl: null, offSession: false, threeDsToken: null };
    ctx.account.intents[id] = record;
  }
  return record;
}

function automaticPaymentMethodsFrom(params: FormObject): Stripe.PaymentIntent.AutomaticPaymentMethods | null {
  const value = optionalObject(params, "automatic_payment_methods");
  const types = optionalStringArray(params, "allowed_payment_method_types");
  if (!value) return types ? null : { allow_redirects: "always", enabled: true };
  const enabled = optionalBoolean(value, "enabled");
  if (enabled === undefined) throw missingParam("automatic_payment_methods[enabled]");
  if (!enabled) return null;
  if (types) {
    throw invalidRequest("You may only specify one of these parameters: automatic_payment_methods, allowed_payment_method_types.", "automatic_payment_methods");
  }
  const allowRedirects = optionalEnum(value, "allow_redirects", ["always", "never"] as const) ?? "always";
  return { allow_redirects: allowRedirects, enabled: true };
}

/** Stripe refuses server-side confirmation without `return_url` when redirect methods are allowed. */
export function requireReturnUrl(automatic: { enabled: boolean | null; allow_redirects?: string } | null, returnUrl: string | null): void {
  if (automatic?.enabled && automatic.allow_redirects !== "never" && !returnUrl) {
    throw invalidRequest(RETURN_URL_REQUIRED_MESSAGE, "return_url");
  }
}

function applyPaymentMethod(ctx: Context, paymentIntent: Stripe.PaymentIntent, id: string | null | undefined): void {
  if (id === undefined) return;
  if (id === null) {
    paymentIntent.payment_method = null;
    return;
  }
  const paymentMethod = resolvePaymentMethod(ctx, id, "payment_method");
  const owner = idOf(paymentMethod.customer);
  const customer = idOf(paymentIntent.customer);
  if (owner && owner !== customer) {
    throw invalidRequest(
      customer
        ? `The provided PaymentMethod ${paymentMethod.id} belongs to a different Customer than the one on this PaymentIntent.`
        : `The provided PaymentMethod was previously used with a PaymentIntent without Customer attachment, shared with a connected account without Customer attachment, or was detached from a Customer. It may not be used again. To use a PaymentMethod multiple times, you must attach it to a Customer first.`,
      "payment_method",
    );
  }
  paymentIntent.payment_method = paymentMethod.id;
}

function snapshot(ctx: Context, paymentIntent: Stripe.PaymentIntent) {
  return present(ctx, paymentIntent);
}

/** Fails the current attempt: back to `requires_payment_method` with `last_payment_error`. */
function failAttempt(ctx: Context, paymentIntent: Stripe.PaymentIntent, paymentMethod: Stripe.PaymentMethod, failure: ChargeFailure): never {
  const charge = createCharge(ctx, {
    paymentIntent,
    paymentMethod,
    failure,
    capture: false,
    deferBalanceTransaction: false,
    threeDSecure: false,
  });
  paymentIntent.status = "requires_payment_method";
  paymentIntent.latest_charge = charge.id;
  paymentIntent.payment_method = null;
  paymentIntent.next_action = null;
  const paymentMethodSnapshot = present(ctx, paymentMethod);
  paymentIntent.last_payment_error = {
    charge: charge.id,
    code: failure.code,
    ...(failure.code === "card_declined" || failure.code === "authentication_required" ? { decline_code: failure.declineCode } : {}),
    doc_url: `https://stripe.com/docs/error-codes/${failure.code.replace(/_/g, "-")}`,
    message: failure.message,
    payment_method: paymentMethodSnapshot as unknown as Stripe.PaymentMethod,
    type: "card_error",
  };
  emitEvent(ctx, "charge.failed", present(ctx, charge));
  const presented = snapshot(ctx, paymentIntent);
  emitEvent(ctx, "payment_intent.payment_failed", presented);
  throw declineError(failure, { charge: charge.id, payment_intent: presented, payment_method: paymentMethodSnapshot });
}

function requireAction(ctx: Context, paymentIntent: Stripe.PaymentIntent, record: IntentRecord): void {
  record.threeDsToken = randomToken(24);
  const url = `${ctx.baseUrl}/_emulator/3ds/${record.threeDsToken}`;
  paymentIntent.status = "requires_action";
  paymentIntent.next_action = record.returnUrl
    ? { type: "redirect_to_url", redirect_to_url: { return_url: record.returnUrl, url } }
    : { type: "use_stripe_sdk", use_stripe_sdk: { type: "three_d_secure_redirect", stripe_js: url, source: paymentIntent.id } };
  emitEvent(ctx, "payment_intent.requires_action", snapshot(ctx, paymentIntent));
}

/** The authorization succeeded: create the charge and move to `requires_capture` or `succeeded`. */
export function completePayment(ctx: Context, paymentIntent: Stripe.PaymentIntent, threeDSecure: boolean): void {
  const paymentMethod = resolvePaymentMethod(ctx, idOf(paymentIntent.payment_method) ?? "", "payment_method");
  const manual = paymentIntent.capture_method === "manual";
  const charge = createCharge(ctx, {
    paymentIntent,
    paymentMethod,
    failure: null,
    capture: !manual,
    deferBalanceTransaction: paymentIntent.capture_method === "automatic_async",
    threeDSecure,
  });
  paymentIntent.latest_charge = charge.id;
  paymentIntent.last_payment_error = null;
  paymentIntent.next_action = null;
  const customer = idOf(paymentIntent.customer);
  if (paymentIntent.setup_future_usage && customer) {
    attachPaymentMethod(ctx, paymentMethod, customer);
    const card = ctx.account.cards[paymentMethod.id];
    if (card) card.setUp = true;
  }
  emitEvent(ctx, "charge.succeeded", present(ctx, charge));
  if (manual) {
    paymentIntent.status = "requires_capture";
    paymentIntent.amount_capturable = paymentIntent.amount;
    schedule(ctx, { at: nowMs(ctx) + AUTHORIZATION_VALIDITY_MS, kind: "expire_authorization", paymentIntent: paymentIntent.id });
    emitEvent(ctx, "payment_intent.amount_capturable_updated", snapshot(ctx, paymentIntent));
    return;
  }
  paymentIntent.status = "succeeded";
  paymentIntent.amount_received = paymentIntent.amount;
  emitEvent(ctx, "payment_intent.succeeded", snapshot(ctx, paymentIntent));
  afterCapture(ctx, charge);
}

/** Work Stripe does shortly after money is captured: the async balance transaction, test-card disputes. */
function afterCapture(ctx: Context, charge: Stripe.Charge): void {
  const delay = ctx.store.asyncDelayMs;
  if (charge.balance_transaction === null) {
    schedule(ctx, { at: nowMs(ctx) + delay, kind: "attach_balance_transaction", charge: charge.id });
  }
  const paymentMethod = ctx.account.paymentMethods[idOf(charge.payment_method) ?? ""];
  const behaviour = paymentMethod ? describeCard(cardNumberOf(ctx, paymentMethod)).behaviour : null;
  if (behaviour?.kind === "dispute") {
    schedule(ctx, { at: nowMs(ctx) + delay, kind: "open_dispute", charge: charge.id, inquiry: behaviour.inquiry });
  }
}

type ConfirmInput = { returnUrl: string | null; offSession: boolean; errorOnRequiresAction: boolean; fromBrowser: boolean };

/** Runs one confirmation attempt with the intent's current PaymentMethod. */
function confirm(ctx: Context, paymentIntent: Stripe.PaymentIntent, input: ConfirmInput): void {
  if (!CONFIRMABLE.includes(paymentIntent.status)) {
    throw unexpectedState(
      `You cannot confirm this PaymentIntent because it has a status of ${paymentIntent.status}. Only a PaymentIntent with one of the following statuses may be confirmed: requires_confirmation, requires_payment_method.`,
    );
  }
  const paymentMethodId = idOf(paymentIntent.payment_method);
  if (!paymentMethodId) {
    throw invalidRequest(
      "You cannot confirm this PaymentIntent because it's missing a payment method. You can either update the PaymentIntent with a payment method and then confirm it again, or confirm it again directly with a payment method.",
      "payment_method",
      "payment_intent_unexpected_state",
    );
  }
  if (!input.fromBrowser) requireReturnUrl(paymentIntent.automatic_payment_methods, input.returnUrl);
  const record = intentRecord(ctx, paymentIntent.id);
  record.returnUrl = input.returnUrl;
  record.offSession = input.offSession;
  const paymentMethod = resolvePaymentMethod(ctx, paymentMethodId, "payment_method");
  const setUp = ctx.account.cards[paymentMethod.id]?.setUp ?? false;
  const behaviour = describeCard(cardNumberOf(ctx, paymentMethod)).behaviour;
  switch (behaviour.kind) {
    case "decline":
      return failAttempt(ctx, paymentIntent, paymentMethod, behaviour);
    case "decline_on_charge":
      return failAttempt(ctx, paymentIntent, paymentMethod, GENERIC_DECLINE);
    case "three_ds_always":
      if (input.offSession || input.errorOnRequiresAction) return failAttempt(ctx, paymentIntent, paymentMethod, AUTHENTICATION_REQUIRED);
      return requireAction(ctx, paymentIntent, record);
    case "three_ds_unless_set_up":
      if (input.offSession && setUp) return completePayment(ctx, paymentIntent, false);
      if (input.offSession || input.errorOnRequiresAction) return failAttempt(ctx, paymentIntent, paymentMethod, AUTHENTICATION_REQUIRED);
      return requireAction(ctx, paymentIntent, record);
    default:
      return completePayment(ctx, paymentIntent, false);
  }
}

/** The customer finished (or abandoned) the 3-D Secure challenge on the emulator's page. */
export function finishAuthentication(ctx: Context, paymentIntent: Stripe.PaymentIntent, approved: boolean): void {
  if (paymentIntent.status !== "requires_action") return;
  intentRecord(ctx, paymentIntent.id).threeDsToken = null;
  if (approved) {
    completePayment(ctx, paymentIntent, true);
    return;
  }
  const paymentMethod = ctx.account.paymentMethods[idOf(paymentIntent.payment_method) ?? ""];
  paymentIntent.status = "requires_payment_method";
  paymentIntent.next_action = null;
  paymentIntent.payment_method = null;
  paymentIntent.last_payment_error = {
    code: "payment_intent_authentication_failure",
    doc_url: "https://stripe.com/docs/error-codes/payment-intent-authentication-failure",
    message: AUTHENTICATION_FAILED_MESSAGE,
    ...(paymentMethod ? { payment_method: present(ctx, paymentMethod) as unknown as Stripe.PaymentMethod } : {}),
    type: "invalid_request_error",
  };
  emitEvent(ctx, "payment_intent.payment_failed", snapshot(ctx, paymentIntent));
}

function readConfirmOptions(params: FormObject, confirming: boolean): { returnUrl: string | null; offSession: boolean; errorOnRequiresAction: boolean } {
  const returnUrl = optionalString(params, "return_url") ?? null;
  const offSessionValue = params.off_session;
  let offSession = false;
  if (offSessionValue !== undefined) {
    offSession = offSessionValue === "one_off" || offSessionValue === "recurring" || optionalBoolean(params, "off_session") === true;
  }
  if (!confirming) {
    if (returnUrl) throw invalidRequest("return_url can only be used when confirm=true.", "return_url");
    if (offSessionValue !== undefined) throw invalidRequest("off_session can only be used when confirm=true.", "off_session");
  }
  const errorOnRequiresAction = optionalBoolean(params, "error_on_requires_action") ?? false;
  return { returnUrl, offSession, errorOnRequiresAction };
}

const CREATE_PARAMS = [
  "amount",
  "currency",
  "customer",
  "description",
  "metadata",
  "payment_method",
  "payment_method_data",
  "allowed_payment_method_types",
  "automatic_payment_methods",
  "capture_method",
  "confirm",
  "confirmation_method",
  "off_session",
  "setup_future_usage",
  "return_url",
  "receipt_email",
  "statement_descriptor",
  "statement_descriptor_suffix",
  "payment_method_options",
  "error_on_requires_action",
  "mandate_data",
  "use_stripe_sdk",
  "shipping",
  "transfer_group",
  "excluded_payment_method_types",
  "amount_details",
  "payment_details",
  "radar_options",
  "payment_method_configuration",
  "hooks",
] as const;

/** Connect and Confirmation Token parameters exist in Stripe's API but not in the emulator. */
const UNSUPPORTED = ["application_fee_amount", "on_behalf_of", "transfer_data", "customer_account", "confirmation_token", "mandate"];

function createPaymentIntent(ctx: Context, params: FormObject) {
  rejectUnsupported(params, UNSUPPORTED);
  allowOnly(params, CREATE_PARAMS);
  const amount = requiredInteger(params, "amount");
  const currency = parseCurrency(requiredString(params, "currency"));
  checkChargeAmount(amount, currency);
  const confirming = optionalBoolean(params, "confirm") ?? false;
  const confirmOptions = readConfirmOptions(params, confirming);
  const customerId = optionalString(params, "customer");
  if (customerId) getCustomerOrThrow(ctx, customerId, "customer");
  const automatic = automaticPaymentMethodsFrom(params);
  const methodTypes = paymentMethodTypesFrom(params);
  const id = newId("pi");
  const paymentIntent: Stripe.PaymentIntent = {
    id,
    object: "payment_intent",
    allowed_payment_method_types: methodTypes.allowed,
    amount,
    amount_capturable: 0,
    amount_details: { tip: {} },
    amount_received: 0,
    application: null,
    application_fee_amount: null,
    automatic_payment_methods: automatic,
    canceled_at: null,
    cancellation_reason: null,
    capture_method: optionalEnum(params, "capture_method", CAPTURE_METHODS) ?? "automatic_async",
    client_secret: newClientSecret(id),
    confirmation_method: optionalEnum(params, "confirmation_method", ["automatic", "manual"] as const) ?? "automatic",
    created: nowSeconds(ctx),
    currency,
    customer: customerId ?? null,
    customer_account: null,
    description: optionalNullableString(params, "description") ?? null,
    excluded_payment_method_types: null,
    last_payment_error: null,
    latest_charge: null,
    livemode: false,
    managed_payments: null,
    metadata: applyMetadata({}, params),
    next_action: null,
    on_behalf_of: null,
    payment_method: null,
    payment_method_configuration_details: null,
    payment_method_options: {
      card: { installments: null, mandate_options: null, network: null, request_three_d_secure: "automatic" },
    },
    payment_method_types: methodTypes.types,
    payment_record: null,
    processing: null,
    receipt_email: optionalNullableString(params, "receipt_email") ?? null,
    review: null,
    setup_future_usage: optionalEnum(params, "setup_future_usage", ["on_session", "off_session"] as const) ?? null,
    shipping: null,
    source: null,
    statement_descriptor: optionalNullableString(params, "statement_descriptor") ?? null,
    statement_descriptor_suffix: optionalNullableString(params, "statement_descriptor_suffix") ?? null,
    status: "requires_payment_method",
    transfer_data: null,
    transfer_group: optionalNullableString(params, "transfer_group") ?? null,
  };
  applyPaymentMethod(ctx, paymentIntent, paymentMethodParam(ctx, params));
  if (paymentIntent.payment_method) paymentIntent.status = "requires_confirmation";
  if (confirming) requireReturnUrl(paymentIntent.automatic_payment_methods, confirmOptions.returnUrl);
  ctx.account.paymentIntents[id] = paymentIntent;
  emitEvent(ctx, "payment_intent.created", snapshot(ctx, paymentIntent));
  if (confirming) confirm(ctx, paymentIntent, { ...confirmOptions, fromBrowser: false });
  return { body: expand(ctx, present(ctx, paymentIntent), expandPaths(params)) };
}

function updatePaymentIntent(ctx: Context, params: FormObject, id: string) {
  rejectUnsupported(params, UNSUPPORTED);
  allowOnly(params, [
    "amount",
    "currency",
    "customer",
    "description",
    "metadata",
    "payment_method",
    "payment_method_data",
    "allowed_payment_method_types",
    "excluded_payment_method_types",
    "receipt_email",
    "setup_future_usage",
    "capture_method",
    "statement_descriptor",
    "statement_descriptor_suffix",
    "payment_method_options",
    "shipping",
    "transfer_group",
    "amount_details",
    "payment_details",
    "payment_method_configuration",
    "hooks",
  ]);
  const paymentIntent = getPaymentIntentOrThrow(ctx, id);
  const editable = ["requires_payment_method", "requires_confirmation", "requires_action"].includes(paymentIntent.status);
  const restricted = [
    "amount",
    "currency",
    "customer",
    "payment_method",
    "payment_method_data",
    "capture_method",
    "setup_future_usage",
    "allowed_payment_method_types",
  ];
  const blocked = restricted.find((name) => params[name] !== undefined);
  if (!editable && blocked) {
    throw unexpectedState(`You cannot update ${blocked} on this PaymentIntent because it has a status of ${paymentIntent.status}.`);
  }
  const amount = optionalInteger(params, "amount") ?? paymentIntent.amount;
  const currencyParam = optionalString(params, "currency");
  const currency = currencyParam === undefined ? paymentIntent.currency : parseCurrency(currencyParam);
  if (amount !== paymentIntent.amount || currency !== paymentIntent.currency) checkChargeAmount(amount, currency);
  paymentIntent.amount = amount;
  paymentIntent.currency = currency;
  const customerId = optionalNullableString(params, "customer");
  if (customerId) getCustomerOrThrow(ctx, customerId, "customer");
  if (customerId !== undefined) paymentIntent.customer = customerId;
  const description = optionalNullableString(params, "description");
  if (description !== undefined) paymentIntent.description = description;
  const receiptEmail = optionalNullableString(params, "receipt_email");
  if (receiptEmail !== undefined) paymentIntent.receipt_email = receiptEmail;
  const captureMethod = optionalEnum(params, "capture_method", CAPTURE_METHODS);
  if (captureMethod) paymentIntent.capture_method = captureMethod;
  if (params.setup_future_usage !== undefined) {
    paymentIntent.setup_future_usage =
      params.setup_future_usage === "" ? null : (optionalEnum(params, "setup_future_usage", ["on_session", "off_session"] as const) ?? null);
  }
  paymentIntent.metadata = applyMetadata(paymentIntent.metadata, params);
  if (params.allowed_payment_method_types !== undefined) {
    const methodTypes = paymentMethodTypesFrom(params);
    paymentIntent.allowed_payment_method_types = methodTypes.allowed;
    paymentIntent.payment_method_types = methodTypes.types;
  }
  const paymentMethod = params.payment_method === "" ? null : paymentMethodParam(ctx, params);
  applyPaymentMethod(ctx, paymentIntent, paymentMethod);
  if (paymentMethod !== undefined && paymentIntent.status !== "requires_action") {
    paymentIntent.status = paymentIntent.payment_method ? "requires_confirmation" : "requires_payment_method";
  }
  const statementDescriptor = optionalNullableString(params, "statement_descriptor");
  if (statementDescriptor !== undefined) paymentIntent.statement_descriptor = statementDescriptor;
  const suffix = optionalNullableString(params, "statement_descriptor_suffix");
  if (suffix !== undefined) paymentIntent.statement_descriptor_suffix = suffix;
  return { body: expand(ctx, present(ctx, paymentIntent), expandPaths(params)) };
}

const CONFIRM_PARAMS = [
  "payment_method",
  "payment_method_data",
  "return_url",
  "off_session",
  "setup_future_usage",
  "receipt_email",
  "capture_method",
  "payment_method_options",
  "mandate_data",
  "error_on_requires_action",
  "use_stripe_sdk",
  "shipping",
  "allowed_payment_method_types",
  "excluded_payment_method_types",
  "amount_details",
  "payment_details",
  "radar_options",
  "hooks",
] as const;

export function confirmPaymentIntent(ctx: Context, params: FormObject, id: string, fromBrowser: boolean) {
  rejectUnsupported(params, [...UNSUPPORTED, "amount_to_confirm"]);
  allowOnly(params, CONFIRM_PARAMS);
  const paymentIntent = getPaymentIntentOrThrow(ctx, id);
  if (!CONFIRMABLE.includes(paymentIntent.status)) {
    throw unexpectedState(
      `You cannot confirm this PaymentIntent because it has a status of ${paymentIntent.status}. Only a PaymentIntent with one of the following statuses may be confirmed: requires_confirmation, requires_payment_method.`,
    );
  }
  const options = readConfirmOptions(params, true);
  applyPaymentMethod(ctx, paymentIntent, paymentMethodParam(ctx, params));
  const setupFutureUsage = optionalEnum(params, "setup_future_usage", ["on_session", "off_session"] as const);
  if (setupFutureUsage) paymentIntent.setup_future_usage = setupFutureUsage;
  const captureMethod = optionalEnum(params, "capture_method", CAPTURE_METHODS);
  if (captureMethod) paymentIntent.capture_method = captureMethod;
  const receiptEmail = optionalNullableString(params, "receipt_email");
  if (receiptEmail !== undefined) paymentIntent.receipt_email = receiptEmail;
  confirm(ctx, paymentIntent, { ...options, fromBrowser });
  return { body: expand(ctx, present(ctx, paymentIntent), expandPaths(params)) };
}

function capturePaymentIntent(ctx: Context, params: FormObject, id: string) {
  rejectUnsupported(params, ["application_fee_amount", "transfer_data"]);
  allowOnly(params, [
    "amount_to_capture",
    "metadata",
    "statement_descriptor",
    "statement_descriptor_suffix",
    "final_capture",
    "amount_details",
    "payment_details",
    "hooks",
  ]);
  const paymentIntent = getPaymentIntentOrThrow(ctx, id);
  if (paymentIntent.status !== "requires_capture") {
    throw unexpectedState(
      `This PaymentIntent could not be captured because it has a status of ${paymentIntent.status}. Only a PaymentIntent with one of the following statuses may be captured: requires_capture.`,
    );
  }
  const amountToCapture = optionalInteger(params, "amount_to_capture") ?? paymentIntent.amount_capturable;
  if (amountToCapture > paymentIntent.amount_capturable) {
    throw invalidRequest(
      `The amount to capture (${amountToCapture}) must be less than or equal to the amount capturable (${paymentIntent.amount_capturable}).`,
      "amount_to_capture",
      "amount_too_large",
    );
  }
  if (amountToCapture < 1) throw invalidRequest("Invalid positive integer", "amount_to_capture");
  paymentIntent.metadata = applyMetadata(paymentIntent.metadata, params);
  const charge = ctx.account.charges[idOf(paymentIntent.latest_charge) ?? ""];
  if (!charge) throw new Error(`PaymentIntent ${id} in requires_capture has no charge`);
  const previous = { amount_captured: charge.amount_captured, amount_refunded: charge.amount_refunded, captured: false, balance_transaction: null };
  charge.captured = true;
  charge.amount_captured = amountToCapture;
  // The uncaptured remainder is released, which Stripe reports as refunded on the charge.
  charge.amount_refunded = charge.amount - amountToCapture;
  ctx.account.tasks = ctx.account.tasks.filter((task) => !(task.kind === "expire_authorization" && task.paymentIntent === id));
  paymentIntent.status = "succeeded";
  paymentIntent.amount_capturable = 0;
  paymentIntent.amount_received = amountToCapture;
  const deferred = paymentIntent.capture_method === "automatic_async";
  if (!deferred) {
    // Captures are synchronous: the balance transaction exists when the call returns.
    charge.balance_transaction = recordCharge(ctx, charge);
  }
  emitEvent(ctx, "charge.captured", present(ctx, charge), previous);
  emitEvent(ctx, "payment_intent.succeeded", snapshot(ctx, paymentIntent));
  afterCapture(ctx, charge);
  return { body: expand(ctx, present(ctx, paymentIntent), expandPaths(params)) };
}

function recordCharge(ctx: Context, charge: Stripe.Charge): string {
  return recordChargeTransaction(ctx, charge).id;
}

/** Releases an uncaptured authorization (cancel or expiry): the charge shows as refunded. */
function releaseAuthorization(ctx: Context, paymentIntent: Stripe.PaymentIntent, expired: boolean): void {
  const charge = ctx.account.charges[idOf(paymentIntent.latest_charge) ?? ""];
  if (!charge || charge.captured || charge.status !== "succeeded") return;
  const previous = { amount_refunded: charge.amount_refunded, refunded: charge.refunded };
  charge.amount_refunded = charge.amount;
  charge.refunded = true;
  emitEvent(ctx, expired ? "charge.expired" : "charge.refunded", present(ctx, charge), previous);
}

function cancelPaymentIntent(ctx: Context, params: FormObject, id: string) {
  allowOnly(params, ["cancellation_reason"]);
  const paymentIntent = getPaymentIntentOrThrow(ctx, id);
  if (!CANCELABLE.includes(paymentIntent.status)) {
    throw unexpectedState(
      `You cannot cancel this PaymentIntent because it has a status of ${paymentIntent.status}. Only a PaymentIntent with one of the following statuses may be canceled: ${CANCELABLE.join(", ")}.`,
    );
  }
  const reason = optionalEnum(params, "cancellation_reason", ["duplicate", "fraudulent", "requested_by_customer", "abandoned"] as const);
  cancel(ctx, paymentIntent, reason ?? null, false);
  return { body: expand(ctx, present(ctx, paymentIntent), expandPaths(params)) };
}

function cancel(ctx: Context, paymentIntent: Stripe.PaymentIntent, reason: Stripe.PaymentIntent.CancellationReason | null, expired: boolean): void {
  if (paymentIntent.status === "requires_capture") releaseAuthorization(ctx, paymentIntent, expired);
  ctx.account.tasks = ctx.account.tasks.filter((task) => !(task.kind === "expire_authorization" && task.paymentIntent === paymentIntent.id));
  paymentIntent.status = "canceled";
  paymentIntent.canceled_at = nowSeconds(ctx);
  paymentIntent.cancellation_reason = reason;
  paymentIntent.amount_capturable = 0;
  paymentIntent.next_action = null;
  emitEvent(ctx, "payment_intent.canceled", snapshot(ctx, paymentIntent));
}

/** Clock task: an authorization not captured within 7 days lapses. */
export function expireAuthorization(ctx: Context, id: string): void {
  const paymentIntent = ctx.account.paymentIntents[id];
  if (!paymentIntent || paymentIntent.status !== "requires_capture") return;
  cancel(ctx, paymentIntent, "automatic", true);
}

export const paymentIntentRoutes: Route[] = [
  route("POST", "/v1/payment_intents", (ctx, params) => createPaymentIntent(ctx, params)),
  route("GET", "/v1/payment_intents", (ctx, params) => {
    allowOnly(params, ["limit", "starting_after", "ending_before", "created", "customer"]);
    const customer = optionalString(params, "customer");
    const items = Object.values(ctx.account.paymentIntents).filter((paymentIntent) => customer === undefined || paymentIntent.customer === customer);
    return { body: expand(ctx, paginate(ctx, items, params, "/v1/payment_intents"), expandPaths(params)) };
  }),
  route("GET", "/v1/payment_intents/:id", (ctx, params, path) => {
    allowOnly(params, ["client_secret"]);
    return { body: expand(ctx, present(ctx, getPaymentIntentOrThrow(ctx, param(path, 0))), expandPaths(params)) };
  }),
  route("POST", "/v1/payment_intents/:id", (ctx, params, path) => updatePaymentIntent(ctx, params, param(path, 0))),
  route("POST", "/v1/payment_intents/:id/confirm", (ctx, params, path) => confirmPaymentIntent(ctx, params, param(path, 0), false)),
  route("POST", "/v1/payment_intents/:id/capture", (ctx, params, path) => capturePaymentIntent(ctx, params, param(path, 0))),
  route("POST", "/v1/payment_intents/:id/cancel", (ctx, params, path) => cancelPaymentIntent(ctx, params, param(path, 0))),
];
