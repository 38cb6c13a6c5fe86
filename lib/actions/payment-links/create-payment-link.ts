"use server";

import { z } from "zod";
import { getDb } from "@/lib/db/client";
import { authedAction } from "@/lib/http/action";
import { zRecordId } from "@/lib/http/record-id";
import { createPaymentLink } from "@/lib/payment-links/create-payment-link";
import { refreshStaffPages } from "../refresh-staff-pages";

const ZCreatePaymentLinkActionInput = z.object({ invoiceId: zRecordId("Unknown invoice.") });

export const createPaymentLinkAction = authedAction(
  { name: "payment_link.create", role: "billing", schema: ZCreatePaymentLinkActionInput },
  async ({ invoiceId }, auth) => {
    const link = await createPaymentLink(await getDb(), { organizationId: auth.organization.id, invoiceId, actor: auth.actor });
    refreshStaffPages();
    return { url: link.url };
  },
);
