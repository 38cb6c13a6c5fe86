import type Stripe from "stripe";
import { z } from "zod";
import { getStripe } from "./get-stripe";
import { idempotencyKey } from "./idempotency-key";
import { toStripeMetadata, ZStripeMetadata } from "./metadata";

export const ZCreateRefundOptions = z.strictObject({
  /** Opaque ids only; `refundId` (our refund row) also derives the idempotency key. */
  metadata: ZStripeMetadata.extend({ refundId: z.uuid() }),
  paymentIntentId: z.string().startsWith("pi_"),
  /** Cents, computed by the server; Stripe refuses more than what is left to refund. */
  amount: z.number().int().positive(),
  reason: z.enum(["requested_by_customer", "duplicate", "fraudulent"]).optional(),
});

export type TCreateRefundOptions = z.input<typeof ZCreateRefundOptions>;

/**
 * Refunds part or all of a captured payment, once per refund row (idempotency key
 * `carebill:refund:<refundId>:create-refund`). A card refund is usually `succeeded` in the
 * answer and never changes; some start `pending` and settle later, and a `succeeded` one can
 * still fail, each announced by `refund.updated` / `refund.failed`. Its balance transaction is
 * expanded in the result.
 */
export async function createRefund(options: TCreateRefundOptions, stripe: Stripe = getStripe()): Promise<Stripe.Refund> {
  const input = ZCreateRefundOptions.parse(options);
  const params: Stripe.RefundCreateParams = {
    payment_intent: input.paymentIntentId,
    amount: input.amount,
    metadata: toStripeMetadata(input.metadata),
    expand: ["balance_transaction"],
  };
  if (input.reason) params.reason = input.reason;
  return stripe.refunds.create(params, { idempotencyKey: idempotencyKey("refund", input.metadata.refundId, "create-refund") });
}
