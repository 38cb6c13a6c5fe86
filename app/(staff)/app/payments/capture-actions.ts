"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { getDb } from "@/lib/db/client";
import { requestEmailDelivery } from "@/lib/email/request-email-delivery";
import { authedAction } from "@/lib/http/action";
import { capturePayment, releasePayment } from "@/lib/payments/capture-payment";
import { ZCapturePaymentInput } from "@/lib/payments/payment-holds.types";

const ZPaymentId = z.object({ paymentId: z.string().uuid() });

function revalidate(paymentId: string, invoiceId: string) {
  revalidatePath(`/app/payments/${paymentId}`);
  revalidatePath(`/app/invoices/${invoiceId}`);
  revalidatePath("/app/payments");
  revalidatePath("/app");
}

export const capturePaymentAction = authedAction(
  { name: "payment.capture", role: "billing", schema: ZCapturePaymentInput.extend(ZPaymentId.shape) },
  async ({ paymentId, amount }, auth) => {
    const view = await capturePayment(await getDb(), { organizationId: auth.organization.id, paymentId, actor: auth.actor, input: { amount } });
    // The patient's receipt was written to the outbox with the capture.
    await requestEmailDelivery();
    revalidate(paymentId, view.invoiceId);
    return { status: view.status, amountReceived: view.amountReceived };
  },
);

export const releasePaymentAction = authedAction({ name: "payment.release", role: "billing", schema: ZPaymentId }, async ({ paymentId }, auth) => {
  const view = await releasePayment(await getDb(), { organizationId: auth.organization.id, paymentId, actor: auth.actor });
  revalidate(paymentId, view.invoiceId);
  return { status: view.status };
});
