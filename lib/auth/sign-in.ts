import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { clearRateLimit } from "@/lib/rate-limit/rate-limit";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { checkCredentials, signInEmailKey } from "./check-credentials";

export { MAX_FAILED_SIGN_INS_PER_EMAIL, MAX_SIGN_IN_ATTEMPTS_PER_IP, SIGN_IN_WINDOW_SECONDS } from "./check-credentials";

/** How long a session lasts (the cookie and its row in user_sessions). */
export const SESSION_MAX_AGE_SECONDS = 8 * 60 * 60;

export const ZSignInInput = z.object({
  email: z.string().trim().toLowerCase().email("Enter a valid email address.").max(254),
  password: z.string().min(1, "Enter your password.").max(200),
  /** The clinic to enter, when the person belongs to several (e.g. right after accepting an invitation). */
  organizationId: z.string().uuid().optional().catch(undefined),
});
export type TSignInInput = z.input<typeof ZSignInInput>;

/** `organizationId` is null when the person belongs to several clinics and has to choose one. */
export type SignedInUser = { id: string; email: string; name: string; sessionId: string; organizationId: string | null };

/**
 * Checks an email and password and opens a session (a row in user_sessions the cookie names).
 * Unknown emails, wrong passwords and accounts with no active membership anywhere get the same
 * message, so the answer never confirms a password. A person in one clinic enters it; a person
 * in several enters the one asked for, or chooses after signing in: never "the oldest".
 */
export async function signInWithPassword(db: Db, input: TSignInInput & { ip: string | null; requestId: string | null }): Promise<SignedInUser> {
  const { email, password, organizationId: requested } = ZSignInInput.parse(input);
  const user = await checkCredentials(db, { email, password, ip: input.ip });
  const memberships = user
    ? await db.membership.findMany({ where: { userId: user.id, deactivatedAt: null }, select: { organizationId: true }, orderBy: { createdAt: "asc" } })
    : [];

  if (!user || memberships.length === 0) {
    await recordAuditEvent(db, {
      organizationId: null,
      actor: { userId: null, label: email, ip: input.ip, requestId: input.requestId },
      action: "auth.sign_in_failed",
      target: user ? { type: "user", id: user.id } : undefined,
    });
    throw new AppError("UNAUTHORIZED", "Incorrect email or password.");
  }

  const organizationId =
    memberships.find((membership) => membership.organizationId === requested)?.organizationId ??
    (memberships.length === 1 ? memberships[0]!.organizationId : null);
  await clearRateLimit(db, signInEmailKey(email));
  const session = await db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: user.id }, data: { lastLoginAt: new Date() } });
    const created = await tx.userSession.create({
      data: { userId: user.id, organizationId, expiresAt: new Date(Date.now() + SESSION_MAX_AGE_SECONDS * 1000) },
      select: { id: true },
    });
    await recordAuditEvent(tx, {
      organizationId,
      actor: { userId: user.id, label: user.email, ip: input.ip, requestId: input.requestId },
      action: "auth.signed_in",
      target: { type: "user", id: user.id },
    });
    return created;
  });
  return { ...user, sessionId: session.id, organizationId };
}
