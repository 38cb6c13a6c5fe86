import { z } from "zod";

/** The kinds of our own records a Stripe create call can be derived from. */
export type IdempotencyEntity = "payment" | "refund" | "patient" | "payment-plan" | "card-setup" | "plan-installment" | "membership-period";

/** A key built by `idempotencyKey()`; helpers accept nothing else, so no call site invents one. */
export type IdempotencyKey = string & { readonly __brand: "StripeIdempotencyKey" };

const ZRecordId = z.uuid();
const ZAction = z.string().regex(/^[a-z][a-z0-9-]{0,47}$/, "must be kebab-case, e.g. create-payment-intent");

/**
 * The Idempotency-Key for one Stripe call on behalf of one of our records, e.g.
 * `idempotencyKey("payment", paymentId, "create-payment-intent")` → `carebill:payment:<uuid>:create-payment-intent`.
 *
 * Deterministic: a retry after a crash or timeout sends the same key, so Stripe replays the first
 * result instead of creating a second object. Stripe keeps keys for 24 hours and refuses a key
 * reused with different parameters, so one record asks Stripe for one thing once; to ask for
 * something different (another amount, another attempt), record a new row and use its id.
 */
export function idempotencyKey(entity: IdempotencyEntity, recordId: string, action: string): IdempotencyKey {
  const id = ZRecordId.parse(recordId);
  return `carebill:${entity}:${id}:${ZAction.parse(action)}` as IdempotencyKey;
}
