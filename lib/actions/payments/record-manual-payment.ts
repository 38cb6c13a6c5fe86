"use server";

import { getDb } from "@/lib/db/client";
import { requestEmailDelivery } from "@/lib/email/request-email-delivery";
import { authedAction } from "@/lib/http/action";
import { ZRecordManualPaymentInput } from "@/lib/payments/manual-payments.types";
import { recordManualPayment } from "@/lib/payments/record-manual-payment";
import { refreshStaffPages } from "../refresh-staff-pages";

export const recordManualPaymentAction = authedAction(
  { name: "payment.record_manual", role: "billing", schema: ZRecordManualPaymentInput },
  async (input, auth) => {
    const payment = await recordManualPayment(await getDb(), { organizationId: auth.organization.id, actor: auth.actor, input });
    if (input.emailReceipt) await requestEmailDelivery();
    refreshStaffPages();
    return { id: payment.id };
  },
);
