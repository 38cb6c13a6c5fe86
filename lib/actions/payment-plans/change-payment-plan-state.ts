"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { getDb } from "@/lib/db/client";
import { authedAction } from "@/lib/http/action";
import { zRecordId } from "@/lib/http/record-id";
import { cancelPaymentPlan, pausePaymentPlan, resumePaymentPlan } from "@/lib/payment-plans/manage-payment-plan";

const ZPlanActionInput = z.object({ planId: zRecordId() });

const CHANGES = { pause: pausePaymentPlan, resume: resumePaymentPlan, cancel: cancelPaymentPlan } as const;

function planAction(change: keyof typeof CHANGES) {
  return authedAction({ name: `payment_plan.${change}`, role: "billing", schema: ZPlanActionInput }, async ({ planId }, auth) => {
    await CHANGES[change](await getDb(), { organizationId: auth.organization.id, planId, actor: auth.actor, now: new Date() });
    revalidatePath(`/app/payment-plans/${planId}`);
    return { planId };
  });
}

export const pausePaymentPlanAction = planAction("pause");
export const resumePaymentPlanAction = planAction("resume");
export const cancelPaymentPlanAction = planAction("cancel");
