"use server";

import { z } from "zod";
import { getDb } from "@/lib/db/client";
import { requestEmailDelivery } from "@/lib/email/request-email-delivery";
import { authedAction } from "@/lib/http/action";
import { zRecordId } from "@/lib/http/record-id";
import { finalizeAndSendInvoice } from "@/lib/invoices/finalize-and-send-invoice";
import { refreshStaffPages } from "../refresh-staff-pages";

const ZFinalizeAndSendInvoiceActionInput = z.object({ invoiceId: zRecordId("Unknown invoice.") });

/** Finalize, then send: a failed send is an answer (sent: false, with the reason), not an error, because the invoice is finalized. */
export const finalizeAndSendInvoiceAction = authedAction(
  { name: "invoice.finalize_and_send", role: "billing", schema: ZFinalizeAndSendInvoiceActionInput },
  async ({ invoiceId }, auth) => {
    const outcome = await finalizeAndSendInvoice(await getDb(), { organizationId: auth.organization.id, invoiceId, actor: auth.actor });
    if (outcome.sent) await requestEmailDelivery();
    refreshStaffPages();
    return { number: outcome.invoice.number, sent: outcome.sent, sendError: outcome.sent ? null : outcome.sendError.message };
  },
);
