import { randomBytes } from "node:crypto";
import type { Db } from "@/lib/db/client";
import type { AuditActor } from "@/lib/audit/record-audit-event";
import type { AuthContext } from "@/lib/auth/session";
import type { Role } from "@/lib/auth/roles";
import { acceptInvitation } from "@/lib/organizations/accept-invitation";
import { inviteMember } from "@/lib/organizations/invite-member";
import { createOrganization } from "@/lib/organizations/create-organization";

export const TEST_PASSWORD = "correct horse battery";

export function uniqueSlug(prefix = "clinic") {
  return `${prefix}-${randomBytes(4).toString("hex")}`;
}

export function testActor(userId: string | null = null, label = "test"): AuditActor {
  return { userId, label, ip: "127.0.0.1", requestId: "test-request" };
}

/** A clinic with an admin, built through the same domain operations the app uses. */
export async function createTestOrganization(db: Db, options: { slug?: string } = {}) {
  const slug = options.slug ?? uniqueSlug();
  const adminEmail = `admin@${slug}.test`;
  const { organizationId, adminUserId } = await createOrganization(db, {
    slug,
    name: `Clinic ${slug}`,
    admin: { email: adminEmail, name: "Ada Admin", password: TEST_PASSWORD },
  });
  const admin = await db.membership.findUniqueOrThrow({ where: { organizationId_userId: { organizationId, userId: adminUserId } } });
  return { organizationId, slug, adminUserId, adminEmail, adminMembershipId: admin.id, adminActor: testActor(adminUserId, adminEmail) };
}

/**
 * Who a staff page or route sees signed in (for a mocked requireAuth): the clinic's admin (`name`
 * Ada Admin), as a viewer unless `role` says otherwise, in New York.
 */
export function testAuthContext(org: Awaited<ReturnType<typeof createTestOrganization>>, options: { role?: Role; name?: string } = {}): AuthContext {
  return {
    user: { id: org.adminUserId, email: org.adminEmail, name: options.name ?? "Ada Admin" },
    organization: { id: org.organizationId, slug: org.slug, name: `Clinic ${org.slug}`, currency: "USD", timezone: "America/New_York", country: "US" },
    role: options.role ?? "viewer",
    membershipId: org.adminMembershipId,
    actor: org.adminActor,
  };
}

/** The token of the newest invitation email to `email`, read from the outbox as its recipient would. */
export async function invitationTokenFromOutbox(db: Db, options: { organizationId: string; email: string }): Promise<string> {
  const email = await db.email.findFirstOrThrow({
    where: { organizationId: options.organizationId, toAddress: options.email, kind: "member_invitation" },
    orderBy: { createdAt: "desc" },
  });
  const token = /\/invite\/([A-Za-z0-9_-]+)/.exec(email.text)?.[1];
  if (!token) throw new Error("no invitation link in the email");
  return token;
}

/** A member who accepted their invitation, signing in with `password` (a new account) or proving it (an existing one). */
export async function addTestMember(db: Db, options: { organizationId: string; role: Role; email?: string; actor?: AuditActor; password?: string }) {
  const email = options.email ?? `${options.role}-${randomBytes(3).toString("hex")}@example.test`;
  await inviteMember(db, {
    organizationId: options.organizationId,
    actor: options.actor ?? testActor(),
    input: { name: `Test ${options.role}`, email, role: options.role },
  });
  const token = await invitationTokenFromOutbox(db, { organizationId: options.organizationId, email });
  await acceptInvitation(db, { input: { token, name: `Test ${options.role}`, password: options.password ?? TEST_PASSWORD }, ip: null, requestId: null });
  const membership = await db.membership.findFirstOrThrow({ where: { organizationId: options.organizationId, user: { email } } });
  return { membershipId: membership.id, userId: membership.userId, email };
}

export async function createTestPatient(
  db: Db,
  options: { organizationId: string; firstName?: string; lastName?: string; email?: string; externalId?: string },
) {
  const { createPatient } = await import("@/lib/patients/create-patient");
  return createPatient(db, {
    organizationId: options.organizationId,
    actor: testActor(),
    input: {
      firstName: options.firstName ?? "Pat",
      lastName: options.lastName ?? `Quimby${randomBytes(2).toString("hex")}`,
      email: options.email ?? null,
      externalId: options.externalId ?? null,
    },
  });
}

/** A finalized (open) invoice of one "Visit" line of `total` minor units for a patient, issued at 15:00 UTC on `issuedOn`. */
export async function createTestOpenInvoice(db: Db, options: { organizationId: string; patientId: string; total: number; issuedOn?: string }) {
  const { createInvoice } = await import("@/lib/invoices/create-invoice");
  const { finalizeInvoice } = await import("@/lib/invoices/finalize-invoice");
  const actor = testActor();
  const draft = await createInvoice(db, {
    organizationId: options.organizationId,
    actor,
    input: { patientId: options.patientId, lines: [{ description: "Visit", quantity: 1, unitAmount: options.total }] },
  });
  return finalizeInvoice(db, {
    organizationId: options.organizationId,
    invoiceId: draft.id,
    actor,
    now: new Date(`${options.issuedOn ?? "2026-03-01"}T15:00:00Z`),
  });
}
