"use server";

import { getDb } from "@/lib/db/client";
import { authedAction } from "@/lib/http/action";
import { zRecordId } from "@/lib/http/record-id";
import { voidInvoice, ZReasonInput } from "@/lib/invoices/void-invoice";
import { refreshStaffPages } from "../refresh-staff-pages";

const ZVoidInvoiceActionInput = ZReasonInput.extend({ invoiceId: zRecordId("Unknown invoice.") });

export const voidInvoiceAction = authedAction(
  { name: "invoice.void", role: "billing", schema: ZVoidInvoiceActionInput },
  async ({ invoiceId, reason }, auth) => {
    await voidInvoice(await getDb(), { organizationId: auth.organization.id, invoiceId, actor: auth.actor, input: { reason } });
    refreshStaffPages();
  },
);
