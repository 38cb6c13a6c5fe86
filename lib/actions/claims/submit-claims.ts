"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { authedAction } from "@/lib/http/action";
import { zRecordId } from "@/lib/http/record-id";
import { createClaimBatch } from "@/lib/claims/submit-claims";
import { getClearinghouseSettings } from "@/lib/clearinghouse/settings";

const ZSubmitClaimsActionInput = z.object({
  claimIds: z.array(zRecordId("Unknown claim.")).min(1, "Select at least one ready claim.").max(500, "Submit at most 500 claims at once."),
});

/**
 * Writes the selected ready claims as one 837P batch. The way out is the clinic's clearinghouse
 * setting, never the browser's: SFTP queues the file for the send job; otherwise it is downloaded.
 */
export const submitClaimsAction = authedAction({ name: "claim.submit", role: "billing", schema: ZSubmitClaimsActionInput }, async ({ claimIds }, auth) => {
  const db = await getDb();
  const settings = await getClearinghouseSettings(db, { organizationId: auth.organization.id });
  if (!settings) {
    throw new AppError("VALIDATION_FAILED", "Set up the clearinghouse first (Settings → Clearinghouse): the 837 file carries its submitter and receiver ids.", {
      fields: { claimIds: ["Set up the clearinghouse first (Settings → Clearinghouse)."] },
    });
  }
  const channel = settings.connection === "sftp" ? "sftp" : "download";
  const batch = await createClaimBatch(db, { organizationId: auth.organization.id, actor: auth.actor, claimIds, channel });
  for (const claimId of claimIds) revalidatePath(`/app/claims/${claimId}`);
  revalidatePath("/app/claims");
  return { batchId: batch.id, fileName: batch.fileName, channel: batch.channel, claimCount: batch.claimCount };
});
