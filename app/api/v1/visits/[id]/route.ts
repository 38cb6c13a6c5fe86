import { apiRoute, readJsonBody } from "@/lib/http/api-route";
import { recordIdFromPath } from "@/lib/http/record-id";
import { getVisitOrThrow, updateVisit, ZVisitInput } from "@/lib/claims/visits";

export const dynamic = "force-dynamic";

const NOT_FOUND = "That visit does not exist.";

export const GET = apiRoute<{ id: string }>("/api/v1/visits/{id}", async (_request, { db, principal, params }) => ({
  status: 200,
  body: await getVisitOrThrow(db, { organizationId: principal.organizationId, visitId: recordIdFromPath(params.id, NOT_FOUND) }),
}));

export const PATCH = apiRoute<{ id: string }>("/api/v1/visits/{id}", async (request, { db, principal, actor, params }) => {
  const visitId = recordIdFromPath(params.id, NOT_FOUND);
  const input = await readJsonBody(request, ZVisitInput);
  return { status: 200, body: await updateVisit(db, { organizationId: principal.organizationId, actor, visitId, input }) };
});
