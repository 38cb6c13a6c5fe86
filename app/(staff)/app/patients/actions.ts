"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { getDb } from "@/lib/db/client";
import { authedAction } from "@/lib/http/action";
import { createPatient } from "@/lib/patients/create-patient";
import { ZCreatePatientInput, ZUpdatePatientInput } from "@/lib/patients/patients.types";
import { setPatientArchived } from "@/lib/patients/set-patient-archived";
import { updatePatient } from "@/lib/patients/update-patient";

const ZPatientId = z.object({ patientId: z.string().uuid("Unknown patient.") });

export const createPatientAction = authedAction({ name: "patient.create", role: "billing", schema: ZCreatePatientInput }, async (input, auth) => {
  const patient = await createPatient(await getDb(), { organizationId: auth.organization.id, actor: auth.actor, input });
  revalidatePath("/app/patients");
  return { id: patient.id };
});

export const updatePatientAction = authedAction(
  { name: "patient.update", role: "billing", schema: ZUpdatePatientInput.extend(ZPatientId.shape) },
  async ({ patientId, ...input }, auth) => {
    await updatePatient(await getDb(), { organizationId: auth.organization.id, patientId, actor: auth.actor, input });
    revalidatePath("/app", "layout");
    return { id: patientId };
  },
);

export const setPatientArchivedAction = authedAction(
  { name: "patient.set_archived", role: "billing", schema: ZPatientId.extend({ archived: z.boolean() }) },
  async ({ patientId, archived }, auth) => {
    await setPatientArchived(await getDb(), { organizationId: auth.organization.id, patientId, archived, actor: auth.actor });
    revalidatePath("/app", "layout");
  },
);
