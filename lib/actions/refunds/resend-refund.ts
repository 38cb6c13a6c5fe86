"use server";

import { z } from "zod";
import { getDb } from "@/lib/db/client";
import { authedAction } from "@/lib/http/action";
import { zRecordId } from "@/lib/http/record-id";
import { submitRefund } from "@/lib/refunds/submit-refund";
import { refreshStaffPages } from "../refresh-staff-pages";

const ZResendRefundActionInput = z.object({ refundId: zRecordId("Unknown refund.") });

/** Sends again a booked refund that Stripe could not be reached for. */
export const resendRefundAction = authedAction({ name: "refund.resend", role: "billing", schema: ZResendRefundActionInput }, async ({ refundId }, auth) => {
  const result = await submitRefund(await getDb(), { organizationId: auth.organization.id, refundId, actor: auth.actor });
  refreshStaffPages();
  return { status: result.refund.status, stripeUnreachable: result.stripeUnreachable };
});
