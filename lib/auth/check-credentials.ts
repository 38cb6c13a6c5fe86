import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { hitRateLimit } from "@/lib/rate-limit/rate-limit";
import { verifyPassword } from "./password";

/** Attempts on one email within the window (a success starts over) before it is locked for the rest of it. */
export const MAX_FAILED_SIGN_INS_PER_EMAIL = 5;
/** Attempts from one IP within the window, successful or not. */
export const MAX_SIGN_IN_ATTEMPTS_PER_IP = 30;
export const SIGN_IN_WINDOW_SECONDS = 15 * 60;

export const signInEmailKey = (email: string) => `sign-in:email:${email}`;

function minutes(seconds: number) {
  const value = Math.ceil(seconds / 60);
  return `${value} minute${value === 1 ? "" : "s"}`;
}

/**
 * Checks an email and password under the sign-in limits; the user when the password matches,
 * null otherwise. Lockout counters live in PostgreSQL, so every app instance sees the same
 * failures, and they are counted before the password is checked, in one atomic statement:
 * concurrent guesses cannot slip past the limit, and a locked account cannot be used to test
 * passwords. Unknown emails take as long as wrong passwords. The caller clears the email's
 * counter only once it lets the person in.
 */
export async function checkCredentials(
  db: Db,
  input: { email: string; password: string; ip: string | null },
): Promise<{ id: string; email: string; name: string } | null> {
  if (input.ip) {
    const perIp = await hitRateLimit(db, { key: `sign-in:ip:${input.ip}`, windowSeconds: SIGN_IN_WINDOW_SECONDS });
    if (perIp.count > MAX_SIGN_IN_ATTEMPTS_PER_IP) {
      throw new AppError("RATE_LIMITED", `Too many sign-in attempts. Try again in ${minutes(perIp.retryAfterSeconds)}.`);
    }
  }
  const attempts = await hitRateLimit(db, { key: signInEmailKey(input.email), windowSeconds: SIGN_IN_WINDOW_SECONDS });
  if (attempts.count > MAX_FAILED_SIGN_INS_PER_EMAIL) {
    throw new AppError("RATE_LIMITED", `This account is locked after too many failed attempts. Try again in ${minutes(attempts.retryAfterSeconds)}.`);
  }
  const user = await db.user.findUnique({ where: { email: input.email }, omit: { passwordHash: false } });
  const matches = await verifyPassword(input.password, user?.passwordHash ?? null);
  return user && matches ? { id: user.id, email: user.email, name: user.name } : null;
}
