import { apiRoute, readJsonBody } from "@/lib/http/api-route";
import { ZReopenInvoiceBody } from "@/lib/api/api.schemas";
import { invoiceIdFrom } from "@/lib/api/invoice-id";
import { reopenWrittenOffInvoice } from "@/lib/invoices/reopen-written-off-invoice";

export const dynamic = "force-dynamic";

export const POST = apiRoute<{ id: string }>("/api/v1/invoices/{id}/reopen", async (request, { db, principal, actor, params }) => {
  const invoiceId = invoiceIdFrom(params);
  const input = await readJsonBody(request, ZReopenInvoiceBody);
  return { status: 200, body: await reopenWrittenOffInvoice(db, { organizationId: principal.organizationId, invoiceId, actor, input }) };
});
