import { z } from "zod";
import type { Db } from "@/lib/db/client";
import type { AuditActor } from "@/lib/audit/record-audit-event";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { AppError } from "@/lib/errors";
import { clearRateLimit } from "@/lib/rate-limit/rate-limit";
import { checkCredentials, signInEmailKey } from "./check-credentials";
import { hashPassword, PASSWORD_MIN_LENGTH } from "./password";
import { revokeUserSessions } from "./revoke-sessions";

export const ZChangePasswordInput = z.object({
  currentPassword: z.string().min(1, "Enter your current password.").max(200, "Use at most 200 characters."),
  newPassword: z.string().min(PASSWORD_MIN_LENGTH, `Use at least ${PASSWORD_MIN_LENGTH} characters.`).max(200, "Use at most 200 characters."),
});
export type TChangePasswordInput = z.infer<typeof ZChangePasswordInput>;

/**
 * Changes the signed-in person's password after checking the current one (under the sign-in
 * limits), and ends every other session of theirs on every device: whoever knew the old
 * password is signed out.
 */
export async function changePassword(
  db: Db,
  options: { userId: string; sessionId: string; organizationId: string | null; actor: AuditActor; input: TChangePasswordInput },
): Promise<{ revokedSessions: number }> {
  const input = ZChangePasswordInput.parse(options.input);
  const account = await db.user.findUniqueOrThrow({ where: { id: options.userId }, select: { email: true } });
  const user = await checkCredentials(db, { email: account.email, password: input.currentPassword, ip: options.actor.ip });
  if (!user) {
    throw new AppError("VALIDATION_FAILED", "Your current password is not correct.", {
      fields: { currentPassword: ["This is not your current password."] },
    });
  }
  await clearRateLimit(db, signInEmailKey(account.email));
  const passwordHash = await hashPassword(input.newPassword);
  return db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: options.userId }, data: { passwordHash } });
    const revokedSessions = await revokeUserSessions(tx, { userId: options.userId, exceptSessionId: options.sessionId });
    await recordAuditEvent(tx, {
      organizationId: options.organizationId,
      actor: options.actor,
      action: "auth.password_changed",
      target: { type: "user", id: options.userId },
      after: { revokedSessions },
    });
    return { revokedSessions };
  });
}
