"use server";

import { changePassword, ZChangePasswordInput } from "@/lib/auth/change-password";
import { getSignedInSession } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { authedAction } from "@/lib/http/action";

/** Any role may change their own password; every other session of theirs ends. */
export const changePasswordAction = authedAction({ name: "auth.change_password", role: "viewer", schema: ZChangePasswordInput }, async (input, auth) => {
  const session = await getSignedInSession();
  if (!session) throw new AppError("UNAUTHORIZED", "Sign in to continue.");
  const { revokedSessions } = await changePassword(await getDb(), {
    userId: auth.user.id,
    sessionId: session.sessionId,
    organizationId: auth.organization.id,
    actor: auth.actor,
    input,
  });
  return { revokedSessions };
});
