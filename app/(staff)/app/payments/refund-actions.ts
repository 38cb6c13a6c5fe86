"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { getDb } from "@/lib/db/client";
import { authedAction } from "@/lib/http/action";
import { requestRefund } from "@/lib/refunds/request-refund";
import { ZRequestRefundInput } from "@/lib/refunds/refunds.types";
import { submitRefund } from "@/lib/refunds/submit-refund";

// The amount is checked again on the server against the payment; nothing about money is trusted from the browser.
const ZRefundActionInput = z.intersection(z.object({ paymentId: z.string().uuid("Unknown payment.") }), ZRequestRefundInput);

/** Refunds move the payment, the invoice and balances shown across the staff area. */
function refreshStaffPages() {
  revalidatePath("/app", "layout");
}

export const requestRefundAction = authedAction({ name: "refund.request", role: "billing", schema: ZRefundActionInput }, async ({ paymentId, ...input }, auth) => {
  const result = await requestRefund(await getDb(), { organizationId: auth.organization.id, paymentId, actor: auth.actor, input });
  refreshStaffPages();
  return { refundId: result.refund.id, status: result.refund.status, stripeUnreachable: result.stripeUnreachable };
});

export const resendRefundAction = authedAction(
  { name: "refund.resend", role: "billing", schema: z.object({ refundId: z.string().uuid("Unknown refund.") }) },
  async ({ refundId }, auth) => {
    const result = await submitRefund(await getDb(), { organizationId: auth.organization.id, refundId, actor: auth.actor });
    refreshStaffPages();
    return { status: result.refund.status, stripeUnreachable: result.stripeUnreachable };
  },
);
