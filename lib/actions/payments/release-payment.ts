"use server";

import { z } from "zod";
import { getDb } from "@/lib/db/client";
import { authedAction } from "@/lib/http/action";
import { zRecordId } from "@/lib/http/record-id";
import { releasePayment } from "@/lib/payments/capture-payment";
import { revalidatePaymentPages } from "./revalidate-payment-pages";

const ZReleasePaymentActionInput = z.object({ paymentId: zRecordId() });

export const releasePaymentAction = authedAction(
  { name: "payment.release", role: "billing", schema: ZReleasePaymentActionInput },
  async ({ paymentId }, auth) => {
    const view = await releasePayment(await getDb(), { organizationId: auth.organization.id, paymentId, actor: auth.actor });
    revalidatePaymentPages(paymentId, view.invoiceId);
    return { status: view.status };
  },
);
