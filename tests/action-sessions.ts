import type { Role } from "@/lib/auth/roles";
import { addTestMember, createTestOrganization } from "./factories";
import type { TestDatabase } from "./test-database";

/** What the test file's mocked `getServerSession` (next-auth) returns: the signed-in person's session. */
export type SessionClaims = { current: { userId: string; sessionId: string } | null };

/**
 * Signing in for tests of server actions and pages through the real session check
 * (lib/auth/session.ts reads the session row and the membership's role from the database). Each
 * test file keeps its own `vi.mock`s (they are hoisted per file) and passes the hoisted `claims`
 * its next-auth mock answers with.
 */
export function actionSessions(database: TestDatabase, claims: SessionClaims) {
  /** A real session of `userId` in the organization, made the current one. */
  async function signInAs(organizationId: string, userId: string): Promise<void> {
    const session = await database.db.userSession.create({ data: { userId, organizationId, expiresAt: new Date(Date.now() + 3_600_000) } });
    claims.current = { userId, sessionId: session.id };
  }

  /** A new clinic with someone of `role` signed in to it (its first admin, or a new member). */
  async function clinicWith(role: Role) {
    const org = await createTestOrganization(database.db);
    const userId = role === "admin" ? org.adminUserId : (await addTestMember(database.db, { organizationId: org.organizationId, role })).userId;
    await signInAs(org.organizationId, userId);
    return org;
  }

  return { signInAs, clinicWith };
}
