"use server";

import { getDb } from "@/lib/db/client";
import { ZRecordDisputeEvidenceInput } from "@/lib/disputes/disputes.types";
import { recordDisputeEvidence } from "@/lib/disputes/record-dispute-evidence";
import { authedAction } from "@/lib/http/action";
import { zRecordId } from "@/lib/http/record-id";
import { refreshStaffPages } from "../refresh-staff-pages";

const ZRecordDisputeEvidenceActionInput = ZRecordDisputeEvidenceInput.extend({ disputeId: zRecordId() });

export const recordDisputeEvidenceAction = authedAction(
  { name: "dispute.record_evidence", role: "billing", schema: ZRecordDisputeEvidenceActionInput },
  async ({ disputeId, ...input }, auth) => {
    await recordDisputeEvidence(await getDb(), { organizationId: auth.organization.id, disputeId, actor: auth.actor, input });
    refreshStaffPages();
  },
);
