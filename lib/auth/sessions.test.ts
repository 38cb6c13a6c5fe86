import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { setMemberActive } from "@/lib/organizations/set-member-active";
import { addTestMember, createTestOrganization, TEST_PASSWORD } from "@/tests/factories";
import { setupTestDatabase } from "@/tests/test-database";
import { changePassword } from "./change-password";
import { listUserOrganizations } from "./list-user-organizations";
import { loadSession } from "./load-session";
import { revokeSession } from "./revoke-sessions";
import { signInWithPassword } from "./sign-in";
import { switchOrganization } from "./switch-organization";

const database = setupTestDatabase();

const signIn = (email: string, password = TEST_PASSWORD, organizationId?: string) =>
  signInWithPassword(database.db, { email, password, organizationId, ip: null, requestId: null });
/** What every request does with the cookie's claims. */
const load = (user: { id: string; sessionId: string }) => loadSession(database.db, { userId: user.id, sessionId: user.sessionId });

async function codeOf(promise: Promise<unknown>) {
  return promise.then(
    () => "OK",
    (error: unknown) => (error instanceof AppError ? error.code : (error as Error).name),
  );
}

describe("sessions", () => {
  it("sign-out ends the session server-side: the same cookie claims stop working at once", async () => {
    const org = await createTestOrganization(database.db);
    const signedIn = await signIn(org.adminEmail);
    const other = await signIn(org.adminEmail);
    expect((await load(signedIn))?.membership).toMatchObject({ role: "admin", organization: { id: org.organizationId } });

    await revokeSession(database.db, { sessionId: signedIn.sessionId, userId: signedIn.id });
    expect(await load(signedIn)).toBeNull();
    // Only that session: the same person on another device stays signed in.
    expect(await load(other)).not.toBeNull();
    // A session id is bound to its user.
    expect(await loadSession(database.db, { userId: org.adminUserId, sessionId: crypto.randomUUID() })).toBeNull();
  });

  it("a session stops working when it expires", async () => {
    const org = await createTestOrganization(database.db);
    const signedIn = await signIn(org.adminEmail);
    await database.db.userSession.update({ where: { id: signedIn.sessionId }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await load(signedIn)).toBeNull();
  });

  it("a password change ends every other session, and the old password stops working", async () => {
    const org = await createTestOrganization(database.db);
    const stolen = await signIn(org.adminEmail);
    const current = await signIn(org.adminEmail);
    const invalid = await changePassword(database.db, {
      userId: org.adminUserId,
      sessionId: current.sessionId,
      organizationId: org.organizationId,
      actor: org.adminActor,
      input: { currentPassword: "not it", newPassword: "short" },
    }).catch((error: unknown) => error);
    expect((invalid as Error).name).toBe("ZodError");
    expect(
      await codeOf(
        changePassword(database.db, {
          userId: org.adminUserId,
          sessionId: current.sessionId,
          organizationId: org.organizationId,
          actor: org.adminActor,
          input: { currentPassword: "not it", newPassword: "a brand new password" },
        }),
      ),
    ).toBe("VALIDATION_FAILED");
    expect(await load(stolen)).not.toBeNull();

    const result = await changePassword(database.db, {
      userId: org.adminUserId,
      sessionId: current.sessionId,
      organizationId: org.organizationId,
      actor: org.adminActor,
      input: { currentPassword: TEST_PASSWORD, newPassword: "a brand new password" },
    });
    expect(result.revokedSessions).toBe(1);
    expect(await load(stolen)).toBeNull();
    expect(await load(current)).not.toBeNull();
    expect(await codeOf(signIn(org.adminEmail, TEST_PASSWORD))).toBe("UNAUTHORIZED");
    expect(await codeOf(signIn(org.adminEmail, "a brand new password"))).toBe("OK");
  });

  it("deactivation ends the member's sessions in that clinic, and reactivation does not bring them back", async () => {
    const org = await createTestOrganization(database.db);
    const member = await addTestMember(database.db, { organizationId: org.organizationId, role: "billing" });
    const signedIn = await signIn(member.email);
    expect(await load(signedIn)).not.toBeNull();
    await setMemberActive(database.db, {
      organizationId: org.organizationId,
      actor: org.adminActor,
      input: { membershipId: member.membershipId, active: false },
    });
    expect(await load(signedIn)).toBeNull();
    await setMemberActive(database.db, {
      organizationId: org.organizationId,
      actor: org.adminActor,
      input: { membershipId: member.membershipId, active: true },
    });
    expect(await load(signedIn)).toBeNull();
    expect(await codeOf(signIn(member.email))).toBe("OK");
  });

  it("a person in several clinics chooses one (never the oldest), may switch, and only into active memberships", async () => {
    const first = await createTestOrganization(database.db);
    const second = await createTestOrganization(database.db);
    const stranger = await createTestOrganization(database.db);
    await addTestMember(database.db, { organizationId: second.organizationId, role: "viewer", email: first.adminEmail });

    const signedIn = await signIn(first.adminEmail);
    expect(signedIn.organizationId).toBeNull();
    const pending = await load(signedIn);
    expect(pending).toMatchObject({ user: { email: first.adminEmail }, membership: null });
    expect((await listUserOrganizations(database.db, { userId: first.adminUserId })).map((organization) => organization.id).sort()).toEqual(
      [first.organizationId, second.organizationId].sort(),
    );

    const context = { sessionId: signedIn.sessionId, userId: first.adminUserId, ip: null, requestId: null };
    await switchOrganization(database.db, { ...context, input: { organizationId: second.organizationId } });
    expect((await load(signedIn))?.membership).toMatchObject({ role: "viewer", organization: { id: second.organizationId } });
    await switchOrganization(database.db, { ...context, input: { organizationId: first.organizationId } });
    expect((await load(signedIn))?.membership).toMatchObject({ role: "admin", organization: { id: first.organizationId } });

    expect(await codeOf(switchOrganization(database.db, { ...context, input: { organizationId: stranger.organizationId } }))).toBe("NOT_FOUND");
    expect(await codeOf(switchOrganization(database.db, { ...context, input: { organizationId: "nope" } }))).toBe("ZodError");

    // Deactivated in the second clinic: it can no longer be entered, and only the first is offered.
    const inSecond = await database.db.membership.findFirstOrThrow({ where: { organizationId: second.organizationId, userId: first.adminUserId } });
    await setMemberActive(database.db, {
      organizationId: second.organizationId,
      actor: second.adminActor,
      input: { membershipId: inSecond.id, active: false },
    });
    expect(await codeOf(switchOrganization(database.db, { ...context, input: { organizationId: second.organizationId } }))).toBe("NOT_FOUND");
    expect((await signIn(first.adminEmail)).organizationId).toBe(first.organizationId);

    // Asking for a clinic at sign-in enters it when the membership is active.
    await setMemberActive(database.db, { organizationId: second.organizationId, actor: second.adminActor, input: { membershipId: inSecond.id, active: true } });
    expect((await signIn(first.adminEmail, TEST_PASSWORD, second.organizationId)).organizationId).toBe(second.organizationId);
    expect((await signIn(first.adminEmail, TEST_PASSWORD, stranger.organizationId)).organizationId).toBeNull();
  });
});
