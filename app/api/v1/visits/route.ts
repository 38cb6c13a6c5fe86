import { apiRoute, readJsonBody } from "@/lib/http/api-route";
import { ZRecordVisitBody } from "@/lib/api/claims-api.schemas";
import { recordVisit } from "@/lib/claims/visits";

export const dynamic = "force-dynamic";

export const POST = apiRoute("/api/v1/visits", async (request, { db, principal, actor }) => {
  const { patientId, ...input } = await readJsonBody(request, ZRecordVisitBody);
  return { status: 201, body: await recordVisit(db, { organizationId: principal.organizationId, actor, patientId, input }) };
});
