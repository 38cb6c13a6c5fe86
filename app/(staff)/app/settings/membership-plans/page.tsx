import type { Metadata } from "next";
import { requirePageAuth } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { listMembershipPlans } from "@/lib/memberships/membership-plans";
import {
  archiveMembershipPlanAction,
  createMembershipPlanAction,
  unarchiveMembershipPlanAction,
  updateMembershipPlanAction,
} from "@/lib/actions/memberships/membership-plan-actions";
import { MembershipPlansSettings } from "@/components/memberships/membership-plans-settings";

export const metadata: Metadata = { title: "Membership plans" };

export default async function MembershipPlansSettingsPage() {
  const auth = await requirePageAuth("admin");
  const plans = await listMembershipPlans(await getDb(), { organizationId: auth.organization.id, includeArchived: true });
  return (
    <MembershipPlansSettings
      plans={plans}
      currency={auth.organization.currency}
      canEdit
      actions={{
        create: createMembershipPlanAction,
        update: updateMembershipPlanAction,
        archive: archiveMembershipPlanAction,
        unarchive: unarchiveMembershipPlanAction,
      }}
    />
  );
}
