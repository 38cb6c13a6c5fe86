"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { getDb } from "@/lib/db/client";
import { authedAction } from "@/lib/http/action";
import { zRecordId } from "@/lib/http/record-id";
import { deletePayerFee, upsertPayerFee, ZPayerFeeInput } from "@/lib/insurance/fee-schedule";

function refreshFeeSchedulePages(payerId: string) {
  revalidatePath(`/app/settings/payers/${payerId}/fee-schedule`);
  revalidatePath("/app/claims/underpaid");
}

const ZSavePayerFeeActionInput = ZPayerFeeInput.extend({ payerId: zRecordId("Unknown payer.") });

/** Billing staff and admins: what the payer allows for a code (and modifier); the same code and modifier again replaces the amount. */
export const savePayerFeeAction = authedAction(
  { name: "payer_fee.save", role: "billing", schema: ZSavePayerFeeActionInput },
  async ({ payerId, ...input }, auth) => {
    const fee = await upsertPayerFee(await getDb(), { organizationId: auth.organization.id, actor: auth.actor, payerId, input });
    refreshFeeSchedulePages(payerId);
    return { id: fee.id, created: fee.created };
  },
);

export const deletePayerFeeAction = authedAction(
  { name: "payer_fee.delete", role: "billing", schema: z.object({ payerId: zRecordId("Unknown payer."), id: zRecordId("Unknown fee schedule entry.") }) },
  async ({ payerId, id }, auth) => {
    await deletePayerFee(await getDb(), { organizationId: auth.organization.id, actor: auth.actor, payerId, feeId: id });
    refreshFeeSchedulePages(payerId);
    return { id };
  },
);
