"use server";

import { getDb } from "@/lib/db/client";
import { authedAction } from "@/lib/http/action";
import { zRecordId } from "@/lib/http/record-id";
import { ZVoidManualPaymentInput } from "@/lib/payments/manual-payments.types";
import { voidManualPayment } from "@/lib/payments/void-manual-payment";
import { refreshStaffPages } from "../refresh-staff-pages";

const ZVoidManualPaymentActionInput = ZVoidManualPaymentInput.extend({ paymentId: zRecordId("Unknown payment.") });

export const voidManualPaymentAction = authedAction(
  { name: "payment.void_manual", role: "billing", schema: ZVoidManualPaymentActionInput },
  async ({ paymentId, reason }, auth) => {
    await voidManualPayment(await getDb(), { organizationId: auth.organization.id, paymentId, actor: auth.actor, input: { reason } });
    refreshStaffPages();
  },
);
