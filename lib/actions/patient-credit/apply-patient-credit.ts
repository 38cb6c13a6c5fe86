"use server";

import { getDb } from "@/lib/db/client";
import { authedAction } from "@/lib/http/action";
import { zRecordId } from "@/lib/http/record-id";
import { applyPatientCredit } from "@/lib/patient-credit/apply-patient-credit";
import { ZApplyPatientCreditInput } from "@/lib/patient-credit/patient-credit.types";
import { refreshStaffPages } from "../refresh-staff-pages";

const ZApplyPatientCreditActionInput = ZApplyPatientCreditInput.extend({ invoiceId: zRecordId("Unknown invoice.") });

export const applyPatientCreditAction = authedAction(
  { name: "patient_credit.apply", role: "billing", schema: ZApplyPatientCreditActionInput },
  async ({ invoiceId, amount }, auth) => {
    const result = await applyPatientCredit(await getDb(), { organizationId: auth.organization.id, invoiceId, actor: auth.actor, input: { amount } });
    refreshStaffPages();
    return { applied: result.application.amount, status: result.invoice.status, creditRemaining: result.creditRemaining };
  },
);
