"use server";

import { getDb } from "@/lib/db/client";
import { authedAction } from "@/lib/http/action";
import { zRecordId } from "@/lib/http/record-id";
import { markInvoiceUncollectible } from "@/lib/invoices/mark-invoice-uncollectible";
import { ZReasonInput } from "@/lib/invoices/void-invoice";
import { refreshStaffPages } from "../refresh-staff-pages";

const ZMarkInvoiceUncollectibleActionInput = ZReasonInput.extend({ invoiceId: zRecordId("Unknown invoice.") });

export const markInvoiceUncollectibleAction = authedAction(
  { name: "invoice.mark_uncollectible", role: "billing", schema: ZMarkInvoiceUncollectibleActionInput },
  async ({ invoiceId, reason }, auth) => {
    await markInvoiceUncollectible(await getDb(), { organizationId: auth.organization.id, invoiceId, actor: auth.actor, input: { reason } });
    refreshStaffPages();
  },
);
