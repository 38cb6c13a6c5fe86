"use server";

import { revalidatePath } from "next/cache";
import { getDb } from "@/lib/db/client";
import { authedAction } from "@/lib/http/action";
import { zRecordId } from "@/lib/http/record-id";
import { changePlanCard, ZChangePlanCardInput } from "@/lib/payment-plans/manage-payment-plan";

const ZChangePlanCardActionInput = ZChangePlanCardInput.extend({ planId: zRecordId() });

/** Charges another of the patient's cards with consent from the plan's next attempt on; audited by the domain function. */
export const changePlanCardAction = authedAction(
  { name: "payment_plan.change_card", role: "billing", schema: ZChangePlanCardActionInput },
  async ({ planId, savedPaymentMethodId }, auth) => {
    await changePlanCard(await getDb(), { organizationId: auth.organization.id, planId, actor: auth.actor, now: new Date(), input: { savedPaymentMethodId } });
    revalidatePath(`/app/payment-plans/${planId}`);
    return { planId };
  },
);
