"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { getDb } from "@/lib/db/client";
import { authedAction } from "@/lib/http/action";
import { zRecordId } from "@/lib/http/record-id";
import { addAppealNote, billDenialToPatient, writeOffDenial, ZAppealNoteInput, ZWriteOffDenialInput } from "@/lib/remittances/denials";
import { findClaimIdByNumber, matchClaimPaymentByHand, postHeldClaimPayment, ZClaimNumberInput } from "@/lib/remittances/unmatched";

/** The pages a denial or a hand-posted payment changes: the queues, the claim, the work list. */
function refreshQueues(claimId: string) {
  revalidatePath("/app/claims/denials");
  revalidatePath("/app/claims/unmatched");
  revalidatePath("/app/claims/remittances");
  revalidatePath(`/app/claims/${claimId}`);
  revalidatePath("/app/claims");
}

const ZClaimIdInput = z.object({ claimId: zRecordId("Unknown claim.") });

/** Billing staff and admins: writes off what the payer denied and is still open, and closes the claim. */
export const writeOffDenialAction = authedAction(
  { name: "claim.write_off_denial", role: "billing", schema: ZWriteOffDenialInput.extend(ZClaimIdInput.shape) },
  async ({ claimId, reason }, auth) => {
    const result = await writeOffDenial(await getDb(), { organizationId: auth.organization.id, actor: auth.actor, claimId, reason });
    refreshQueues(claimId);
    return { message: result.message };
  },
);

/** Billing staff and admins: an appeal note in the claim's history. */
export const addAppealNoteAction = authedAction(
  { name: "claim.appeal_note", role: "billing", schema: ZAppealNoteInput.extend(ZClaimIdInput.shape) },
  async ({ claimId, note }, auth) => {
    await addAppealNote(await getDb(), { organizationId: auth.organization.id, actor: auth.actor, claimId, note });
    refreshQueues(claimId);
    return { claimId };
  },
);

/** Billing staff and admins: bills the patient for what the payer denied under a group other than CO. */
export const billDenialToPatientAction = authedAction({ name: "claim.bill_denial", role: "billing", schema: ZClaimIdInput }, async ({ claimId }, auth) => {
  const result = await billDenialToPatient(await getDb(), { organizationId: auth.organization.id, actor: auth.actor, claimId });
  refreshQueues(claimId);
  for (const invoiceId of result.invoiceIds) revalidatePath(`/app/invoices/${invoiceId}`);
  revalidatePath("/app/invoices");
  return { message: result.message, invoiceIds: result.invoiceIds };
});

const ZMatchActionInput = ZClaimNumberInput.extend({
  remittanceClaimId: zRecordId("Unknown claim payment."),
  /** Staff confirm a payment whose patient name is not the claim's is for this claim. */
  confirmNameMismatch: z.boolean().optional(),
});

/** Billing staff and admins: matches an unmatched claim payment to the claim with that number, then posts it. */
export const matchClaimPaymentAction = authedAction(
  { name: "remittance.match_by_hand", role: "billing", schema: ZMatchActionInput },
  async ({ remittanceClaimId, claimNumber, confirmNameMismatch }, auth) => {
    const db = await getDb();
    const organizationId = auth.organization.id;
    const claimId = await findClaimIdByNumber(db, { organizationId, claimNumber });
    const result = await matchClaimPaymentByHand(db, { organizationId, actor: auth.actor, remittanceClaimId, claimId, confirmNameMismatch });
    refreshQueues(claimId);
    return result;
  },
);

/** Billing staff and admins: posts a held claim payment again once what held it is fixed. */
export const postHeldClaimPaymentAction = authedAction(
  { name: "remittance.post_again", role: "billing", schema: z.object({ remittanceClaimId: zRecordId("Unknown claim payment.") }) },
  async ({ remittanceClaimId }, auth) => {
    const result = await postHeldClaimPayment(await getDb(), { organizationId: auth.organization.id, actor: auth.actor, remittanceClaimId });
    refreshQueues(result.claimId);
    return result;
  },
);
