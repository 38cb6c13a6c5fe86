"use server";

import { getDb } from "@/lib/db/client";
import { authedAction } from "@/lib/http/action";
import { zRecordId } from "@/lib/http/record-id";
import { ZUpdateInvoiceInput } from "@/lib/invoices/invoices.types";
import { updateDraftInvoice } from "@/lib/invoices/update-draft-invoice";
import { refreshStaffPages } from "../refresh-staff-pages";

const ZUpdateDraftInvoiceActionInput = ZUpdateInvoiceInput.extend({ invoiceId: zRecordId("Unknown invoice.") });

/** Totals are never accepted from the browser: updateDraftInvoice recomputes them from the lines. */
export const updateDraftInvoiceAction = authedAction(
  { name: "invoice.update", role: "billing", schema: ZUpdateDraftInvoiceActionInput },
  async ({ invoiceId, ...input }, auth) => {
    await updateDraftInvoice(await getDb(), { organizationId: auth.organization.id, invoiceId, actor: auth.actor, input });
    refreshStaffPages();
    return { id: invoiceId };
  },
);
