"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { getDb } from "@/lib/db/client";
import { authedAction } from "@/lib/http/action";
import { zRecordId } from "@/lib/http/record-id";
import { archivePayer, createPayer, updatePayer, ZPayerInput } from "@/lib/insurance/payers";

function refreshPayerPages() {
  revalidatePath("/app/settings/payers");
}

/** Admins only: an insurer with its clearinghouse payer id (unique in the clinic) and plan type. */
export const createPayerAction = authedAction({ name: "payer.create", role: "admin", schema: ZPayerInput }, async (input, auth) => {
  const payer = await createPayer(await getDb(), { organizationId: auth.organization.id, actor: auth.actor, input });
  refreshPayerPages();
  return { id: payer.id };
});

// `payerId` is the clearinghouse's id in the input, so the record is named `id` here.
const ZUpdatePayerActionInput = ZPayerInput.extend({ id: zRecordId("Unknown payer.") });

export const updatePayerAction = authedAction({ name: "payer.update", role: "admin", schema: ZUpdatePayerActionInput }, async ({ id, ...input }, auth) => {
  const payer = await updatePayer(await getDb(), { organizationId: auth.organization.id, actor: auth.actor, payerId: id, input });
  refreshPayerPages();
  return { id: payer.id };
});

/** Archived payers stay on their coverages; new coverages cannot name them. */
export const archivePayerAction = authedAction(
  { name: "payer.archive", role: "admin", schema: z.object({ id: zRecordId("Unknown payer.") }) },
  async ({ id }, auth) => {
    await archivePayer(await getDb(), { organizationId: auth.organization.id, actor: auth.actor, payerId: id });
    refreshPayerPages();
    return { id };
  },
);
