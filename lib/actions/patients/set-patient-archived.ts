"use server";

import { z } from "zod";
import { getDb } from "@/lib/db/client";
import { authedAction } from "@/lib/http/action";
import { zRecordId } from "@/lib/http/record-id";
import { setPatientArchived } from "@/lib/patients/set-patient-archived";
import { refreshStaffPages } from "../refresh-staff-pages";

const ZSetPatientArchivedInput = z.object({ patientId: zRecordId("Unknown patient."), archived: z.boolean() });

export const setPatientArchivedAction = authedAction(
  { name: "patient.set_archived", role: "billing", schema: ZSetPatientArchivedInput },
  async ({ patientId, archived }, auth) => {
    await setPatientArchived(await getDb(), { organizationId: auth.organization.id, patientId, archived, actor: auth.actor });
    refreshStaffPages();
  },
);
