import { apiRoute, readJsonBody } from "@/lib/http/api-route";
import { ZMarkUncollectibleBody } from "@/lib/api/api.schemas";
import { invoiceIdFrom } from "@/lib/api/invoice-id";
import { markInvoiceUncollectible } from "@/lib/invoices/mark-invoice-uncollectible";

export const dynamic = "force-dynamic";

export const POST = apiRoute<{ id: string }>("/api/v1/invoices/{id}/mark-uncollectible", async (request, { db, principal, actor, params }) => {
  const invoiceId = invoiceIdFrom(params);
  const input = await readJsonBody(request, ZMarkUncollectibleBody);
  return { status: 200, body: await markInvoiceUncollectible(db, { organizationId: principal.organizationId, invoiceId, actor, input }) };
});
