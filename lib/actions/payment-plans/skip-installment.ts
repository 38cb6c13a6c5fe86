"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { getDb } from "@/lib/db/client";
import { authedAction } from "@/lib/http/action";
import { zRecordId } from "@/lib/http/record-id";
import { skipInstallment } from "@/lib/payment-plans/manage-payment-plan";

const ZSkipInstallmentActionInput = z.object({ planId: zRecordId(), installmentId: zRecordId() });

export const skipInstallmentAction = authedAction(
  { name: "payment_plan.skip_installment", role: "billing", schema: ZSkipInstallmentActionInput },
  async ({ planId, installmentId }, auth) => {
    const result = await skipInstallment(await getDb(), { organizationId: auth.organization.id, planId, installmentId, actor: auth.actor, now: new Date() });
    revalidatePath(`/app/payment-plans/${planId}`);
    return result;
  },
);
