"use server";

import { headers } from "next/headers";
import { z } from "zod";
import { getDb } from "@/lib/db/client";
import { requestEmailDelivery } from "@/lib/email/request-email-delivery";
import { getEnv } from "@/lib/env";
import { authedAction } from "@/lib/http/action";
import { clientIpFromHeaders } from "@/lib/http/client-ip";
import { zRecordId } from "@/lib/http/record-id";
import {
  completeDeskCardPayment,
  startDeskCardPayment,
  startDeskCardPrepayment,
  ZStartDeskCardPaymentInput,
  ZStartDeskCardPrepaymentInput,
} from "@/lib/payments/take-desk-card-payment";
import { refreshStaffPages } from "../refresh-staff-pages";

/** "Pay with card" at the desk: the attempt (and, with "save this card", the consent given through the staff member) before the card is typed in. */
export const startDeskCardPaymentAction = authedAction(
  { name: "payment.desk_card_start", role: "billing", schema: ZStartDeskCardPaymentInput },
  async (input, auth) => {
    const requestHeaders = await headers();
    const started = await startDeskCardPayment(await getDb(), {
      organizationId: auth.organization.id,
      actor: { ...auth.actor, userId: auth.user.id },
      input,
      client: { ip: clientIpFromHeaders(requestHeaders), userAgent: requestHeaders.get("user-agent") },
    });
    return { ...started, publishableKey: getEnv().STRIPE_PUBLISHABLE_KEY ?? null };
  },
);

/** "Card (type it in)" on "Collect estimate": an attempt for no invoice, its amount kept as the patient's credit once paid. */
export const startDeskCardPrepaymentAction = authedAction(
  { name: "payment.desk_card_prepayment_start", role: "billing", schema: ZStartDeskCardPrepaymentInput },
  async (input, auth) => {
    const requestHeaders = await headers();
    const started = await startDeskCardPrepayment(await getDb(), {
      organizationId: auth.organization.id,
      actor: { ...auth.actor, userId: auth.user.id },
      input,
      client: { ip: clientIpFromHeaders(requestHeaders), userAgent: requestHeaders.get("user-agent") },
    });
    return { ...started, publishableKey: getEnv().STRIPE_PUBLISHABLE_KEY ?? null };
  },
);

/** Back from confirmPayment: the outcome is recorded (unless the webhook did it first). */
export const completeDeskCardPaymentAction = authedAction(
  { name: "payment.desk_card_complete", role: "billing", schema: z.object({ paymentId: zRecordId("Unknown payment.") }) },
  async (input, auth) => {
    const outcome = await completeDeskCardPayment(await getDb(), { organizationId: auth.organization.id, paymentId: input.paymentId });
    if (outcome.status === "succeeded") await requestEmailDelivery();
    refreshStaffPages();
    return outcome;
  },
);
