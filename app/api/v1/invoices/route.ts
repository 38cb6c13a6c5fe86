import { apiRoute, parseQuery, readJsonBody } from "@/lib/http/api-route";
import { ZListInvoicesQuery } from "@/lib/api/api.schemas";
import { createInvoice } from "@/lib/invoices/create-invoice";
import { ZCreateInvoiceInput } from "@/lib/invoices/invoices.types";
import { listInvoices } from "@/lib/invoices/list-invoices";

export const dynamic = "force-dynamic";

export const GET = apiRoute("/api/v1/invoices", async (request, { db, principal }) => {
  const query = parseQuery(request, ZListInvoicesQuery);
  const page = await listInvoices(db, {
    organizationId: principal.organizationId,
    input: {
      status: query.status,
      patientId: query.patientId,
      createdFrom: query.createdFrom ? new Date(query.createdFrom) : undefined,
      createdTo: query.createdTo ? new Date(query.createdTo) : undefined,
      number: query.number,
      cursor: query.cursor,
      limit: query.limit,
    },
  });
  return { status: 200, body: { data: page.data.map(({ patientName: _omitted, ...invoice }) => invoice), nextCursor: page.nextCursor } };
});

export const POST = apiRoute("/api/v1/invoices", async (request, { db, principal, actor }) => {
  const input = await readJsonBody(request, ZCreateInvoiceInput);
  return { status: 201, body: await createInvoice(db, { organizationId: principal.organizationId, actor, input }) };
});
