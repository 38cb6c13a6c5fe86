"use server";

import { z } from "zod";
import { getDb } from "@/lib/db/client";
import { requestEmailDelivery } from "@/lib/email/request-email-delivery";
import { authedAction } from "@/lib/http/action";
import { zRecordId } from "@/lib/http/record-id";
import { resendPaymentReceipt } from "@/lib/payments/resend-payment-receipt";

const ZEmailPaymentReceiptActionInput = z.object({ paymentId: zRecordId("Unknown payment.") });

export const emailPaymentReceiptAction = authedAction(
  { name: "payment.email_receipt", role: "billing", schema: ZEmailPaymentReceiptActionInput },
  async ({ paymentId }, auth) => {
    const result = await resendPaymentReceipt(await getDb(), { organizationId: auth.organization.id, paymentId, actor: auth.actor });
    await requestEmailDelivery();
    return result;
  },
);
