import { apiRoute } from "@/lib/http/api-route";
import { claimIdFrom } from "@/lib/api/claim-id";
import { createSecondaryClaimOrThrow } from "@/lib/claims/secondary-claim";

export const dynamic = "force-dynamic";

/** The claim to the patient's next payer (secondary after the primary), carrying this claim's posted remittance: 201, or 404 / 409 / 422 in words. */
export const POST = apiRoute<{ id: string }>("/api/v1/claims/{id}/secondary-claim", async (_request, { db, principal, actor, params }) => ({
  status: 201,
  body: await createSecondaryClaimOrThrow(db, { organizationId: principal.organizationId, actor, claimId: claimIdFrom(params) }),
}));
