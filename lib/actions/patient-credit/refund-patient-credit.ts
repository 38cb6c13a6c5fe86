"use server";

import { getDb } from "@/lib/db/client";
import { authedAction } from "@/lib/http/action";
import { zRecordId } from "@/lib/http/record-id";
import { refundPatientCredit, ZRefundPatientCreditInput } from "@/lib/patient-credit/refund-patient-credit";
import { refreshStaffPages } from "../refresh-staff-pages";

const ZRefundPatientCreditActionInput = ZRefundPatientCreditInput.extend({ patientId: zRecordId("Unknown patient.") });

/** "Refund credit" on the patient's page: unused credit back to the card, or handed back at the desk. */
export const refundPatientCreditAction = authedAction(
  { name: "patient_credit.refund", role: "billing", schema: ZRefundPatientCreditActionInput },
  async ({ patientId, ...input }, auth) => {
    const result = await refundPatientCredit(await getDb(), { organizationId: auth.organization.id, patientId, actor: auth.actor, input });
    refreshStaffPages();
    return result;
  },
);
