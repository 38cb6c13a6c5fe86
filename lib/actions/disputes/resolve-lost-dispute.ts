"use server";

import { getDb } from "@/lib/db/client";
import { ZResolveLostDisputeInput } from "@/lib/disputes/disputes.types";
import { resolveLostDispute } from "@/lib/disputes/resolve-lost-dispute";
import { authedAction } from "@/lib/http/action";
import { zRecordId } from "@/lib/http/record-id";
import { refreshStaffPages } from "../refresh-staff-pages";

const ZResolveLostDisputeActionInput = ZResolveLostDisputeInput.extend({ disputeId: zRecordId() });

export const resolveLostDisputeAction = authedAction(
  { name: "dispute.resolve", role: "billing", schema: ZResolveLostDisputeActionInput },
  async ({ disputeId, resolution }, auth) => {
    const result = await resolveLostDispute(await getDb(), { organizationId: auth.organization.id, disputeId, actor: auth.actor, input: { resolution } });
    refreshStaffPages();
    return result;
  },
);
