import { describe, expect, it } from "vitest";
import { createDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { addTestMember, createTestOrganization, testActor } from "@/tests/factories";
import { setupTestDatabase } from "@/tests/test-database";
import { inviteMember } from "./invite-member";
import { changeMemberRole } from "./change-member-role";
import { listMembers } from "./list-members";
import { setMemberActive } from "./set-member-active";
import { updateOrganization } from "./update-organization";

const database = setupTestDatabase();

async function codeOf(promise: Promise<unknown>) {
  return promise.then(
    () => "OK",
    (error: unknown) => (error instanceof AppError ? error.code : (error as Error).name),
  );
}

describe("organization members", () => {
  it("rejects invalid invitations with field messages and writes nothing", async () => {
    const org = await createTestOrganization(database.db);
    const before = await database.db.invitation.count();
    const error = await inviteMember(database.db, {
      organizationId: org.organizationId,
      actor: org.adminActor,
      input: { name: "", email: "nope", role: "owner" as never },
    }).catch((caught: unknown) => caught);
    expect((error as Error).name).toBe("ZodError");
    const fields = (error as { issues: { path: string[] }[] }).issues.map((issue) => issue.path.join("."));
    expect(fields.sort()).toEqual(["email", "name", "role"]);
    expect(await database.db.invitation.count()).toBe(before);
  });

  it("never leaves an organization without an active admin, even when two admins demote each other at once", async () => {
    const org = await createTestOrganization(database.db);
    expect(
      await codeOf(
        changeMemberRole(database.db, {
          organizationId: org.organizationId,
          actor: org.adminActor,
          input: { membershipId: org.adminMembershipId, role: "viewer" },
        }),
      ),
    ).toBe("CONFLICT");

    const second = await addTestMember(database.db, { organizationId: org.organizationId, role: "admin" });
    const results = await Promise.all([
      codeOf(
        changeMemberRole(database.db, {
          organizationId: org.organizationId,
          actor: org.adminActor,
          input: { membershipId: second.membershipId, role: "billing" },
        }),
      ),
      codeOf(
        changeMemberRole(database.db, {
          organizationId: org.organizationId,
          actor: testActor(second.userId),
          input: { membershipId: org.adminMembershipId, role: "billing" },
        }),
      ),
    ]);
    expect(results.sort()).toEqual(["CONFLICT", "OK"]);
    const admins = await database.db.membership.count({ where: { organizationId: org.organizationId, role: "admin", deactivatedAt: null } });
    expect(admins).toBe(1);
  });

  it("deactivates and reactivates members; nobody deactivates themselves", async () => {
    const org = await createTestOrganization(database.db);
    const member = await addTestMember(database.db, { organizationId: org.organizationId, role: "billing" });
    expect(
      await codeOf(
        setMemberActive(database.db, {
          organizationId: org.organizationId,
          actor: org.adminActor,
          input: { membershipId: org.adminMembershipId, active: false },
        }),
      ),
    ).toBe("CONFLICT");
    await setMemberActive(database.db, {
      organizationId: org.organizationId,
      actor: org.adminActor,
      input: { membershipId: member.membershipId, active: false },
    });
    let members = await listMembers(database.db, { organizationId: org.organizationId });
    expect(members.find((entry) => entry.membershipId === member.membershipId)?.active).toBe(false);
    await setMemberActive(database.db, {
      organizationId: org.organizationId,
      actor: org.adminActor,
      input: { membershipId: member.membershipId, active: true },
    });
    members = await listMembers(database.db, { organizationId: org.organizationId });
    expect(members.find((entry) => entry.membershipId === member.membershipId)?.active).toBe(true);
    const actions = await database.db.auditEvent.findMany({ where: { targetId: member.membershipId }, orderBy: { createdAt: "asc" } });
    expect(actions.map((event) => event.action)).toEqual(["member.added", "member.deactivated", "member.reactivated"]);
  });

  it("treats another organization's member ids as not found", async () => {
    const mine = await createTestOrganization(database.db);
    const theirs = await createTestOrganization(database.db);
    const theirMember = await addTestMember(database.db, { organizationId: theirs.organizationId, role: "billing" });
    expect(
      await codeOf(
        changeMemberRole(database.db, {
          organizationId: mine.organizationId,
          actor: mine.adminActor,
          input: { membershipId: theirMember.membershipId, role: "admin" },
        }),
      ),
    ).toBe("NOT_FOUND");
    expect(
      await codeOf(
        setMemberActive(database.db, {
          organizationId: mine.organizationId,
          actor: mine.adminActor,
          input: { membershipId: theirMember.membershipId, active: false },
        }),
      ),
    ).toBe("NOT_FOUND");
    const untouched = await database.db.membership.findUniqueOrThrow({ where: { id: theirMember.membershipId } });
    expect(untouched).toMatchObject({ role: "billing", deactivatedAt: null });
  });

  it("updates clinic details with validation, auditing only what changed", async () => {
    const org = await createTestOrganization(database.db);
    const input = { name: "Renamed Clinic", addressLine1: "1 Main St", city: "Springfield", country: "us", currency: "eur", timezone: "Europe/Berlin" };
    await updateOrganization(database.db, { organizationId: org.organizationId, actor: org.adminActor, input });
    const saved = await database.db.organization.findUniqueOrThrow({ where: { id: org.organizationId } });
    expect(saved).toMatchObject({ name: "Renamed Clinic", country: "US", currency: "EUR", timezone: "Europe/Berlin", addressLine2: null });
    const audit = await database.db.auditEvent.findFirstOrThrow({ where: { organizationId: org.organizationId, action: "organization.updated" } });
    expect(Object.keys(audit.after as object).sort()).toEqual(["addressLine1", "city", "currency", "name", "timezone"]);

    const invalid = await updateOrganization(database.db, {
      organizationId: org.organizationId,
      actor: org.adminActor,
      input: { name: "", country: "USA", currency: "XYZ", timezone: "Mars/Olympus" },
    }).then(
      () => ({ issues: [] }),
      (error: unknown) => error as { issues: { path: string[] }[] },
    );
    expect(invalid.issues.map((issue) => issue.path.join(".")).sort()).toEqual(["country", "currency", "name", "timezone"]);
  });

  it("keeps the audit log append-only at the database level, for the app's role and even for the tables' owner", async () => {
    const org = await createTestOrganization(database.db);
    await expect(database.db.auditEvent.updateMany({ where: { organizationId: org.organizationId }, data: { action: "tampered" } })).rejects.toThrow(
      /permission denied/,
    );
    await expect(database.db.auditEvent.deleteMany({ where: { organizationId: org.organizationId } })).rejects.toThrow(/permission denied/);
    await expect(database.db.$executeRawUnsafe("TRUNCATE audit_events")).rejects.toThrow(/permission denied/);
    const owner = createDb({ connectionString: database.ownerUrl, poolSize: 1 });
    try {
      await expect(owner.auditEvent.updateMany({ where: { organizationId: org.organizationId }, data: { action: "tampered" } })).rejects.toThrow(/append-only/);
      await expect(owner.auditEvent.deleteMany({ where: { organizationId: org.organizationId } })).rejects.toThrow(/append-only/);
      await expect(owner.$executeRawUnsafe("TRUNCATE audit_events")).rejects.toThrow(/append-only/);
    } finally {
      await owner.$disconnect();
    }
  });
});
