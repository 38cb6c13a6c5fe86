import { apiRoute, parseQuery, readJsonBody } from "@/lib/http/api-route";
import { ZListPayersQuery } from "@/lib/insurance/insurance-api.schemas";
import { createPayer, listPayers, ZPayerInput } from "@/lib/insurance/payers";

export const dynamic = "force-dynamic";

export const GET = apiRoute("/api/v1/payers", async (request, { db, principal }) => {
  const query = parseQuery(request, ZListPayersQuery);
  return {
    status: 200,
    body: { data: await listPayers(db, { organizationId: principal.organizationId, includeArchived: query.includeArchived, query: query.q }) },
  };
});

export const POST = apiRoute("/api/v1/payers", async (request, { db, principal, actor }) => {
  const input = await readJsonBody(request, ZPayerInput);
  return { status: 201, body: await createPayer(db, { organizationId: principal.organizationId, actor, input }) };
});
