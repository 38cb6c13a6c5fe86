import { ZIssueCreditNoteBody } from "@/lib/api/api.schemas";
import { invoiceIdFrom } from "@/lib/api/invoice-id";
import { issueCreditNote } from "@/lib/credit-notes/issue-credit-note";
import { listCreditNotes } from "@/lib/credit-notes/list-credit-notes";
import { apiRoute, readJsonBody } from "@/lib/http/api-route";

export const dynamic = "force-dynamic";

export const GET = apiRoute<{ id: string }>("/api/v1/invoices/{id}/credit-notes", async (_request, { db, principal, params }) => {
  const invoiceId = invoiceIdFrom(params);
  return { status: 200, body: { data: await listCreditNotes(db, { organizationId: principal.organizationId, invoiceId }) } };
});

export const POST = apiRoute<{ id: string }>("/api/v1/invoices/{id}/credit-notes", async (request, { db, principal, actor, params }) => {
  const invoiceId = invoiceIdFrom(params);
  const input = await readJsonBody(request, ZIssueCreditNoteBody);
  return { status: 201, body: await issueCreditNote(db, { organizationId: principal.organizationId, invoiceId, actor, input }) };
});
