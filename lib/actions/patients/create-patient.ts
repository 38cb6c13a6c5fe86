"use server";

import { revalidatePath } from "next/cache";
import { getDb } from "@/lib/db/client";
import { authedAction } from "@/lib/http/action";
import { createPatient } from "@/lib/patients/create-patient";
import { ZCreatePatientInput } from "@/lib/patients/patients.types";

export const createPatientAction = authedAction({ name: "patient.create", role: "billing", schema: ZCreatePatientInput }, async (input, auth) => {
  const patient = await createPatient(await getDb(), { organizationId: auth.organization.id, actor: auth.actor, input });
  revalidatePath("/app/patients");
  return { id: patient.id };
});
