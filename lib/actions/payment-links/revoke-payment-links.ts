"use server";

import { z } from "zod";
import { getDb } from "@/lib/db/client";
import { authedAction } from "@/lib/http/action";
import { zRecordId } from "@/lib/http/record-id";
import { revokePaymentLinks } from "@/lib/payment-links/revoke-payment-links";
import { refreshStaffPages } from "../refresh-staff-pages";

const ZRevokePaymentLinksActionInput = z.object({ invoiceId: zRecordId("Unknown invoice.") });

export const revokePaymentLinksAction = authedAction(
  { name: "payment_link.revoke", role: "billing", schema: ZRevokePaymentLinksActionInput },
  async ({ invoiceId }, auth) => {
    await revokePaymentLinks(await getDb(), { organizationId: auth.organization.id, invoiceId, actor: auth.actor });
    refreshStaffPages();
  },
);
