import { invalidRequest } from "./errors";
import type { FormObject } from "./form";
import { allowOnly, expandPaths, requiredString } from "./params";
import { expand, present } from "./render";
import { param, route, type Route } from "./router";
import { confirmPaymentIntent, getPaymentIntentOrThrow } from "./resources/payment-intents";
import { createPaymentMethodFromParams } from "./resources/payment-methods";
import { confirmSetupIntent, getSetupIntentOrThrow } from "./resources/setup-intents";

/**
 * What Stripe.js may do with a publishable key: tokenize a card into a PaymentMethod and
 * read or confirm an intent it holds the client secret of. The browser stand-in uses these.
 */
function checkSecret(params: FormObject, expected: string | null): void {
  const secret = requiredString(params, "client_secret");
  if (secret !== expected) {
    throw invalidRequest("The client_secret provided does not match the client_secret associated with this object.", "client_secret");
  }
}

/** Stripe.js sends the client secret and, without an Authorization header, the key in the body. */
function withoutClientCredentials(params: FormObject): FormObject {
  const rest: FormObject = {};
  for (const [key, value] of Object.entries(params)) {
    if (key !== "client_secret" && key !== "key") rest[key] = value;
  }
  return rest;
}

export const clientRoutes: Route[] = [
  route("POST", "/v1/payment_methods", (ctx, params) => {
    const rest = withoutClientCredentials(params);
    allowOnly(rest, ["type", "card", "billing_details", "metadata", "allow_redisplay"]);
    return { body: present(ctx, createPaymentMethodFromParams(ctx, rest)) };
  }),
  route("GET", "/v1/payment_intents/:id", (ctx, params, path) => {
    const paymentIntent = getPaymentIntentOrThrow(ctx, param(path, 0));
    checkSecret(params, paymentIntent.client_secret);
    return { body: expand(ctx, present(ctx, paymentIntent), expandPaths(params)) };
  }),
  route("POST", "/v1/payment_intents/:id/confirm", (ctx, params, path) => {
    const paymentIntent = getPaymentIntentOrThrow(ctx, param(path, 0));
    checkSecret(params, paymentIntent.client_secret);
    return confirmPaymentIntent(ctx, withoutClientCredentials(params), paymentIntent.id, true);
  }),
  route("GET", "/v1/setup_intents/:id", (ctx, params, path) => {
    const setupIntent = getSetupIntentOrThrow(ctx, param(path, 0));
    checkSecret(params, setupIntent.client_secret);
    return { body: expand(ctx, present(ctx, setupIntent), expandPaths(params)) };
  }),
  route("POST", "/v1/setup_intents/:id/confirm", (ctx, params, path) => {
    const setupIntent = getSetupIntentOrThrow(ctx, param(path, 0));
    checkSecret(params, setupIntent.client_secret);
    return confirmSetupIntent(ctx, withoutClientCredentials(params), setupIntent.id, true);
  }),
];
