"use server";

import { revalidatePath } from "next/cache";
import { createApiKey, ZCreateApiKeyInput } from "@/lib/api-keys/create-api-key";
import { revokeApiKey, ZRevokeApiKeyInput } from "@/lib/api-keys/revoke-api-key";
import { getDb } from "@/lib/db/client";
import { authedAction } from "@/lib/http/action";
import { changeMemberRole } from "@/lib/organizations/change-member-role";
import { requestEmailDelivery } from "@/lib/email/request-email-delivery";
import { inviteMember } from "@/lib/organizations/invite-member";
import { ZChangeMemberRoleInput, ZInviteMemberInput, ZSetMemberActiveInput } from "@/lib/organizations/members.types";
import { setMemberActive } from "@/lib/organizations/set-member-active";
import { updateOrganization, ZUpdateOrganizationInput } from "@/lib/organizations/update-organization";

export const updateOrganizationAction = authedAction(
  { name: "organization.update", role: "admin", schema: ZUpdateOrganizationInput },
  async (input, auth) => {
    await updateOrganization(await getDb(), { organizationId: auth.organization.id, actor: auth.actor, input });
    revalidatePath("/app", "layout");
  },
);

/** The same answer whether or not the email already has a Carebill account: nothing about it is revealed. */
export const inviteMemberAction = authedAction({ name: "member.invite", role: "admin", schema: ZInviteMemberInput }, async (input, auth) => {
  await inviteMember(await getDb(), { organizationId: auth.organization.id, actor: auth.actor, input });
  await requestEmailDelivery();
  revalidatePath("/app/settings/users");
});

export const changeMemberRoleAction = authedAction(
  { name: "member.change_role", role: "admin", schema: ZChangeMemberRoleInput },
  async (input, auth) => {
    await changeMemberRole(await getDb(), { organizationId: auth.organization.id, actor: auth.actor, input });
    revalidatePath("/app/settings/users");
  },
);

export const setMemberActiveAction = authedAction(
  { name: "member.set_active", role: "admin", schema: ZSetMemberActiveInput },
  async (input, auth) => {
    await setMemberActive(await getDb(), { organizationId: auth.organization.id, actor: auth.actor, input });
    revalidatePath("/app/settings/users");
  },
);

export const createApiKeyAction = authedAction({ name: "api_key.create", role: "admin", schema: ZCreateApiKeyInput }, async (input, auth) => {
  const key = await createApiKey(await getDb(), { organizationId: auth.organization.id, actor: auth.actor, input });
  revalidatePath("/app/settings/api-keys");
  return key;
});

export const revokeApiKeyAction = authedAction({ name: "api_key.revoke", role: "admin", schema: ZRevokeApiKeyInput }, async (input, auth) => {
  await revokeApiKey(await getDb(), { organizationId: auth.organization.id, actor: auth.actor, input });
  revalidatePath("/app/settings/api-keys");
});
