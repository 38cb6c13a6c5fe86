import { apiRoute, parseQuery, readJsonBody } from "@/lib/http/api-route";
import { ZListPatientsQuery } from "@/lib/api/api.schemas";
import { createPatient } from "@/lib/patients/create-patient";
import { listPatients } from "@/lib/patients/list-patients";
import { ZCreatePatientInput } from "@/lib/patients/patients.types";

export const dynamic = "force-dynamic";

export const GET = apiRoute("/api/v1/patients", async (request, { db, principal }) => {
  const query = parseQuery(request, ZListPatientsQuery);
  const page = await listPatients(db, {
    organizationId: principal.organizationId,
    input: { query: query.q, includeArchived: query.includeArchived ?? false, cursor: query.cursor, limit: query.limit },
  });
  return { status: 200, body: page };
});

export const POST = apiRoute("/api/v1/patients", async (request, { db, principal, actor }) => {
  const input = await readJsonBody(request, ZCreatePatientInput);
  return { status: 201, body: await createPatient(db, { organizationId: principal.organizationId, actor, input }) };
});
