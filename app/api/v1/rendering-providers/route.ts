import { apiRoute, parseQuery, readJsonBody } from "@/lib/http/api-route";
import { ZListRenderingProvidersQuery } from "@/lib/insurance/insurance-api.schemas";
import { createRenderingProvider, listRenderingProviders, ZRenderingProviderInput } from "@/lib/insurance/rendering-providers";

export const dynamic = "force-dynamic";

export const GET = apiRoute("/api/v1/rendering-providers", async (request, { db, principal }) => {
  const query = parseQuery(request, ZListRenderingProvidersQuery);
  return {
    status: 200,
    body: { data: await listRenderingProviders(db, { organizationId: principal.organizationId, includeArchived: query.includeArchived }) },
  };
});

export const POST = apiRoute("/api/v1/rendering-providers", async (request, { db, principal, actor }) => {
  const input = await readJsonBody(request, ZRenderingProviderInput);
  return { status: 201, body: await createRenderingProvider(db, { organizationId: principal.organizationId, actor, input }) };
});
