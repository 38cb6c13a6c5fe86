"use server";

import { revalidatePath } from "next/cache";
import { getDb } from "@/lib/db/client";
import { authedAction } from "@/lib/http/action";
import { changeMemberRole } from "@/lib/organizations/change-member-role";
import { ZChangeMemberRoleInput } from "@/lib/organizations/members.types";

export const changeMemberRoleAction = authedAction({ name: "member.change_role", role: "admin", schema: ZChangeMemberRoleInput }, async (input, auth) => {
  await changeMemberRole(await getDb(), { organizationId: auth.organization.id, actor: auth.actor, input });
  revalidatePath("/app/settings/users");
});
