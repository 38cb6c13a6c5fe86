import { apiRoute } from "@/lib/http/api-route";
import { claimIdFrom } from "@/lib/api/claim-id";
import { createVoidClaim } from "@/lib/claims/correct-claim";

export const dynamic = "force-dynamic";

export const POST = apiRoute<{ id: string }>("/api/v1/claims/{id}/void", async (_request, { db, principal, actor, params }) => ({
  status: 201,
  body: await createVoidClaim(db, { organizationId: principal.organizationId, actor, claimId: claimIdFrom(params) }),
}));
