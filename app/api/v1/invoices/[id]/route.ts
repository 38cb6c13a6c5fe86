import { apiRoute, readJsonBody } from "@/lib/http/api-route";
import { invoiceIdFrom } from "@/lib/api/invoice-id";
import { viewInvoice } from "@/lib/invoices/get-invoice";
import { ZUpdateInvoiceInput } from "@/lib/invoices/invoices.types";
import { updateDraftInvoice } from "@/lib/invoices/update-draft-invoice";
import { deleteDraftInvoice } from "@/lib/invoices/delete-draft-invoice";

export const dynamic = "force-dynamic";

type Params = { id: string };

export const GET = apiRoute<Params>("/api/v1/invoices/{id}", async (_request, { db, principal, actor, params }) => ({
  status: 200,
  body: await viewInvoice(db, { id: invoiceIdFrom(params), organizationId: principal.organizationId, actor }),
}));

/** Drafts only: a finalized invoice is a 409. */
export const PATCH = apiRoute<Params>("/api/v1/invoices/{id}", async (request, { db, principal, actor, params }) => {
  const invoiceId = invoiceIdFrom(params);
  const input = await readJsonBody(request, ZUpdateInvoiceInput);
  return { status: 200, body: await updateDraftInvoice(db, { organizationId: principal.organizationId, invoiceId, actor, input }) };
});

/** Drafts never finalized only (no number, nothing attached): 204. A numbered invoice is a 409 (void it instead). */
export const DELETE = apiRoute<Params>("/api/v1/invoices/{id}", async (_request, { db, principal, actor, params }) => {
  await deleteDraftInvoice(db, { organizationId: principal.organizationId, invoiceId: invoiceIdFrom(params), actor });
  return new Response(null, { status: 204 });
});
