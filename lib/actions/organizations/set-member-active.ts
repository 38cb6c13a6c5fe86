"use server";

import { revalidatePath } from "next/cache";
import { getDb } from "@/lib/db/client";
import { authedAction } from "@/lib/http/action";
import { ZSetMemberActiveInput } from "@/lib/organizations/members.types";
import { setMemberActive } from "@/lib/organizations/set-member-active";

export const setMemberActiveAction = authedAction({ name: "member.set_active", role: "admin", schema: ZSetMemberActiveInput }, async (input, auth) => {
  await setMemberActive(await getDb(), { organizationId: auth.organization.id, actor: auth.actor, input });
  revalidatePath("/app/settings/users");
});
