"use server";

import { getDb } from "@/lib/db/client";
import { authedAction } from "@/lib/http/action";
import { createInvoice } from "@/lib/invoices/create-invoice";
import { ZCreateInvoiceInput } from "@/lib/invoices/invoices.types";
import { refreshStaffPages } from "../refresh-staff-pages";

/** Totals are never accepted from the browser: createInvoice recomputes them from the lines. */
export const createInvoiceAction = authedAction({ name: "invoice.create", role: "billing", schema: ZCreateInvoiceInput }, async (input, auth) => {
  const invoice = await createInvoice(await getDb(), { organizationId: auth.organization.id, actor: auth.actor, input });
  refreshStaffPages();
  return { id: invoice.id };
});
