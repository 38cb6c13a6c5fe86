import { apiRoute, readJsonBody } from "@/lib/http/api-route";
import { ZApplyCreditBody } from "@/lib/api/api.schemas";
import { invoiceIdFrom } from "@/lib/api/invoice-id";
import { applyPatientCredit } from "@/lib/patient-credit/apply-patient-credit";

export const dynamic = "force-dynamic";

export const POST = apiRoute<{ id: string }>("/api/v1/invoices/{id}/apply-credit", async (request, { db, principal, actor, params }) => {
  const invoiceId = invoiceIdFrom(params);
  // The body is optional: without one, as much credit as the invoice can take is applied.
  const hasBody = request.headers.has("content-type") || Number(request.headers.get("content-length") ?? 0) > 0;
  const input = hasBody ? await readJsonBody(request, ZApplyCreditBody) : {};
  return { status: 201, body: await applyPatientCredit(db, { organizationId: principal.organizationId, invoiceId, actor, input }) };
});
