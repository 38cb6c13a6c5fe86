"use server";

import { z } from "zod";
import { getDb } from "@/lib/db/client";
import { authedAction } from "@/lib/http/action";
import { zRecordId } from "@/lib/http/record-id";
import { unapplyPatientCredit } from "@/lib/patient-credit/unapply-patient-credit";
import { refreshStaffPages } from "../refresh-staff-pages";

const ZUnapplyPatientCreditActionInput = z.object({ creditApplicationId: zRecordId("Unknown credit application.") });

export const unapplyPatientCreditAction = authedAction(
  { name: "patient_credit.unapply", role: "billing", schema: ZUnapplyPatientCreditActionInput },
  async ({ creditApplicationId }, auth) => {
    const result = await unapplyPatientCredit(await getDb(), { organizationId: auth.organization.id, creditApplicationId, actor: auth.actor });
    refreshStaffPages();
    return { unapplied: result.unapplied, status: result.invoice.status, creditBalance: result.creditBalance };
  },
);
