"use server";

import { revalidatePath } from "next/cache";
import { getDb } from "@/lib/db/client";
import { requestEmailDelivery } from "@/lib/email/request-email-delivery";
import { authedAction } from "@/lib/http/action";
import { inviteMember } from "@/lib/organizations/invite-member";
import { ZInviteMemberInput } from "@/lib/organizations/members.types";

/** The same answer whether or not the email already has a Carebill account: nothing about it is revealed. */
export const inviteMemberAction = authedAction({ name: "member.invite", role: "admin", schema: ZInviteMemberInput }, async (input, auth) => {
  await inviteMember(await getDb(), { organizationId: auth.organization.id, actor: auth.actor, input });
  await requestEmailDelivery();
  revalidatePath("/app/settings/users");
});
