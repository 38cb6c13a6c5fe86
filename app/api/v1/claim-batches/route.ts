import { apiRoute, parseQuery, readJsonBody } from "@/lib/http/api-route";
import { ZCreateClaimBatchBody, ZListClaimBatchesQuery } from "@/lib/api/claims-api.schemas";
import { createClaimBatch, listClaimBatches } from "@/lib/claims/submit-claims";

export const dynamic = "force-dynamic";

export const GET = apiRoute("/api/v1/claim-batches", async (request, { db, principal }) => {
  const { limit } = parseQuery(request, ZListClaimBatchesQuery);
  return { status: 200, body: { data: await listClaimBatches(db, { organizationId: principal.organizationId, limit }) } };
});

export const POST = apiRoute("/api/v1/claim-batches", async (request, { db, principal, actor }) => {
  const input = await readJsonBody(request, ZCreateClaimBatchBody);
  return { status: 201, body: await createClaimBatch(db, { organizationId: principal.organizationId, actor, ...input }) };
});
