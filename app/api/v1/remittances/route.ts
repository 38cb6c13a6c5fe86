import { apiRoute, parseQuery } from "@/lib/http/api-route";
import { listRemittances, ZListRemittancesQuery } from "@/lib/remittances/list-remittances";

export const dynamic = "force-dynamic";

export const GET = apiRoute("/api/v1/remittances", async (request, { db, principal }) => {
  const query = parseQuery(request, ZListRemittancesQuery);
  const page = await listRemittances(db, { organizationId: principal.organizationId, query });
  return { status: 200, body: { data: page.remittances, nextCursor: page.nextCursor } };
});
