import { apiRoute, readJsonBody } from "@/lib/http/api-route";
import { ZPatchClaimBody } from "@/lib/api/claims-api.schemas";
import { claimIdFrom } from "@/lib/api/claim-id";
import { updateDraftClaim } from "@/lib/claims/edit-claim";
import { getClaimOrThrow } from "@/lib/claims/list-claims";

export const dynamic = "force-dynamic";

export const GET = apiRoute<{ id: string }>("/api/v1/claims/{id}", async (_request, { db, principal, params }) => ({
  status: 200,
  body: await getClaimOrThrow(db, { organizationId: principal.organizationId, claimId: claimIdFrom(params) }),
}));

export const PATCH = apiRoute<{ id: string }>("/api/v1/claims/{id}", async (request, { db, principal, actor, params }) => {
  const claimId = claimIdFrom(params);
  const input = await readJsonBody(request, ZPatchClaimBody);
  return { status: 200, body: await updateDraftClaim(db, { organizationId: principal.organizationId, actor, claimId, input }) };
});
