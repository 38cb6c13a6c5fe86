"use server";

import { revalidatePath } from "next/cache";
import { getDb } from "@/lib/db/client";
import { authedAction } from "@/lib/http/action";
import { zRecordId } from "@/lib/http/record-id";
import { rescheduleInstallment, ZRescheduleInstallmentInput } from "@/lib/payment-plans/manage-payment-plan";

const ZRescheduleInstallmentActionInput = ZRescheduleInstallmentInput.extend({ planId: zRecordId(), installmentId: zRecordId() });

/** Moves one scheduled installment to another day (today or later); audited by the domain function. */
export const rescheduleInstallmentAction = authedAction(
  { name: "payment_plan.reschedule_installment", role: "billing", schema: ZRescheduleInstallmentActionInput },
  async ({ planId, installmentId, dueDate }, auth) => {
    await rescheduleInstallment(await getDb(), {
      organizationId: auth.organization.id,
      planId,
      installmentId,
      actor: auth.actor,
      now: new Date(),
      input: { dueDate },
    });
    revalidatePath(`/app/payment-plans/${planId}`);
    return { dueDate };
  },
);
