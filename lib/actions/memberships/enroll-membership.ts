"use server";

import { revalidatePath } from "next/cache";
import { getDb } from "@/lib/db/client";
import { authedAction } from "@/lib/http/action";
import { enrollMembership, ZEnrollMembershipInput } from "@/lib/memberships/enroll-membership";

/** Enrolls a patient; a membership starting today is invoiced and charged at once. */
export const enrollMembershipAction = authedAction({ name: "membership.enroll", role: "billing", schema: ZEnrollMembershipInput }, async (input, auth) => {
  const membership = await enrollMembership(await getDb(), { organizationId: auth.organization.id, input, actor: auth.actor, now: new Date() });
  revalidatePath(`/app/patients/${membership.patientId}`);
  revalidatePath("/app/memberships");
  return { id: membership.id, status: membership.status };
});
