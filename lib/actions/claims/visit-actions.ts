"use server";

import { revalidatePath } from "next/cache";
import { getDb } from "@/lib/db/client";
import { authedAction } from "@/lib/http/action";
import { zRecordId } from "@/lib/http/record-id";
import { recordVisit, updateVisit, ZVisitInput } from "@/lib/claims/visits";

function refreshVisitPages(visit: { id: string; patient: { id: string } }) {
  revalidatePath(`/app/patients/${visit.patient.id}`);
  revalidatePath(`/app/visits/${visit.id}`);
  revalidatePath("/app/claims");
}

// Flat (not { id, input }) so field errors name the form's fields ("charges.0.procedureCode").
const ZRecordVisitActionInput = ZVisitInput.extend({ patientId: zRecordId("Unknown patient.") });

/** Records a visit's diagnoses and charges for a patient; a claim is made from it afterwards. */
export const recordVisitAction = authedAction(
  { name: "visit.record", role: "billing", schema: ZRecordVisitActionInput },
  async ({ patientId, ...input }, auth) => {
    const visit = await recordVisit(await getDb(), { organizationId: auth.organization.id, actor: auth.actor, patientId, input });
    refreshVisitPages(visit);
    return { id: visit.id };
  },
);

const ZUpdateVisitActionInput = ZVisitInput.extend({ visitId: zRecordId("Unknown visit.") });

/** Changes a visit while no claim beyond a draft uses it. */
export const updateVisitAction = authedAction(
  { name: "visit.update", role: "billing", schema: ZUpdateVisitActionInput },
  async ({ visitId, ...input }, auth) => {
    const visit = await updateVisit(await getDb(), { organizationId: auth.organization.id, actor: auth.actor, visitId, input });
    refreshVisitPages(visit);
    return { id: visit.id };
  },
);
