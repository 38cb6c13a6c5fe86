import type Stripe from "stripe";
import type { PaymentSource, PaymentStatus } from "@/lib/db/generated/enums";

/**
 * How far along a payment is. Updates only ever move forward, so events that arrive late or out
 * of order (processing after succeeded, a stale re-fetch) cannot undo what is already known.
 * The one step back that Stripe makes on purpose, a decline returning the intent to
 * `requires_payment_method` so the patient can try another card, is allowed from the
 * not-yet-final states.
 */
const RANK: Record<PaymentStatus, number> = {
  requires_payment_method: 0,
  failed: 0,
  requires_confirmation: 1,
  requires_action: 2,
  processing: 3,
  requires_capture: 4,
  succeeded: 10,
  canceled: 10,
  voided: 11,
};

/** Where a payment came from (the schema's PaymentSource, in the order lists and the API show them). */
export const PAYMENT_SOURCES = ["pay_page", "desk_card", "saved_card", "manual", "autopay"] as const satisfies readonly PaymentSource[];

export const FINAL_STATUSES: readonly PaymentStatus[] = ["succeeded", "canceled", "voided"];
/** Attempts that may still collect money: they count against what an invoice still asks for. */
export const IN_FLIGHT_STATUSES: readonly PaymentStatus[] = ["requires_action", "processing", "requires_capture"];
/**
 * Attempts waiting for a card: their PaymentIntent can still be confirmed (a decline returns it to
 * `requires_payment_method`, our `failed`). The pay page keeps at most one per invoice and reuses it.
 */
export const OPEN_ATTEMPT_STATUSES: readonly PaymentStatus[] = ["requires_payment_method", "failed", "requires_confirmation"];
/** Attempts whose PaymentIntent Stripe still lets us cancel before any money moves. */
export const CANCELABLE_STATUSES: readonly PaymentStatus[] = [...OPEN_ATTEMPT_STATUSES, "requires_action"];

export function isFinal(status: PaymentStatus): boolean {
  return FINAL_STATUSES.includes(status);
}

export function nextStatus(current: PaymentStatus, incoming: PaymentStatus): PaymentStatus {
  // A PaymentIntent canceled at Stripe can never succeed, so a success after our "canceled" means
  // that cancel was only ours (Stripe could not be reached): the money moved and must be booked.
  if (current === "canceled" && incoming === "succeeded") return "succeeded";
  if (isFinal(current)) return current;
  if (incoming === "requires_payment_method" || incoming === "failed") return RANK[current] <= RANK.requires_action ? incoming : current;
  return RANK[incoming] >= RANK[current] ? incoming : current;
}

/** Every status a payment can have: Stripe's PaymentIntent statuses, then ours (a decline, a voided manual payment). */
export const PAYMENT_STATUSES = [
  "requires_payment_method",
  "requires_confirmation",
  "requires_action",
  "processing",
  "requires_capture",
  "succeeded",
  "canceled",
  "failed",
  "voided",
] as const;

const STRIPE_STATUSES = new Set<string>(PAYMENT_STATUSES.filter((status) => status !== "failed" && status !== "voided"));

/** Our status for a PaymentIntent; a status this code does not know yet changes nothing (null). */
export function statusFromPaymentIntent(paymentIntent: Pick<Stripe.PaymentIntent, "status" | "last_payment_error">): PaymentStatus | null {
  if (!STRIPE_STATUSES.has(paymentIntent.status)) return null;
  if (paymentIntent.status === "requires_payment_method" && paymentIntent.last_payment_error) return "failed";
  return paymentIntent.status as PaymentStatus;
}
