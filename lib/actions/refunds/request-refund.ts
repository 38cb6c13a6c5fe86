"use server";

import { z } from "zod";
import { getDb } from "@/lib/db/client";
import { authedAction } from "@/lib/http/action";
import { zRecordId } from "@/lib/http/record-id";
import { requestRefund } from "@/lib/refunds/request-refund";
import { ZRequestRefundInput } from "@/lib/refunds/refunds.types";
import { refreshStaffPages } from "../refresh-staff-pages";

// The amount is checked again on the server against the payment; nothing about money is trusted from the browser.
const ZRequestRefundActionInput = z.intersection(z.object({ paymentId: zRecordId("Unknown payment.") }), ZRequestRefundInput);

export const requestRefundAction = authedAction(
  { name: "refund.request", role: "billing", schema: ZRequestRefundActionInput },
  async ({ paymentId, ...input }, auth) => {
    const result = await requestRefund(await getDb(), { organizationId: auth.organization.id, paymentId, actor: auth.actor, input });
    refreshStaffPages();
    return { refundId: result.refund.id, status: result.refund.status, stripeUnreachable: result.stripeUnreachable };
  },
);
