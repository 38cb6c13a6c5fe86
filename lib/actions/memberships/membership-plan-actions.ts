"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { getDb } from "@/lib/db/client";
import { authedAction } from "@/lib/http/action";
import { zRecordId } from "@/lib/http/record-id";
import {
  archiveMembershipPlan,
  createMembershipPlan,
  unarchiveMembershipPlan,
  updateMembershipPlan,
  ZMembershipPlanInput,
} from "@/lib/memberships/membership-plans";

function refreshPlanPages() {
  revalidatePath("/app/settings/membership-plans");
  revalidatePath("/app/memberships");
}

/** Admins define the clinic's membership plans (name, price per period, monthly or yearly). */
export const createMembershipPlanAction = authedAction({ name: "membership_plan.create", role: "admin", schema: ZMembershipPlanInput }, async (input, auth) => {
  const plan = await createMembershipPlan(await getDb(), { organizationId: auth.organization.id, input, actor: auth.actor });
  refreshPlanPages();
  return { id: plan.id };
});

// Flat (not { id, input }) so field errors name the form's fields ("name", "amount").
const ZUpdateMembershipPlanActionInput = ZMembershipPlanInput.extend({ membershipPlanId: zRecordId() });

/** A new price applies to periods invoiced after the change; periods already invoiced keep theirs. */
export const updateMembershipPlanAction = authedAction(
  { name: "membership_plan.update", role: "admin", schema: ZUpdateMembershipPlanActionInput },
  async ({ membershipPlanId, ...input }, auth) => {
    const plan = await updateMembershipPlan(await getDb(), { organizationId: auth.organization.id, membershipPlanId, input, actor: auth.actor });
    refreshPlanPages();
    return { id: plan.id };
  },
);

const ZPlanIdInput = z.object({ membershipPlanId: zRecordId() });

/** Archived plans take no new members; existing memberships go on. */
export const archiveMembershipPlanAction = authedAction(
  { name: "membership_plan.archive", role: "admin", schema: ZPlanIdInput },
  async ({ membershipPlanId }, auth) => {
    await archiveMembershipPlan(await getDb(), { organizationId: auth.organization.id, membershipPlanId, actor: auth.actor });
    refreshPlanPages();
    return { id: membershipPlanId };
  },
);

export const unarchiveMembershipPlanAction = authedAction(
  { name: "membership_plan.unarchive", role: "admin", schema: ZPlanIdInput },
  async ({ membershipPlanId }, auth) => {
    await unarchiveMembershipPlan(await getDb(), { organizationId: auth.organization.id, membershipPlanId, actor: auth.actor });
    refreshPlanPages();
    return { id: membershipPlanId };
  },
);
