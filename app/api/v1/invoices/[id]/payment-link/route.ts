import { apiRoute } from "@/lib/http/api-route";
import { invoiceIdFrom } from "@/lib/api/invoice-id";
import { createPaymentLink } from "@/lib/payment-links/create-payment-link";

export const dynamic = "force-dynamic";

/** A fresh pay link for an open invoice (earlier links stop working): `{ url, expiresAt }`. */
export const POST = apiRoute<{ id: string }>("/api/v1/invoices/{id}/payment-link", async (_request, { db, principal, actor, params }) => {
  const link = await createPaymentLink(db, { organizationId: principal.organizationId, invoiceId: invoiceIdFrom(params), actor });
  return { status: 201, body: { url: link.url, expiresAt: link.expiresAt } };
});
