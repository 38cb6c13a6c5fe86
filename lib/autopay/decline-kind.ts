import type { DeclineKind } from "@/lib/db/generated/enums";

/** Declines that retrying the same card cannot fix: the patient must give another card (or, for what is under the card minimum, pay at the desk). Our own refusals included: no card with consent, an amount Stripe would refuse. */
export const HARD_DECLINE_CODES: ReadonlySet<string> = new Set([
  "stolen_card",
  "lost_card",
  "pickup_card",
  "expired_card",
  "incorrect_number",
  "no_card_on_file",
]);
/** The bank wants the patient present (3-D Secure): never retried off-session. */
export const AUTHENTICATION_CODES: ReadonlySet<string> = new Set(["authentication_required", "payment_intent_authentication_failure"]);

/** How the dunning treats a decline code (Stripe's decline code, else its error code). */
export function declineKind(code: string | null): DeclineKind {
  if (code && AUTHENTICATION_CODES.has(code)) return "authentication_required";
  if (code && HARD_DECLINE_CODES.has(code)) return "hard";
  return "soft";
}
