"use server";

import { revalidatePath } from "next/cache";
import { revokeApiKey, ZRevokeApiKeyInput } from "@/lib/api-keys/revoke-api-key";
import { getDb } from "@/lib/db/client";
import { authedAction } from "@/lib/http/action";

export const revokeApiKeyAction = authedAction({ name: "api_key.revoke", role: "admin", schema: ZRevokeApiKeyInput }, async (input, auth) => {
  await revokeApiKey(await getDb(), { organizationId: auth.organization.id, actor: auth.actor, input });
  revalidatePath("/app/settings/api-keys");
});
