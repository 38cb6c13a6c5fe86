"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { getDb } from "@/lib/db/client";
import { ZRecordDisputeEvidenceInput, ZResolveLostDisputeInput } from "@/lib/disputes/disputes.types";
import { recordDisputeEvidence } from "@/lib/disputes/record-dispute-evidence";
import { resolveLostDispute } from "@/lib/disputes/resolve-lost-dispute";
import { authedAction } from "@/lib/http/action";

const ZDisputeId = z.object({ disputeId: z.string().uuid() });

function revalidate() {
  revalidatePath("/app", "layout");
}

export const recordDisputeEvidenceAction = authedAction(
  { name: "dispute.record_evidence", role: "billing", schema: ZRecordDisputeEvidenceInput.extend(ZDisputeId.shape) },
  async ({ disputeId, ...input }, auth) => {
    await recordDisputeEvidence(await getDb(), { organizationId: auth.organization.id, disputeId, actor: auth.actor, input });
    revalidate();
  },
);

export const resolveLostDisputeAction = authedAction(
  { name: "dispute.resolve", role: "billing", schema: ZResolveLostDisputeInput.extend(ZDisputeId.shape) },
  async ({ disputeId, resolution }, auth) => {
    const result = await resolveLostDispute(await getDb(), { organizationId: auth.organization.id, disputeId, actor: auth.actor, input: { resolution } });
    revalidate();
    return result;
  },
);
