"use server";

import { revalidatePath } from "next/cache";
import { createApiKey, ZCreateApiKeyInput } from "@/lib/api-keys/create-api-key";
import { revokeApiKey, ZRevokeApiKeyInput } from "@/lib/api-keys/revoke-api-key";
import { getDb } from "@/lib/db/client";
import { authedAction } from "@/lib/http/action";
import { addMember } from "@/lib/organizations/add-member";
import { changeMemberRole } from "@/lib/organizations/change-member-role";
import { ZAddMemberInput, ZChangeMemberRoleInput, ZSetMemberActiveInput } from "@/lib/organizations/members.types";
import { setMemberActive } from "@/lib/organizations/set-member-active";
import { updateOrganization, ZUpdateOrganizationInput } from "@/lib/organizations/update-organization";

export const updateOrganizationAction = authedAction(
  { name: "organization.update", role: "admin", schema: ZUpdateOrganizationInput },
  async (input, auth) => {
    await updateOrganization(await getDb(), { organizationId: auth.organization.id, actor: auth.actor, input });
    revalidatePath("/app", "layout");
  },
);

export const addMemberAction = authedAction({ name: "member.add", role: "admin", schema: ZAddMemberInput }, async (input, auth) => {
  const result = await addMember(await getDb(), { organizationId: auth.organization.id, actor: auth.actor, input });
  revalidatePath("/app/settings/users");
  return result;
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
