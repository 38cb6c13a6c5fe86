"use server";

import { getDb } from "@/lib/db/client";
import { authedAction } from "@/lib/http/action";
import { zRecordId } from "@/lib/http/record-id";
import { ZUpdatePatientInput } from "@/lib/patients/patients.types";
import { updatePatient } from "@/lib/patients/update-patient";
import { refreshStaffPages } from "../refresh-staff-pages";

const ZUpdatePatientActionInput = ZUpdatePatientInput.safeExtend({ patientId: zRecordId("Unknown patient.") });

export const updatePatientAction = authedAction(
  { name: "patient.update", role: "billing", schema: ZUpdatePatientActionInput },
  async ({ patientId, ...input }, auth) => {
    await updatePatient(await getDb(), { organizationId: auth.organization.id, patientId, actor: auth.actor, input });
    refreshStaffPages();
    return { id: patientId };
  },
);
