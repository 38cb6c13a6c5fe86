import type { Db, Tx } from "@/lib/db/client";

/** Ends one session (sign-out): its cookie stops working at once, on every app instance. */
export async function revokeSession(db: Db | Tx, options: { sessionId: string; userId: string }): Promise<void> {
  await db.userSession.updateMany({
    where: { id: options.sessionId, userId: options.userId, revokedAt: null },
    data: { revokedAt: new Date() },
  });
}

/**
 * Ends a user's sessions: all of them (password change, except the one making the change), or
 * those in one organization (deactivation there). Returns how many were ended.
 */
export async function revokeUserSessions(db: Db | Tx, options: { userId: string; organizationId?: string; exceptSessionId?: string }): Promise<number> {
  const result = await db.userSession.updateMany({
    where: {
      userId: options.userId,
      revokedAt: null,
      ...(options.organizationId === undefined ? {} : { organizationId: options.organizationId }),
      ...(options.exceptSessionId === undefined ? {} : { id: { not: options.exceptSessionId } }),
    },
    data: { revokedAt: new Date() },
  });
  return result.count;
}
