import { apiRoute, readJsonBody } from "@/lib/http/api-route";
import { ZVoidInvoiceBody } from "@/lib/api/api.schemas";
import { invoiceIdFrom } from "@/lib/api/invoice-id";
import { voidInvoice } from "@/lib/invoices/void-invoice";

export const dynamic = "force-dynamic";

export const POST = apiRoute<{ id: string }>("/api/v1/invoices/{id}/void", async (request, { db, principal, actor, params }) => {
  const invoiceId = invoiceIdFrom(params);
  const input = await readJsonBody(request, ZVoidInvoiceBody);
  return { status: 200, body: await voidInvoice(db, { organizationId: principal.organizationId, invoiceId, actor, input }) };
});
