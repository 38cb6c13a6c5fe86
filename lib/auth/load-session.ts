import type { Db } from "@/lib/db/client";
import type { Role } from "./roles";

export type LoadedSession = {
  sessionId: string;
  user: { id: string; email: string; name: string };
  /** Null when no clinic is chosen yet, or the membership in the chosen one is no longer active. */
  membership: {
    id: string;
    role: Role;
    organization: { id: string; slug: string; name: string; currency: string; timezone: string; country: string };
  } | null;
};

/**
 * The session a cookie names, read fresh on every request: null when it was revoked (sign-out,
 * password change, deactivation), has expired, or belongs to someone else. Its membership is
 * re-read too, so a role change or deactivation takes effect on the next request. One query.
 */
export async function loadSession(db: Db, claims: { sessionId: string; userId: string }): Promise<LoadedSession | null> {
  const session = await db.userSession.findFirst({
    where: { id: claims.sessionId, userId: claims.userId, revokedAt: null, expiresAt: { gt: new Date() } },
    select: {
      id: true,
      user: { select: { id: true, email: true, name: true } },
      organization: {
        select: {
          id: true,
          slug: true,
          name: true,
          currency: true,
          timezone: true,
          country: true,
          memberships: { where: { userId: claims.userId, deactivatedAt: null }, select: { id: true, role: true }, take: 1 },
        },
      },
    },
  });
  if (!session) return null;
  const membership = session.organization?.memberships[0];
  if (!session.organization || !membership) return { sessionId: session.id, user: session.user, membership: null };
  const { memberships: _memberships, ...organization } = session.organization;
  return { sessionId: session.id, user: session.user, membership: { id: membership.id, role: membership.role, organization } };
}
