"use server";

import { getSignedInSession } from "@/lib/auth/session";
import { switchOrganization, ZSwitchOrganizationInput } from "@/lib/auth/switch-organization";
import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { publicAction } from "@/lib/http/action";

/** Enters one of the signed-in person's clinics (the chooser after sign-in and the header's switcher). */
export const selectOrganizationAction = publicAction({ name: "auth.select_organization", schema: ZSwitchOrganizationInput }, async (input, context) => {
  const session = await getSignedInSession();
  if (!session) throw new AppError("UNAUTHORIZED", "Sign in to continue.");
  await switchOrganization(await getDb(), { sessionId: session.sessionId, userId: session.user.id, ip: context.ip, requestId: context.requestId, input });
});
