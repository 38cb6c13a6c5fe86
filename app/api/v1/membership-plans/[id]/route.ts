import { apiRoute, readJsonBody } from "@/lib/http/api-route";
import { ZPatchMembershipPlanBody } from "@/lib/api/api.schemas";
import { recordIdFromPath } from "@/lib/http/record-id";
import { getMembershipPlanOrThrow, updateMembershipPlan } from "@/lib/memberships/membership-plans";

export const dynamic = "force-dynamic";

type Params = { id: string };

const planId = (params: Params) => recordIdFromPath(params.id, "That membership plan does not exist.");

export const GET = apiRoute<Params>("/api/v1/membership-plans/{id}", async (_request, { db, principal, params }) => ({
  status: 200,
  body: await getMembershipPlanOrThrow(db, { organizationId: principal.organizationId, membershipPlanId: planId(params) }),
}));

/** The fields sent replace the plan's; a price change applies to periods invoiced after it. */
export const PATCH = apiRoute<Params>("/api/v1/membership-plans/{id}", async (request, { db, principal, actor, params }) => {
  const membershipPlanId = planId(params);
  const changes = await readJsonBody(request, ZPatchMembershipPlanBody);
  const current = await getMembershipPlanOrThrow(db, { organizationId: principal.organizationId, membershipPlanId });
  const input = {
    name: changes.name ?? current.name,
    description: changes.description ?? current.description ?? undefined,
    amount: changes.amount ?? current.amount,
    interval: changes.interval ?? current.interval,
  };
  return { status: 200, body: await updateMembershipPlan(db, { organizationId: principal.organizationId, membershipPlanId, actor, input }) };
});
