"use server";

import { z } from "zod";
import { getDb } from "@/lib/db/client";
import { authedAction } from "@/lib/http/action";
import { zRecordId } from "@/lib/http/record-id";
import { deleteDraftInvoice } from "@/lib/invoices/delete-draft-invoice";
import { refreshStaffPages } from "../refresh-staff-pages";

const ZDeleteDraftInvoiceActionInput = z.object({ invoiceId: zRecordId("Unknown invoice.") });

export const deleteDraftInvoiceAction = authedAction(
  { name: "invoice.delete_draft", role: "billing", schema: ZDeleteDraftInvoiceActionInput },
  async ({ invoiceId }, auth) => {
    await deleteDraftInvoice(await getDb(), { organizationId: auth.organization.id, invoiceId, actor: auth.actor });
    refreshStaffPages();
  },
);
