import { apiRoute, readJsonBody } from "@/lib/http/api-route";
import { ZCloseClaimBody } from "@/lib/api/claims-api.schemas";
import { claimIdFrom } from "@/lib/api/claim-id";
import { closeClaim } from "@/lib/claims/correct-claim";

export const dynamic = "force-dynamic";

export const POST = apiRoute<{ id: string }>("/api/v1/claims/{id}/close", async (request, { db, principal, actor, params }) => {
  const claimId = claimIdFrom(params);
  const { reason } = await readJsonBody(request, ZCloseClaimBody);
  return { status: 200, body: await closeClaim(db, { organizationId: principal.organizationId, actor, claimId, reason }) };
});
