"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { getDb } from "@/lib/db/client";
import { authedAction } from "@/lib/http/action";
import { createInvoice } from "@/lib/invoices/create-invoice";
import { finalizeInvoice } from "@/lib/invoices/finalize-invoice";
import { ZCreateInvoiceInput, ZUpdateInvoiceInput } from "@/lib/invoices/invoices.types";
import { markInvoiceUncollectible } from "@/lib/invoices/mark-invoice-uncollectible";
import { requestEmailDelivery } from "@/lib/email/request-email-delivery";
import { sendInvoice } from "@/lib/invoices/send-invoice";
import { updateDraftInvoice } from "@/lib/invoices/update-draft-invoice";
import { voidInvoice, ZReasonInput } from "@/lib/invoices/void-invoice";
import { createPaymentLink } from "@/lib/payment-links/create-payment-link";
import { chargeSavedCard, ZChargeSavedCardInput } from "@/lib/payments/charge-saved-card";
import { revokePaymentLinks } from "@/lib/payment-links/revoke-payment-links";

// Totals are never accepted from the browser: the domain functions recompute them from the lines.
const ZInvoiceId = z.object({ invoiceId: z.string().uuid("Unknown invoice.") });

/** Invoice changes move balances shown on patient pages and lists, so the whole staff area refreshes. */
function refreshStaffPages() {
  revalidatePath("/app", "layout");
}

export const createInvoiceAction = authedAction({ name: "invoice.create", role: "billing", schema: ZCreateInvoiceInput }, async (input, auth) => {
  const invoice = await createInvoice(await getDb(), { organizationId: auth.organization.id, actor: auth.actor, input });
  refreshStaffPages();
  return { id: invoice.id };
});

export const updateDraftInvoiceAction = authedAction(
  { name: "invoice.update", role: "billing", schema: ZUpdateInvoiceInput.extend(ZInvoiceId.shape) },
  async ({ invoiceId, ...input }, auth) => {
    await updateDraftInvoice(await getDb(), { organizationId: auth.organization.id, invoiceId, actor: auth.actor, input });
    refreshStaffPages();
    return { id: invoiceId };
  },
);

export const finalizeInvoiceAction = authedAction({ name: "invoice.finalize", role: "billing", schema: ZInvoiceId }, async ({ invoiceId }, auth) => {
  const invoice = await finalizeInvoice(await getDb(), { organizationId: auth.organization.id, invoiceId, actor: auth.actor });
  refreshStaffPages();
  return { number: invoice.number };
});

export const sendInvoiceAction = authedAction({ name: "invoice.send", role: "billing", schema: ZInvoiceId }, async ({ invoiceId }, auth) => {
  await sendInvoice(await getDb(), { organizationId: auth.organization.id, invoiceId, actor: auth.actor });
  await requestEmailDelivery();
  refreshStaffPages();
});

export const voidInvoiceAction = authedAction(
  { name: "invoice.void", role: "billing", schema: ZReasonInput.extend(ZInvoiceId.shape) },
  async ({ invoiceId, reason }, auth) => {
    await voidInvoice(await getDb(), { organizationId: auth.organization.id, invoiceId, actor: auth.actor, input: { reason } });
    refreshStaffPages();
  },
);

export const markInvoiceUncollectibleAction = authedAction(
  { name: "invoice.mark_uncollectible", role: "billing", schema: ZReasonInput.extend(ZInvoiceId.shape) },
  async ({ invoiceId, reason }, auth) => {
    await markInvoiceUncollectible(await getDb(), { organizationId: auth.organization.id, invoiceId, actor: auth.actor, input: { reason } });
    refreshStaffPages();
  },
);

export const createPaymentLinkAction = authedAction({ name: "payment_link.create", role: "billing", schema: ZInvoiceId }, async ({ invoiceId }, auth) => {
  const link = await createPaymentLink(await getDb(), { organizationId: auth.organization.id, invoiceId, actor: auth.actor });
  refreshStaffPages();
  return { url: link.url };
});

export const revokePaymentLinksAction = authedAction({ name: "payment_link.revoke", role: "billing", schema: ZInvoiceId }, async ({ invoiceId }, auth) => {
  await revokePaymentLinks(await getDb(), { organizationId: auth.organization.id, invoiceId, actor: auth.actor });
  refreshStaffPages();
});

export const chargeSavedCardAction = authedAction({ name: "payment.charge_saved_card", role: "billing", schema: ZChargeSavedCardInput }, async (input, auth) => {
  const result = await chargeSavedCard(await getDb(), { organizationId: auth.organization.id, actor: auth.actor, input });
  await requestEmailDelivery();
  refreshStaffPages();
  return result;
});
