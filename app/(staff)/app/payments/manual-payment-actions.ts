"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { getDb } from "@/lib/db/client";
import { requestEmailDelivery } from "@/lib/email/request-email-delivery";
import { authedAction } from "@/lib/http/action";
import { resendPaymentReceipt } from "@/lib/payments/resend-payment-receipt";
import { ZRecordManualPaymentInput, ZVoidManualPaymentInput } from "@/lib/payments/manual-payments.types";
import { recordManualPayment } from "@/lib/payments/record-manual-payment";
import { voidManualPayment } from "@/lib/payments/void-manual-payment";

const ZPaymentId = z.object({ paymentId: z.string().uuid("Unknown payment.") });

/** Payments move invoice balances shown across the staff area. */
function refreshStaffPages() {
  revalidatePath("/app", "layout");
}

export const recordManualPaymentAction = authedAction({ name: "payment.record_manual", role: "billing", schema: ZRecordManualPaymentInput }, async (input, auth) => {
  const payment = await recordManualPayment(await getDb(), { organizationId: auth.organization.id, actor: auth.actor, input });
  if (input.emailReceipt) await requestEmailDelivery();
  refreshStaffPages();
  return { id: payment.id };
});

export const voidManualPaymentAction = authedAction(
  { name: "payment.void_manual", role: "billing", schema: ZVoidManualPaymentInput.extend(ZPaymentId.shape) },
  async ({ paymentId, reason }, auth) => {
    await voidManualPayment(await getDb(), { organizationId: auth.organization.id, paymentId, actor: auth.actor, input: { reason } });
    refreshStaffPages();
  },
);

export const resendPaymentReceiptAction = authedAction({ name: "payment.email_receipt", role: "billing", schema: ZPaymentId }, async ({ paymentId }, auth) => {
  const result = await resendPaymentReceipt(await getDb(), { organizationId: auth.organization.id, paymentId, actor: auth.actor });
  await requestEmailDelivery();
  return result;
});
