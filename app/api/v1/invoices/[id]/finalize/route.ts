import { apiRoute } from "@/lib/http/api-route";
import { invoiceIdFrom } from "@/lib/api/invoice-id";
import { finalizeInvoice } from "@/lib/invoices/finalize-invoice";

export const dynamic = "force-dynamic";

export const POST = apiRoute<{ id: string }>("/api/v1/invoices/{id}/finalize", async (_request, { db, principal, actor, params, resumed }) => ({
  status: 200,
  body: await finalizeInvoice(db, { organizationId: principal.organizationId, invoiceId: invoiceIdFrom(params), actor, resumed }),
}));
