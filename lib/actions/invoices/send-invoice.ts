"use server";

import { z } from "zod";
import { getDb } from "@/lib/db/client";
import { requestEmailDelivery } from "@/lib/email/request-email-delivery";
import { authedAction } from "@/lib/http/action";
import { zRecordId } from "@/lib/http/record-id";
import { sendInvoice } from "@/lib/invoices/send-invoice";
import { refreshStaffPages } from "../refresh-staff-pages";

const ZSendInvoiceActionInput = z.object({ invoiceId: zRecordId("Unknown invoice.") });

export const sendInvoiceAction = authedAction({ name: "invoice.send", role: "billing", schema: ZSendInvoiceActionInput }, async ({ invoiceId }, auth) => {
  await sendInvoice(await getDb(), { organizationId: auth.organization.id, invoiceId, actor: auth.actor });
  await requestEmailDelivery();
  refreshStaffPages();
});
