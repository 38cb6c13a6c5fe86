import { apiRoute } from "@/lib/http/api-route";
import { claimIdFrom } from "@/lib/api/claim-id";
import { validateClaim } from "@/lib/claims/validate-claim";

export const dynamic = "force-dynamic";

export const POST = apiRoute<{ id: string }>("/api/v1/claims/{id}/validate", async (_request, { db, principal, actor, params }) => ({
  status: 200,
  body: await validateClaim(db, { organizationId: principal.organizationId, actor, claimId: claimIdFrom(params) }),
}));
