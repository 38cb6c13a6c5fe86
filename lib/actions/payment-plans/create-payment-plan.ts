"use server";

import { revalidatePath } from "next/cache";
import { getDb } from "@/lib/db/client";
import { authedAction } from "@/lib/http/action";
import { previewPaymentPlan, ZCreatePaymentPlanInput } from "@/lib/payment-plans/create-payment-plan";
import { startPaymentPlan } from "@/lib/payment-plans/start-payment-plan";

/** The schedule the plan would have, checked against the database; writes nothing. */
export const previewPaymentPlanAction = authedAction({ name: "payment_plan.preview", role: "billing", schema: ZCreatePaymentPlanInput }, async (input, auth) =>
  previewPaymentPlan(await getDb(), { organizationId: auth.organization.id, input, now: new Date() }),
);

/** Creates the plan and charges its down payment at once. */
export const createPaymentPlanAction = authedAction({ name: "payment_plan.create", role: "billing", schema: ZCreatePaymentPlanInput }, async (input, auth) => {
  const plan = await startPaymentPlan(await getDb(), { organizationId: auth.organization.id, actor: auth.actor, input, now: new Date() });
  revalidatePath(`/app/patients/${plan.patientId}`);
  return { id: plan.id, status: plan.status };
});
