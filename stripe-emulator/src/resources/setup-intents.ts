import type Stripe from "stripe";
import { describeCard } from "../cards";
import { emitEvent, nowSeconds, type Context } from "../context";
import { invalidRequest, missingParam, resourceMissing } from "../errors";
import type { FormObject } from "../form";
import { newClientSecret, newId, randomToken } from "../ids";
import {
  allowOnly,
  applyMetadata,
  expandPaths,
  optionalBoolean,
  optionalEnum,
  optionalNullableString,
  optionalObject,
  optionalString,
  optionalStringArray,
  paymentMethodTypesFrom,
  rejectUnsupported,
} from "../params";
import { expand, idOf, paginate, present } from "../render";
import { param, route, type Route } from "../router";
import { getCustomerOrThrow } from "./customers";
import { AUTHENTICATION_FAILED_MESSAGE, declineError } from "./declines";
import { intentRecord, requireReturnUrl } from "./payment-intents";
import { attachPaymentMethod, cardNumberOf, paymentMethodParam, resolvePaymentMethod } from "./payment-methods";

const CONFIRMABLE: readonly string[] = ["requires_payment_method", "requires_confirmation"];

export function getSetupIntentOrThrow(ctx: Context, id: string): Stripe.SetupIntent {
  const setupIntent = ctx.account.setupIntents[id];
  if (!setupIntent) throw resourceMissing(id);
  return setupIntent;
}

function automaticPaymentMethodsFrom(params: FormObject): Stripe.SetupIntent.AutomaticPaymentMethods | null {
  const value = optionalObject(params, "automatic_payment_methods");
  const types = optionalStringArray(params, "allowed_payment_method_types");
  if (!value) return types ? null : { allow_redirects: "always", enabled: true };
  const enabled = optionalBoolean(value, "enabled");
  if (enabled === undefined) throw missingParam("automatic_payment_methods[enabled]");
  if (!enabled) return null;
  const allowRedirects = optionalEnum(value, "allow_redirects", ["always", "never"] as const) ?? "always";
  return { allow_redirects: allowRedirects, enabled: true };
}

function succeed(ctx: Context, setupIntent: Stripe.SetupIntent): void {
  const paymentMethod = resolvePaymentMethod(ctx, idOf(setupIntent.payment_method) ?? "", "payment_method");
  const customer = idOf(setupIntent.customer);
  if (customer) attachPaymentMethod(ctx, paymentMethod, customer);
  const card = ctx.account.cards[paymentMethod.id];
  if (card) card.setUp = true;
  setupIntent.status = "succeeded";
  setupIntent.next_action = null;
  setupIntent.last_setup_error = null;
  emitEvent(ctx, "setup_intent.succeeded", present(ctx, setupIntent));
}

function confirm(ctx: Context, setupIntent: Stripe.SetupIntent, returnUrl: string | null, fromBrowser: boolean): void {
  if (!CONFIRMABLE.includes(setupIntent.status)) {
    throw invalidRequest(
      `You cannot confirm this SetupIntent because it has a status of ${setupIntent.status}. Only a SetupIntent with one of the following statuses may be confirmed: requires_confirmation, requires_payment_method.`,
      undefined,
      "setup_intent_unexpected_state",
    );
  }
  const paymentMethodId = idOf(setupIntent.payment_method);
  if (!paymentMethodId) {
    throw invalidRequest(
      "You cannot confirm this SetupIntent because it's missing a payment method. Update the SetupIntent with a payment method and then confirm it again.",
      "payment_method",
      "setup_intent_unexpected_state",
    );
  }
  if (!fromBrowser) requireReturnUrl(setupIntent.automatic_payment_methods, returnUrl);
  const record = intentRecord(ctx, setupIntent.id);
  record.returnUrl = returnUrl;
  const paymentMethod = resolvePaymentMethod(ctx, paymentMethodId, "payment_method");
  const behaviour = describeCard(cardNumberOf(ctx, paymentMethod)).behaviour;
  if (behaviour.kind === "decline" && behaviour.atSetup) {
    setupIntent.status = "requires_payment_method";
    setupIntent.payment_method = null;
    const paymentMethodSnapshot = present(ctx, paymentMethod);
    setupIntent.last_setup_error = {
      code: behaviour.code,
      decline_code: behaviour.declineCode,
      message: behaviour.message,
      payment_method: paymentMethodSnapshot as unknown as Stripe.PaymentMethod,
      type: "card_error",
    };
    const presented = present(ctx, setupIntent);
    emitEvent(ctx, "setup_intent.setup_failed", presented);
    throw declineError(behaviour, { setup_intent: presented, payment_method: paymentMethodSnapshot });
  }
  if (behaviour.kind === "three_ds_always" || behaviour.kind === "three_ds_unless_set_up") {
    record.threeDsToken = randomToken(24);
    const url = `${ctx.baseUrl}/_emulator/3ds/${record.threeDsToken}`;
    setupIntent.status = "requires_action";
    setupIntent.next_action = returnUrl
      ? { type: "redirect_to_url", redirect_to_url: { return_url: returnUrl, url } }
      : { type: "use_stripe_sdk", use_stripe_sdk: { type: "three_d_secure_redirect", stripe_js: url, source: setupIntent.id } };
    emitEvent(ctx, "setup_intent.requires_action", present(ctx, setupIntent));
    return;
  }
  succeed(ctx, setupIntent);
}

/** The customer finished the 3-D Secure challenge for a SetupIntent. */
export function finishSetupAuthentication(ctx: Context, setupIntent: Stripe.SetupIntent, approved: boolean): void {
  if (setupIntent.status !== "requires_action") return;
  intentRecord(ctx, setupIntent.id).threeDsToken = null;
  if (approved) {
    succeed(ctx, setupIntent);
    return;
  }
  const paymentMethod = ctx.account.paymentMethods[idOf(setupIntent.payment_method) ?? ""];
  setupIntent.status = "requires_payment_method";
  setupIntent.next_action = null;
  setupIntent.payment_method = null;
  setupIntent.last_setup_error = {
    code: "setup_intent_authentication_failure",
    message: AUTHENTICATION_FAILED_MESSAGE,
    ...(paymentMethod ? { payment_method: present(ctx, paymentMethod) as unknown as Stripe.PaymentMethod } : {}),
    type: "invalid_request_error",
  };
  emitEvent(ctx, "setup_intent.setup_failed", present(ctx, setupIntent));
}

function applyPaymentMethod(ctx: Context, setupIntent: Stripe.SetupIntent, id: string | undefined): void {
  if (id === undefined) return;
  const paymentMethod = resolvePaymentMethod(ctx, id, "payment_method");
  const owner = idOf(paymentMethod.customer);
  if (owner && owner !== idOf(setupIntent.customer)) {
    throw invalidRequest(`The provided PaymentMethod ${paymentMethod.id} belongs to a different Customer.`, "payment_method");
  }
  setupIntent.payment_method = paymentMethod.id;
  if (setupIntent.status === "requires_payment_method") setupIntent.status = "requires_confirmation";
}

function createSetupIntent(ctx: Context, params: FormObject) {
  rejectUnsupported(params, ["on_behalf_of", "customer_account", "confirmation_token", "attach_to_self"]);
  allowOnly(params, [
    "customer",
    "description",
    "metadata",
    "payment_method",
    "payment_method_data",
    "allowed_payment_method_types",
    "automatic_payment_methods",
    "usage",
    "confirm",
    "return_url",
    "payment_method_options",
    "mandate_data",
    "use_stripe_sdk",
    "single_use",
    "excluded_payment_method_types",
    "flow_directions",
    "payment_method_configuration",
  ]);
  const methodTypes = paymentMethodTypesFrom(params);
  const customerId = optionalString(params, "customer");
  if (customerId) getCustomerOrThrow(ctx, customerId, "customer");
  const confirming = optionalBoolean(params, "confirm") ?? false;
  const returnUrl = optionalString(params, "return_url") ?? null;
  if (returnUrl && !confirming) throw invalidRequest("return_url can only be used when confirm=true.", "return_url");
  const id = newId("seti");
  const setupIntent: Stripe.SetupIntent = {
    id,
    object: "setup_intent",
    allowed_payment_method_types: methodTypes.allowed,
    application: null,
    automatic_payment_methods: automaticPaymentMethodsFrom(params),
    cancellation_reason: null,
    client_secret: newClientSecret(id),
    created: nowSeconds(ctx),
    customer: customerId ?? null,
    description: optionalNullableString(params, "description") ?? null,
    excluded_payment_method_types: null,
    flow_directions: null,
    last_setup_error: null,
    latest_attempt: null,
    livemode: false,
    mandate: null,
    metadata: applyMetadata({}, params),
    next_action: null,
    on_behalf_of: null,
    payment_method: null,
    payment_method_configuration_details: null,
    payment_method_options: {
      card: { mandate_options: null, network: null, request_three_d_secure: "automatic" },
    },
    payment_method_types: methodTypes.types,
    single_use_mandate: null,
    status: "requires_payment_method",
    usage: optionalEnum(params, "usage", ["on_session", "off_session"] as const) ?? "off_session",
  };
  applyPaymentMethod(ctx, setupIntent, paymentMethodParam(ctx, params));
  if (confirming) requireReturnUrl(setupIntent.automatic_payment_methods, returnUrl);
  ctx.account.setupIntents[id] = setupIntent;
  emitEvent(ctx, "setup_intent.created", present(ctx, setupIntent));
  if (confirming) confirm(ctx, setupIntent, returnUrl, false);
  return { body: expand(ctx, present(ctx, setupIntent), expandPaths(params)) };
}

export function confirmSetupIntent(ctx: Context, params: FormObject, id: string, fromBrowser: boolean) {
  rejectUnsupported(params, ["confirmation_token"]);
  allowOnly(params, [
    "payment_method",
    "payment_method_data",
    "return_url",
    "payment_method_options",
    "mandate_data",
    "use_stripe_sdk",
    "allowed_payment_method_types",
  ]);
  const setupIntent = getSetupIntentOrThrow(ctx, id);
  if (!CONFIRMABLE.includes(setupIntent.status)) {
    throw invalidRequest(`You cannot confirm this SetupIntent because it has a status of ${setupIntent.status}.`, undefined, "setup_intent_unexpected_state");
  }
  applyPaymentMethod(ctx, setupIntent, paymentMethodParam(ctx, params));
  confirm(ctx, setupIntent, optionalString(params, "return_url") ?? null, fromBrowser);
  return { body: expand(ctx, present(ctx, setupIntent), expandPaths(params)) };
}

export const setupIntentRoutes: Route[] = [
  route("POST", "/v1/setup_intents", (ctx, params) => createSetupIntent(ctx, params)),
  route("GET", "/v1/setup_intents", (ctx, params) => {
    allowOnly(params, ["limit", "starting_after", "ending_before", "created", "customer", "payment_method"]);
    const customer = optionalString(params, "customer");
    const paymentMethod = optionalString(params, "payment_method");
    const items = Object.values(ctx.account.setupIntents).filter(
      (setupIntent) =>
        (customer === undefined || setupIntent.customer === customer) && (paymentMethod === undefined || setupIntent.payment_method === paymentMethod),
    );
    return { body: expand(ctx, paginate(ctx, items, params, "/v1/setup_intents"), expandPaths(params)) };
  }),
  route("GET", "/v1/setup_intents/:id", (ctx, params, path) => {
    allowOnly(params, ["client_secret"]);
    return { body: expand(ctx, present(ctx, getSetupIntentOrThrow(ctx, param(path, 0))), expandPaths(params)) };
  }),
  route("POST", "/v1/setup_intents/:id", (ctx, params, path) => {
    allowOnly(params, ["customer", "description", "metadata", "payment_method", "payment_method_data", "allowed_payment_method_types"]);
    const setupIntent = getSetupIntentOrThrow(ctx, param(path, 0));
    const customerId = optionalString(params, "customer");
    if (customerId) setupIntent.customer = getCustomerOrThrow(ctx, customerId, "customer").id;
    const description = optionalNullableString(params, "description");
    if (description !== undefined) setupIntent.description = description;
    setupIntent.metadata = applyMetadata(setupIntent.metadata ?? {}, params);
    if (params.allowed_payment_method_types !== undefined) {
      const methodTypes = paymentMethodTypesFrom(params);
      setupIntent.allowed_payment_method_types = methodTypes.allowed;
      setupIntent.payment_method_types = methodTypes.types;
    }
    applyPaymentMethod(ctx, setupIntent, paymentMethodParam(ctx, params));
    return { body: expand(ctx, present(ctx, setupIntent), expandPaths(params)) };
  }),
  route("POST", "/v1/setup_intents/:id/confirm", (ctx, params, path) => confirmSetupIntent(ctx, params, param(path, 0), false)),
  route("POST", "/v1/setup_intents/:id/cancel", (ctx, params, path) => {
    allowOnly(params, ["cancellation_reason"]);
    const setupIntent = getSetupIntentOrThrow(ctx, param(path, 0));
    if (setupIntent.status === "succeeded" || setupIntent.status === "canceled") {
      throw invalidRequest(`You cannot cancel this SetupIntent because it has a status of ${setupIntent.status}.`, undefined, "setup_intent_unexpected_state");
    }
    setupIntent.status = "canceled";
    setupIntent.next_action = null;
    setupIntent.cancellation_reason = optionalEnum(params, "cancellation_reason", ["abandoned", "duplicate", "requested_by_customer"] as const) ?? null;
    emitEvent(ctx, "setup_intent.canceled", present(ctx, setupIntent));
    return { body: expand(ctx, present(ctx, setupIntent), expandPaths(params)) };
  }),
];
