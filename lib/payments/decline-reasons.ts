/**
 * Why a card was declined, in words staff can repeat to a patient: the one table from Stripe's
 * decline codes (and error codes) to plain English. An unknown code reads as a plain decline.
 */
const DECLINE_REASONS: Record<string, string> = {
  insufficient_funds: "insufficient funds",
  generic_decline: "declined by the card issuer",
  card_declined: "declined by the card issuer",
  do_not_honor: "declined by the card issuer",
  lost_card: "the card was reported lost",
  stolen_card: "the card was reported stolen",
  expired_card: "the card has expired",
  incorrect_cvc: "wrong security code",
  invalid_cvc: "wrong security code",
  incorrect_number: "wrong card number",
  invalid_number: "wrong card number",
  incorrect_zip: "wrong ZIP code",
  invalid_expiry_month: "wrong expiration date",
  invalid_expiry_year: "wrong expiration date",
  processing_error: "a processing error at the bank (trying again may work)",
  card_velocity_exceeded: "the card's spending limit was reached",
  withdrawal_count_limit_exceeded: "the card's spending limit was reached",
  fraudulent: "flagged as possible fraud",
  pickup_card: "the card cannot be used (reported to the issuer)",
  restricted_card: "the card cannot be used for this payment",
  card_not_supported: "the card does not support this kind of payment",
  currency_not_supported: "the card does not support this currency",
  authentication_required: "the bank asked for authentication the patient did not complete",
  payment_intent_authentication_failure: "the patient did not complete the bank's authentication",
  try_again_later: "the bank could not answer (trying again later may work)",
};

/** "Card declined: insufficient funds"; "Card declined" for a missing or unknown code. */
export function declineMessage(code: string | null | undefined): string {
  const reason = code ? DECLINE_REASONS[code] : undefined;
  return reason ? `Card declined: ${reason}` : "Card declined";
}

/** The reason alone ("insufficient funds"), for reports; "declined by the card issuer" for a missing or unknown code. */
export function declineReason(code: string | null | undefined): string {
  return (code ? DECLINE_REASONS[code] : undefined) ?? "declined by the card issuer";
}
