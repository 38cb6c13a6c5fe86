import { apiRoute, readJsonBody } from "@/lib/http/api-route";
import { ZPatchPatientBody } from "@/lib/api/api.schemas";
import { recordIdFromPath } from "@/lib/http/record-id";
import { getPatientDetail } from "@/lib/patients/get-patient-detail";
import { setPatientArchived } from "@/lib/patients/set-patient-archived";
import type { PatientDetailView } from "@/lib/patients/patients.types";
import { updatePatient } from "@/lib/patients/update-patient";

export const dynamic = "force-dynamic";

type Params = { id: string };

function patientId(params: Params): string {
  return recordIdFromPath(params.id, "That patient does not exist.");
}

/** The patient with balance, credit and invoices. Every read is an audited PHI view. */
export const GET = apiRoute<Params>("/api/v1/patients/{id}", async (_request, { db, principal, actor, params }) => {
  const detail = await getPatientDetail(db, { organizationId: principal.organizationId, patientId: patientId(params), actor });
  const body: PatientDetailView = {
    ...detail.patient,
    balances: detail.balances,
    credit: detail.credit,
    invoiceIds: detail.invoices.map((invoice) => invoice.id),
  };
  return { status: 200, body };
});

export const PATCH = apiRoute<Params>("/api/v1/patients/{id}", async (request, { db, principal, actor, params }) => {
  const id = patientId(params);
  const { archived, ...fields } = await readJsonBody(request, ZPatchPatientBody);
  let patient = await updatePatient(db, { organizationId: principal.organizationId, patientId: id, actor, input: fields });
  if (archived !== undefined) patient = await setPatientArchived(db, { organizationId: principal.organizationId, patientId: id, archived, actor });
  return { status: 200, body: patient };
});
