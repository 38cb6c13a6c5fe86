import { describe, expect, it } from "vitest";
import { createDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { setMemberActive } from "@/lib/organizations/set-member-active";
import { addTestMember, createTestOrganization, TEST_PASSWORD } from "@/tests/factories";
import { setupTestDatabase } from "@/tests/test-database";
import { MAX_FAILED_SIGN_INS_PER_EMAIL, MAX_SIGN_IN_ATTEMPTS_PER_IP, signInWithPassword } from "./sign-in";

const database = setupTestDatabase();

async function attempt(email: string, password: string, ip: string | null = "10.0.0.1", db = database.db) {
  return signInWithPassword(db, { email, password, ip, requestId: "req" }).then(
    (user) => ({ ok: true as const, user }),
    (error: unknown) => ({ ok: false as const, error: error as AppError }),
  );
}

describe("signInWithPassword", () => {
  it("signs in with the right password, case-insensitively on email, and records the sign-in", async () => {
    const org = await createTestOrganization(database.db);
    const result = await attempt(org.adminEmail.toUpperCase(), TEST_PASSWORD);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.user).toMatchObject({ id: org.adminUserId, organizationId: org.organizationId });
    const events = await database.db.auditEvent.findMany({ where: { organizationId: org.organizationId, action: "auth.signed_in" } });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actorUserId: org.adminUserId, ip: "10.0.0.1" });
  });

  it("gives the same message for an unknown email and a wrong password", async () => {
    const org = await createTestOrganization(database.db);
    const wrongPassword = await attempt(org.adminEmail, "not the password");
    const unknownEmail = await attempt("nobody@nowhere.test", "not the password");
    expect(wrongPassword.ok || unknownEmail.ok).toBe(false);
    if (wrongPassword.ok || unknownEmail.ok) return;
    expect(wrongPassword.error.code).toBe("UNAUTHORIZED");
    expect(wrongPassword.error.message).toBe("Incorrect email or password.");
    expect(unknownEmail.error.message).toBe(wrongPassword.error.message);
  });

  it("locks an email after repeated failures, even for the right password, across app instances", async () => {
    const org = await createTestOrganization(database.db);
    // A second client stands in for a second app instance on the same database.
    const otherInstance = createDb({ connectionString: database.url, poolSize: 2 });
    try {
      for (let index = 0; index < MAX_FAILED_SIGN_INS_PER_EMAIL; index++) {
        const result = await attempt(org.adminEmail, `wrong-${index}`, `10.1.0.${index}`, index % 2 ? otherInstance : database.db);
        expect(result.ok).toBe(false);
      }
      const locked = await attempt(org.adminEmail, TEST_PASSWORD, "10.2.0.1", otherInstance);
      expect(locked.ok).toBe(false);
      if (locked.ok) return;
      expect(locked.error.code).toBe("RATE_LIMITED");
      expect(locked.error.message).toMatch(/locked .* Try again in \d+ minutes?/);

      // When the window has passed, the right password works again and the counter resets.
      await database.db.$executeRaw`UPDATE rate_limit_buckets SET window_start = now() - interval '1 hour' WHERE key = ${`sign-in:email:${org.adminEmail}`}`;
      expect((await attempt(org.adminEmail, TEST_PASSWORD)).ok).toBe(true);
      expect(await database.db.rateLimitBucket.count({ where: { key: `sign-in:email:${org.adminEmail}` } })).toBe(0);
    } finally {
      await otherInstance.$disconnect();
    }
  });

  it("checks at most the limit's worth of passwords when guesses arrive concurrently", async () => {
    const org = await createTestOrganization(database.db);
    const results = await Promise.all(Array.from({ length: 12 }, (_, index) => attempt(org.adminEmail, `wrong-${index}`, `10.3.0.${index}`)));
    const codes = results.map((result) => (result.ok ? "OK" : result.error.code));
    expect(codes.filter((code) => code === "UNAUTHORIZED")).toHaveLength(MAX_FAILED_SIGN_INS_PER_EMAIL);
    expect(codes.filter((code) => code === "RATE_LIMITED")).toHaveLength(12 - MAX_FAILED_SIGN_INS_PER_EMAIL);
  });

  it("limits attempts per IP address", async () => {
    const ip = "10.9.9.9";
    for (let index = 0; index < MAX_SIGN_IN_ATTEMPTS_PER_IP; index++) {
      await attempt(`someone-${index}@example.test`, "whatever", ip);
    }
    const refused = await attempt("another@example.test", "whatever", ip);
    expect(refused.ok).toBe(false);
    if (refused.ok) return;
    expect(refused.error.code).toBe("RATE_LIMITED");
  });

  it("answers a deactivated member's right password exactly like a wrong password", async () => {
    const org = await createTestOrganization(database.db);
    const member = await addTestMember(database.db, { organizationId: org.organizationId, role: "billing" });
    await setMemberActive(database.db, {
      organizationId: org.organizationId,
      actor: org.adminActor,
      input: { membershipId: member.membershipId, active: false },
    });
    const rightPassword = await attempt(member.email, TEST_PASSWORD);
    const wrongPassword = await attempt(member.email, "not the password");
    expect(rightPassword.ok || wrongPassword.ok).toBe(false);
    if (rightPassword.ok || wrongPassword.ok) return;
    expect([rightPassword.error.code, rightPassword.error.message]).toEqual([wrongPassword.error.code, wrongPassword.error.message]);
    expect(rightPassword.error.message).toBe("Incorrect email or password.");
    // The right password does not reset the lockout counter either: both count as failures.
    const bucket = await database.db.rateLimitBucket.findUniqueOrThrow({ where: { key: `sign-in:email:${member.email}` } });
    expect(bucket.count).toBe(2);
  });

  it("rejects malformed input as a validation error", async () => {
    const result = await attempt("not-an-email", "x");
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.name).toBe("ZodError");
  });
});
