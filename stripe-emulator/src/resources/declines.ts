import type { ChargeFailure } from "./charges";
import { StripeApiError, type StripeErrorBody } from "../errors";

export const AUTHENTICATION_REQUIRED: ChargeFailure = {
  code: "authentication_required",
  declineCode: "authentication_required",
  message: "Your card was declined. This transaction requires authentication.",
};

export const GENERIC_DECLINE: ChargeFailure = {
  code: "card_declined",
  declineCode: "generic_decline",
  message: "Your card was declined.",
};

export const AUTHENTICATION_FAILED_MESSAGE = "We are unable to authenticate your payment method. Please choose a different payment method and try again.";

/** The 402 `card_error` Stripe answers a declined confirmation with. */
export function declineError(failure: ChargeFailure, extras: Partial<StripeErrorBody>): StripeApiError {
  return new StripeApiError(402, {
    type: "card_error",
    code: failure.code,
    ...(failure.code === "card_declined" || failure.code === "authentication_required" ? { decline_code: failure.declineCode } : {}),
    message: failure.message,
    ...extras,
  });
}
