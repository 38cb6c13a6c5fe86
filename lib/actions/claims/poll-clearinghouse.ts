"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { getDb } from "@/lib/db/client";
import { authedAction } from "@/lib/http/action";
import { pollClearinghouse } from "@/lib/clearinghouse/poll-clearinghouse";

/**
 * "Check now" on the claims page for an SFTP connection: the scheduled job's exchange run at once
 * (waiting batches sent, answers fetched and imported), instead of waiting for the next run.
 */
export const pollClearinghouseAction = authedAction({ name: "clearinghouse.poll", role: "billing", schema: z.object({}) }, async (_input, auth) => {
  const result = await pollClearinghouse(await getDb(), { organizationId: auth.organization.id });
  revalidatePath("/app", "layout");
  return {
    sent: result.sent.length,
    sentEligibilityRequests: result.sentEligibilityRequests.length,
    imported: result.imported.map((file) => ({
      fileName: file.fileName,
      kind: file.kind,
      summary: file.summary,
      postingInBackground: file.postingInBackground,
    })),
    errors: result.errors,
  };
});
