import { apiRoute } from "@/lib/http/api-route";
import { invoiceIdFrom } from "@/lib/api/invoice-id";
import { requestEmailDelivery } from "@/lib/email/request-email-delivery";
import { sendInvoice } from "@/lib/invoices/send-invoice";

export const dynamic = "force-dynamic";

export const POST = apiRoute<{ id: string }>("/api/v1/invoices/{id}/send", async (_request, { db, principal, actor, params }) => {
  const invoice = await sendInvoice(db, { organizationId: principal.organizationId, invoiceId: invoiceIdFrom(params), actor });
  await requestEmailDelivery();
  return { status: 200, body: invoice };
});
