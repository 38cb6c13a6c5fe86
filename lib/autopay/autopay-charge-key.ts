import type { AutopaySubjectType } from "@/lib/db/generated/enums";
import { idempotencyKey, type IdempotencyKey } from "@/lib/stripe/idempotency-key";

/**
 * The Idempotency-Key of one off-session charge attempt: `carebill:plan-installment:<id>:autopay-attempt-<n>`.
 * Derived from the subject and attempt only, so a run repeated after a crash, or two runs at
 * once, send the same key and Stripe returns the first PaymentIntent instead of charging twice.
 */
export function autopayChargeKey(subjectType: AutopaySubjectType, subjectId: string, attempt: number): IdempotencyKey {
  return idempotencyKey(subjectType === "plan_installment" ? "plan-installment" : "membership-period", subjectId, `autopay-attempt-${attempt}`);
}
