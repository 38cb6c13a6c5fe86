"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { getDb } from "@/lib/db/client";
import { authedAction } from "@/lib/http/action";
import { zRecordId } from "@/lib/http/record-id";
import {
  cancelMembership,
  changeMembershipCard,
  pauseMembership,
  resumeMembership,
  undoCancelAtPeriodEnd,
  ZCancelMembershipInput,
  ZChangeMembershipCardInput,
} from "@/lib/memberships/manage-membership";

const ZMembershipIdInput = z.object({ membershipId: zRecordId() });

function refreshMembershipPages(membership: { id: string; patientId: string }) {
  revalidatePath(`/app/memberships/${membership.id}`);
  revalidatePath(`/app/patients/${membership.patientId}`);
  revalidatePath("/app/memberships");
}

const STATE_CHANGES = { pause: pauseMembership, resume: resumeMembership, undo_cancel: undoCancelAtPeriodEnd } as const;

function stateAction(change: keyof typeof STATE_CHANGES) {
  return authedAction({ name: `membership.${change}`, role: "billing", schema: ZMembershipIdInput }, async ({ membershipId }, auth) => {
    const membership = await STATE_CHANGES[change](await getDb(), { organizationId: auth.organization.id, membershipId, actor: auth.actor, now: new Date() });
    refreshMembershipPages(membership);
    return { membershipId };
  });
}

export const pauseMembershipAction = stateAction("pause");
export const resumeMembershipAction = stateAction("resume");
/** Staff change their mind before the period ends: the membership renews again. */
export const undoCancelAtPeriodEndAction = stateAction("undo_cancel");

// Flat (not { id, input }) so field errors name the dialog's fields ("refundAmount").
const ZCancelMembershipActionInput = ZCancelMembershipInput.extend({ membershipId: zRecordId() });

/** At the period's end (nothing more invoiced) or now (an optional refund of the unused part, decided by staff). */
export const cancelMembershipAction = authedAction(
  { name: "membership.cancel", role: "billing", schema: ZCancelMembershipActionInput },
  async ({ membershipId, ...input }, auth) => {
    const membership = await cancelMembership(await getDb(), { organizationId: auth.organization.id, membershipId, input, actor: auth.actor, now: new Date() });
    refreshMembershipPages(membership);
    return { membershipId, status: membership.status, currentPeriodEnd: membership.currentPeriodEnd };
  },
);

const ZChangeMembershipCardActionInput = ZChangeMembershipCardInput.extend({ membershipId: zRecordId() });

export const changeMembershipCardAction = authedAction(
  { name: "membership.change_card", role: "billing", schema: ZChangeMembershipCardActionInput },
  async ({ membershipId, ...input }, auth) => {
    const membership = await changeMembershipCard(await getDb(), { organizationId: auth.organization.id, membershipId, input, actor: auth.actor });
    refreshMembershipPages(membership);
    return { membershipId };
  },
);
