import bcrypt from "bcryptjs";
import { describe, expect, it } from "vitest";
import { signInWithPassword } from "@/lib/auth/sign-in";
import { AppError } from "@/lib/errors";
import { createTestOrganization, invitationTokenFromOutbox, TEST_PASSWORD } from "@/tests/factories";
import { setupTestDatabase } from "@/tests/test-database";
import { acceptInvitation } from "./accept-invitation";
import { getInvitationByToken } from "./get-invitation";
import { hashInvitationToken } from "./invitation-token";
import { inviteMember } from "./invite-member";
import { listMembers } from "./list-members";
import { setMemberActive } from "./set-member-active";

const database = setupTestDatabase();

async function outcome<T>(promise: Promise<T>) {
  return promise.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, code: error instanceof AppError ? error.code : (error as Error).name, error: error as AppError }),
  );
}

const signIn = (email: string, password: string, organizationId?: string) =>
  outcome(signInWithPassword(database.db, { email, password, organizationId, ip: null, requestId: null }));

describe("invitations", () => {
  it("clinic B's admin cannot take over a login through clinic A: the exact sequence from the report", async () => {
    const clinicA = await createTestOrganization(database.db);
    const clinicB = await createTestOrganization(database.db);
    const email = `newhire-${clinicA.slug}@example.test`;
    const passwordChosenByB = "password B chose for newhire";

    // B's admin "creates newhire@ with a password B chooses": B invites and (reading its own
    // demo mailbox) accepts the link itself, choosing the password.
    const fromB = await inviteMember(database.db, {
      organizationId: clinicB.organizationId,
      actor: clinicB.adminActor,
      input: { name: "New Hire", email, role: "viewer" },
    });
    const tokenFromB = await invitationTokenFromOutbox(database.db, { organizationId: clinicB.organizationId, email });
    await acceptInvitation(database.db, { input: { token: tokenFromB, name: "New Hire", password: passwordChosenByB }, ip: null, requestId: null });

    // A's admin adds the same email: the same answer as for a brand-new email (no flag saying
    // the account exists), and no password of A's is involved at all.
    const fromA = await inviteMember(database.db, {
      organizationId: clinicA.organizationId,
      actor: clinicA.adminActor,
      input: { name: "New Hire", email, role: "admin" },
    });
    const brandNew = await inviteMember(database.db, {
      organizationId: clinicA.organizationId,
      actor: clinicA.adminActor,
      input: { name: "Someone Else", email: `fresh-${clinicA.slug}@example.test`, role: "admin" },
    });
    expect(Object.keys(fromA)).toEqual(Object.keys(brandNew));
    expect(Object.keys(fromA)).toEqual(Object.keys(fromB));
    expect(JSON.stringify(fromA)).not.toMatch(/created|exist/i);
    // Not a member of A until the person accepts from their own inbox.
    expect((await listMembers(database.db, { organizationId: clinicA.organizationId })).map((member) => member.email)).not.toContain(email);

    // B deactivates its own membership.
    const inB = await database.db.membership.findFirstOrThrow({ where: { organizationId: clinicB.organizationId, user: { email } } });
    await setMemberActive(database.db, { organizationId: clinicB.organizationId, actor: clinicB.adminActor, input: { membershipId: inB.id, active: false } });

    // Signing in with B's password must not land in clinic A (nor anywhere).
    const attempt = await signIn(email, passwordChosenByB);
    expect(attempt.ok).toBe(false);
    expect(attempt.ok ? null : attempt.error.message).toBe("Incorrect email or password.");
    const explicitlyA = await signIn(email, passwordChosenByB, clinicA.organizationId);
    expect(explicitlyA.ok).toBe(false);
    const sessionsInA = await database.db.userSession.count({ where: { organizationId: clinicA.organizationId, user: { email } } });
    expect(sessionsInA).toBe(0);
  });

  it("an existing account joins only by proving its own password; the adding admin never sets it", async () => {
    const first = await createTestOrganization(database.db);
    const second = await createTestOrganization(database.db);
    await inviteMember(database.db, {
      organizationId: second.organizationId,
      actor: second.adminActor,
      input: { name: "Shared", email: first.adminEmail, role: "viewer" },
    });
    const token = await invitationTokenFromOutbox(database.db, { organizationId: second.organizationId, email: first.adminEmail });
    expect(await getInvitationByToken(database.db, { token })).toMatchObject({ email: first.adminEmail, accountExists: true, role: "viewer" });

    const wrong = await outcome(acceptInvitation(database.db, { input: { token, password: "a password the admin chose" }, ip: null, requestId: null }));
    expect(wrong.ok ? null : wrong.code).toBe("VALIDATION_FAILED");
    expect(wrong.ok ? null : wrong.error.fields?.password).toEqual(["Enter the password you already use to sign in to Carebill."]);

    await acceptInvitation(database.db, { input: { token, password: TEST_PASSWORD }, ip: null, requestId: null });
    const user = await database.db.user.findUniqueOrThrow({ where: { email: first.adminEmail }, omit: { passwordHash: false } });
    expect(await bcrypt.compare(TEST_PASSWORD, user.passwordHash)).toBe(true);
    const members = await listMembers(database.db, { organizationId: second.organizationId });
    expect(members.find((member) => member.email === first.adminEmail)).toMatchObject({ role: "viewer", active: true });
    // A second invitation to a member is a 409 for this clinic's admin (who sees the member anyway).
    const again = await outcome(
      inviteMember(database.db, {
        organizationId: second.organizationId,
        actor: second.adminActor,
        input: { name: "Shared", email: first.adminEmail, role: "viewer" },
      }),
    );
    expect(again.ok ? null : again.code).toBe("CONFLICT");
  });

  it("a link works once, only until it expires or is replaced, and only its hash is stored", async () => {
    const org = await createTestOrganization(database.db);
    const email = `once-${org.slug}@example.test`;
    await inviteMember(database.db, { organizationId: org.organizationId, actor: org.adminActor, input: { name: "Once", email, role: "billing" } });
    const token = await invitationTokenFromOutbox(database.db, { organizationId: org.organizationId, email });
    const stored = await database.db.invitation.findFirstOrThrow({ where: { organizationId: org.organizationId, email } });
    expect(stored.tokenHash).toBe(hashInvitationToken(token));
    expect(JSON.stringify(stored)).not.toContain(token);

    // Two acceptances at once: exactly one succeeds.
    const input = { token, name: "Once", password: "a long new password" };
    const results = await Promise.all(
      [acceptInvitation(database.db, { input, ip: null, requestId: null }), acceptInvitation(database.db, { input, ip: null, requestId: null })].map(outcome),
    );
    expect(results.map((result) => (result.ok ? "OK" : result.code)).sort()).toEqual(["NOT_FOUND", "OK"]);
    expect(await getInvitationByToken(database.db, { token })).toBeNull();

    // Replaced: the older link stops working.
    const later = `later-${org.slug}@example.test`;
    await inviteMember(database.db, { organizationId: org.organizationId, actor: org.adminActor, input: { name: "Later", email: later, role: "viewer" } });
    const older = await invitationTokenFromOutbox(database.db, { organizationId: org.organizationId, email: later });
    await inviteMember(database.db, { organizationId: org.organizationId, actor: org.adminActor, input: { name: "Later", email: later, role: "viewer" } });
    const replaced = await outcome(
      acceptInvitation(database.db, { input: { token: older, name: "Later", password: "a long new password" }, ip: null, requestId: null }),
    );
    expect(replaced.ok ? null : replaced.code).toBe("NOT_FOUND");

    // Expired.
    const newest = await invitationTokenFromOutbox(database.db, { organizationId: org.organizationId, email: later });
    expect(newest).not.toBe(older);
    await database.db.invitation.updateMany({ where: { tokenHash: hashInvitationToken(newest) }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const expired = await outcome(
      acceptInvitation(database.db, { input: { token: newest, name: "Later", password: "a long new password" }, ip: null, requestId: null }),
    );
    expect(expired.ok ? null : expired.error.message).toMatch(/not valid any more/);
    expect(await database.db.user.count({ where: { email: later } })).toBe(0);
  });

  it("a new account needs a name and a 12-character password, with field messages", async () => {
    const org = await createTestOrganization(database.db);
    const email = `short-${org.slug}@example.test`;
    await inviteMember(database.db, { organizationId: org.organizationId, actor: org.adminActor, input: { name: "Short", email, role: "viewer" } });
    const token = await invitationTokenFromOutbox(database.db, { organizationId: org.organizationId, email });
    const invalid = await outcome(acceptInvitation(database.db, { input: { token, password: "short" }, ip: null, requestId: null }));
    expect(invalid.ok ? null : invalid.code).toBe("ZodError");
    const issues = (invalid.ok ? [] : (invalid.error as unknown as { issues: { path: string[]; message: string }[] }).issues).map((issue) => [
      issue.path.join("."),
      issue.message,
    ]);
    expect(issues.sort()).toEqual([
      ["name", "Enter your name."],
      ["password", "Use at least 12 characters."],
    ]);
    // The invitation was not used up by the failed attempt.
    expect(await getInvitationByToken(database.db, { token })).toMatchObject({ accountExists: false });
  });
});
