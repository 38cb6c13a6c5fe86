import { apiRoute, parseQuery, readJsonBody } from "@/lib/http/api-route";
import { ZCreateClaimBody, ZListClaimsQuery } from "@/lib/api/claims-api.schemas";
import { createClaimFromVisit } from "@/lib/claims/create-claim";
import { listClaims } from "@/lib/claims/list-claims";

export const dynamic = "force-dynamic";

export const GET = apiRoute("/api/v1/claims", async (request, { db, principal }) => {
  const query = parseQuery(request, ZListClaimsQuery);
  const page = await listClaims(db, { organizationId: principal.organizationId, query });
  return { status: 200, body: { data: page.claims, nextCursor: page.nextCursor } };
});

export const POST = apiRoute("/api/v1/claims", async (request, { db, principal, actor }) => {
  const input = await readJsonBody(request, ZCreateClaimBody);
  return { status: 201, body: await createClaimFromVisit(db, { organizationId: principal.organizationId, actor, ...input }) };
});
