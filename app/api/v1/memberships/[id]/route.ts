import { apiRoute } from "@/lib/http/api-route";
import { recordIdFromPath } from "@/lib/http/record-id";
import { getMembershipOrThrow } from "@/lib/memberships/get-membership";

export const dynamic = "force-dynamic";

export const GET = apiRoute<{ id: string }>("/api/v1/memberships/{id}", async (_request, { db, principal, params }) => ({
  status: 200,
  body: await getMembershipOrThrow(db, {
    organizationId: principal.organizationId,
    membershipId: recordIdFromPath(params.id, "That membership does not exist."),
  }),
}));
