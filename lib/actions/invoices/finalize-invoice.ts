"use server";

import { z } from "zod";
import { getDb } from "@/lib/db/client";
import { authedAction } from "@/lib/http/action";
import { zRecordId } from "@/lib/http/record-id";
import { finalizeInvoice } from "@/lib/invoices/finalize-invoice";
import { refreshStaffPages } from "../refresh-staff-pages";

const ZFinalizeInvoiceActionInput = z.object({ invoiceId: zRecordId("Unknown invoice.") });

export const finalizeInvoiceAction = authedAction(
  { name: "invoice.finalize", role: "billing", schema: ZFinalizeInvoiceActionInput },
  async ({ invoiceId }, auth) => {
    const invoice = await finalizeInvoice(await getDb(), { organizationId: auth.organization.id, invoiceId, actor: auth.actor });
    refreshStaffPages();
    return { number: invoice.number };
  },
);
