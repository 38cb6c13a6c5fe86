import { apiRoute } from "@/lib/http/api-route";
import { recordIdFromPath } from "@/lib/http/record-id";
import { archiveMembershipPlan } from "@/lib/memberships/membership-plans";

export const dynamic = "force-dynamic";

export const POST = apiRoute<{ id: string }>("/api/v1/membership-plans/{id}/archive", async (_request, { db, principal, actor, params }) => ({
  status: 200,
  body: await archiveMembershipPlan(db, {
    organizationId: principal.organizationId,
    membershipPlanId: recordIdFromPath(params.id, "That membership plan does not exist."),
    actor,
  }),
}));
