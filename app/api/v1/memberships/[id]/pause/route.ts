import { apiRoute } from "@/lib/http/api-route";
import { recordIdFromPath } from "@/lib/http/record-id";
import { pauseMembership } from "@/lib/memberships/manage-membership";

export const dynamic = "force-dynamic";

export const POST = apiRoute<{ id: string }>("/api/v1/memberships/{id}/pause", async (_request, { db, principal, actor, params }) => ({
  status: 200,
  body: await pauseMembership(db, {
    organizationId: principal.organizationId,
    membershipId: recordIdFromPath(params.id, "That membership does not exist."),
    actor,
    now: new Date(),
  }),
}));
