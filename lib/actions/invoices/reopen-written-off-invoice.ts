"use server";

import { getDb } from "@/lib/db/client";
import { authedAction } from "@/lib/http/action";
import { zRecordId } from "@/lib/http/record-id";
import { reopenWrittenOffInvoice } from "@/lib/invoices/reopen-written-off-invoice";
import { ZReasonInput } from "@/lib/invoices/void-invoice";
import { refreshStaffPages } from "../refresh-staff-pages";

const ZReopenWrittenOffInvoiceActionInput = ZReasonInput.extend({ invoiceId: zRecordId("Unknown invoice.") });

export const reopenWrittenOffInvoiceAction = authedAction(
  { name: "invoice.reopen_write_off", role: "billing", schema: ZReopenWrittenOffInvoiceActionInput },
  async ({ invoiceId, reason }, auth) => {
    await reopenWrittenOffInvoice(await getDb(), { organizationId: auth.organization.id, invoiceId, actor: auth.actor, input: { reason } });
    refreshStaffPages();
  },
);
