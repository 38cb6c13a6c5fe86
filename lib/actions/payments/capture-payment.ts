"use server";

import { getDb } from "@/lib/db/client";
import { requestEmailDelivery } from "@/lib/email/request-email-delivery";
import { authedAction } from "@/lib/http/action";
import { zRecordId } from "@/lib/http/record-id";
import { capturePayment } from "@/lib/payments/capture-payment";
import { ZCapturePaymentInput } from "@/lib/payments/payment-holds.types";
import { revalidatePaymentPages } from "./revalidate-payment-pages";

const ZCapturePaymentActionInput = ZCapturePaymentInput.extend({ paymentId: zRecordId() });

export const capturePaymentAction = authedAction(
  { name: "payment.capture", role: "billing", schema: ZCapturePaymentActionInput },
  async ({ paymentId, amount }, auth) => {
    const view = await capturePayment(await getDb(), { organizationId: auth.organization.id, paymentId, actor: auth.actor, input: { amount } });
    // The patient's receipt was written to the outbox with the capture.
    await requestEmailDelivery();
    revalidatePaymentPages(paymentId, view.invoiceId);
    return { status: view.status, amountReceived: view.amountReceived };
  },
);
