import type Stripe from "stripe";
import type { Db } from "@/lib/db/client";
import type { AuditActor } from "@/lib/audit/record-audit-event";
import { runAutopay } from "@/lib/autopay/run-autopay";
import { createPaymentPlan, type TCreatePaymentPlanInput } from "./create-payment-plan";
import { getPaymentPlanOrThrow } from "./get-payment-plan";
import type { PaymentPlanView } from "./payment-plans.types";

/**
 * Creates a plan and charges its down payment at once (the engine, scoped to this plan: the same
 * code, key and consent rule as every scheduled charge). A declined down payment is an outcome
 * shown in the plan (its attempt and the dunning), not an error.
 */
export async function startPaymentPlan(
  db: Db,
  options: { organizationId: string; actor: AuditActor; input: TCreatePaymentPlanInput; now: Date; stripe?: Stripe },
): Promise<PaymentPlanView> {
  const { planId, preview } = await createPaymentPlan(db, options);
  if (preview.downPaymentAmount > 0) await runAutopay(db, { now: options.now, stripe: options.stripe, organizationId: options.organizationId, planId });
  return getPaymentPlanOrThrow(db, { organizationId: options.organizationId, planId });
}
