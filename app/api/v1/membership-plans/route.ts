import { apiRoute, parseQuery, readJsonBody } from "@/lib/http/api-route";
import { ZListMembershipPlansQuery } from "@/lib/api/api.schemas";
import { createMembershipPlan, listMembershipPlans, ZMembershipPlanInput } from "@/lib/memberships/membership-plans";

export const dynamic = "force-dynamic";

export const GET = apiRoute("/api/v1/membership-plans", async (request, { db, principal }) => {
  const query = parseQuery(request, ZListMembershipPlansQuery);
  return { status: 200, body: { data: await listMembershipPlans(db, { organizationId: principal.organizationId, includeArchived: query.includeArchived }) } };
});

export const POST = apiRoute("/api/v1/membership-plans", async (request, { db, principal, actor }) => {
  const input = await readJsonBody(request, ZMembershipPlanInput);
  return { status: 201, body: await createMembershipPlan(db, { organizationId: principal.organizationId, actor, input }) };
});
