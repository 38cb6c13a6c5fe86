import { apiRoute, parseQuery, readJsonBody } from "@/lib/http/api-route";
import { recordIdFromPath } from "@/lib/http/record-id";
import { createCoverage, listPatientCoverages, ZCoverageInput } from "@/lib/insurance/coverages";
import { ZListCoveragesQuery } from "@/lib/insurance/insurance-api.schemas";

export const dynamic = "force-dynamic";

type Params = { id: string };

const patientId = (params: Params) => recordIdFromPath(params.id, "That patient does not exist.");

export const GET = apiRoute<Params>("/api/v1/patients/{id}/coverages", async (request, { db, principal, params }) => {
  const query = parseQuery(request, ZListCoveragesQuery);
  const data = await listPatientCoverages(db, {
    organizationId: principal.organizationId,
    patientId: patientId(params),
    includeArchived: query.includeArchived,
  });
  return { status: 200, body: { data } };
});

export const POST = apiRoute<Params>("/api/v1/patients/{id}/coverages", async (request, { db, principal, actor, params }) => {
  const id = patientId(params);
  const input = await readJsonBody(request, ZCoverageInput);
  return { status: 201, body: await createCoverage(db, { organizationId: principal.organizationId, actor, patientId: id, input }) };
});
