import { apiRoute, readJsonBody } from "@/lib/http/api-route";
import { recordIdFromPath } from "@/lib/http/record-id";
import { cancelMembership, ZCancelMembershipInput } from "@/lib/memberships/manage-membership";

export const dynamic = "force-dynamic";

export const POST = apiRoute<{ id: string }>("/api/v1/memberships/{id}/cancel", async (request, { db, principal, actor, params }) => {
  const membershipId = recordIdFromPath(params.id, "That membership does not exist.");
  const input = await readJsonBody(request, ZCancelMembershipInput);
  return { status: 200, body: await cancelMembership(db, { organizationId: principal.organizationId, membershipId, actor, input, now: new Date() }) };
});
