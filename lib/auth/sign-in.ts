import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { clearRateLimit, hitRateLimit } from "@/lib/rate-limit/rate-limit";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { verifyPassword } from "./password";

/** Attempts on one email within the window (a success starts over) before it is locked for the rest of it. */
export const MAX_FAILED_SIGN_INS_PER_EMAIL = 5;
/** Attempts from one IP within the window, successful or not. */
export const MAX_SIGN_IN_ATTEMPTS_PER_IP = 30;
export const SIGN_IN_WINDOW_SECONDS = 15 * 60;

export const ZSignInInput = z.object({
  email: z.string().trim().toLowerCase().email("Enter a valid email address.").max(254),
  password: z.string().min(1, "Enter your password.").max(200),
});
export type TSignInInput = z.infer<typeof ZSignInInput>;

export type SignedInUser = { id: string; email: string; name: string; organizationId: string };

function minutes(seconds: number) {
  const value = Math.ceil(seconds / 60);
  return `${value} minute${value === 1 ? "" : "s"}`;
}

/**
 * Checks an email and password. Lockout counters live in PostgreSQL, so every app instance
 * sees the same failures. A locked email is refused before its password is checked, so a
 * locked account cannot be used to test guesses. Unknown emails and wrong passwords get the
 * same message and take the same time.
 */
export async function signInWithPassword(
  db: Db,
  input: TSignInInput & { ip: string | null; requestId: string | null },
): Promise<SignedInUser> {
  const { email, password } = ZSignInInput.parse(input);
  const emailKey = `sign-in:email:${email}`;

  if (input.ip) {
    const perIp = await hitRateLimit(db, { key: `sign-in:ip:${input.ip}`, windowSeconds: SIGN_IN_WINDOW_SECONDS });
    if (perIp.count > MAX_SIGN_IN_ATTEMPTS_PER_IP) {
      throw new AppError("RATE_LIMITED", `Too many sign-in attempts. Try again in ${minutes(perIp.retryAfterSeconds)}.`);
    }
  }
  // Counted before the password is checked, in one atomic statement: concurrent guesses cannot
  // slip past the limit, and a locked account cannot be used to test passwords.
  const attempts = await hitRateLimit(db, { key: emailKey, windowSeconds: SIGN_IN_WINDOW_SECONDS });
  if (attempts.count > MAX_FAILED_SIGN_INS_PER_EMAIL) {
    throw new AppError(
      "RATE_LIMITED",
      `This account is locked after too many failed attempts. Try again in ${minutes(attempts.retryAfterSeconds)}.`,
    );
  }

  const user = await db.user.findUnique({
    where: { email },
    omit: { passwordHash: false },
    include: {
      memberships: { where: { deactivatedAt: null }, orderBy: { createdAt: "asc" }, take: 1 },
    },
  });
  const passwordMatches = await verifyPassword(password, user?.passwordHash ?? null);
  const membership = user?.memberships[0];

  if (user && passwordMatches && !membership) {
    throw new AppError("FORBIDDEN", "Your access has been deactivated. Ask your clinic's admin to restore it.");
  }
  if (!user || !passwordMatches || !membership) {
    await recordAuditEvent(db, {
      organizationId: membership?.organizationId ?? null,
      actor: { userId: null, label: email, ip: input.ip, requestId: input.requestId },
      action: "auth.sign_in_failed",
      target: user ? { type: "user", id: user.id } : undefined,
    });
    throw new AppError("UNAUTHORIZED", "Incorrect email or password.");
  }

  await clearRateLimit(db, emailKey);
  await db.user.update({ where: { id: user.id }, data: { lastLoginAt: new Date() } });
  await recordAuditEvent(db, {
    organizationId: membership.organizationId,
    actor: { userId: user.id, label: user.email, ip: input.ip, requestId: input.requestId },
    action: "auth.signed_in",
    target: { type: "user", id: user.id },
  });
  return { id: user.id, email: user.email, name: user.name, organizationId: membership.organizationId };
}
