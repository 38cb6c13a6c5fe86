"use server";

import { revalidatePath } from "next/cache";
import { createApiKey, ZCreateApiKeyInput } from "@/lib/api-keys/create-api-key";
import { getDb } from "@/lib/db/client";
import { authedAction } from "@/lib/http/action";

export const createApiKeyAction = authedAction({ name: "api_key.create", role: "admin", schema: ZCreateApiKeyInput }, async (input, auth) => {
  const key = await createApiKey(await getDb(), { organizationId: auth.organization.id, actor: auth.actor, input });
  revalidatePath("/app/settings/api-keys");
  return key;
});
