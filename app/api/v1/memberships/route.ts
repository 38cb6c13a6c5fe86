import { apiRoute, parseQuery, readJsonBody } from "@/lib/http/api-route";
import { ZListMembershipsQuery } from "@/lib/api/api.schemas";
import { enrollMembership, ZEnrollMembershipInput } from "@/lib/memberships/enroll-membership";
import { listMemberships } from "@/lib/memberships/get-membership";

export const dynamic = "force-dynamic";

export const GET = apiRoute("/api/v1/memberships", async (request, { db, principal }) => {
  const query = parseQuery(request, ZListMembershipsQuery);
  return { status: 200, body: await listMemberships(db, { organizationId: principal.organizationId, ...query }) };
});

export const POST = apiRoute("/api/v1/memberships", async (request, { db, principal, actor }) => {
  const input = await readJsonBody(request, ZEnrollMembershipInput);
  return { status: 201, body: await enrollMembership(db, { organizationId: principal.organizationId, actor, input, now: new Date() }) };
});
