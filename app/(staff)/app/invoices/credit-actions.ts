"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { getDb } from "@/lib/db/client";
import { authedAction } from "@/lib/http/action";
import { reopenWrittenOffInvoice } from "@/lib/invoices/reopen-written-off-invoice";
import { ZReasonInput } from "@/lib/invoices/void-invoice";
import { applyPatientCredit } from "@/lib/patient-credit/apply-patient-credit";
import { ZApplyPatientCreditInput } from "@/lib/patient-credit/patient-credit.types";

const ZInvoiceId = z.object({ invoiceId: z.string().uuid("Unknown invoice.") });

/** Credit and write-off changes move balances on invoice, patient and list pages alike. */
function refreshStaffPages() {
  revalidatePath("/app", "layout");
}

export const applyPatientCreditAction = authedAction(
  { name: "patient_credit.apply", role: "billing", schema: ZApplyPatientCreditInput.extend(ZInvoiceId.shape) },
  async ({ invoiceId, amount }, auth) => {
    const result = await applyPatientCredit(await getDb(), { organizationId: auth.organization.id, invoiceId, actor: auth.actor, input: { amount } });
    refreshStaffPages();
    return { applied: result.application.amount, status: result.invoice.status, creditRemaining: result.creditRemaining };
  },
);

export const reopenWrittenOffInvoiceAction = authedAction(
  { name: "invoice.reopen_write_off", role: "billing", schema: ZReasonInput.extend(ZInvoiceId.shape) },
  async ({ invoiceId, reason }, auth) => {
    await reopenWrittenOffInvoice(await getDb(), { organizationId: auth.organization.id, invoiceId, actor: auth.actor, input: { reason } });
    refreshStaffPages();
  },
);
