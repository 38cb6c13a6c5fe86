import type { Db } from "@/lib/db/client";
import type { AuditActor } from "@/lib/audit/record-audit-event";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { hashPassword } from "@/lib/auth/password";
import { AppError } from "@/lib/errors";
import { ZAddMemberInput, type TAddMemberInput } from "./members.types";

/**
 * Adds a person to the organization with a role. A new email gets a user with the given
 * password; an email that already has a Carebill account keeps its own password and only gains
 * the membership. Someone already in the organization is a 409.
 */
export async function addMember(
  db: Db,
  options: { organizationId: string; actor: AuditActor; input: TAddMemberInput },
): Promise<{ membershipId: string; createdUser: boolean }> {
  const input = ZAddMemberInput.parse(options.input);
  const passwordHash = await hashPassword(input.password);
  return db.$transaction(async (tx) => {
    let user = await tx.user.findUnique({ where: { email: input.email }, select: { id: true } });
    const createdUser = !user;
    if (!user) {
      user = await tx.user.create({ data: { email: input.email, name: input.name, passwordHash }, select: { id: true } });
    } else {
      const existing = await tx.membership.findUnique({
        where: { organizationId_userId: { organizationId: options.organizationId, userId: user.id } },
      });
      if (existing) {
        throw new AppError("CONFLICT", "This person is already a member of your organization.", {
          fields: { email: ["Already a member of your organization."] },
        });
      }
    }
    const membership = await tx.membership.create({
      data: { organizationId: options.organizationId, userId: user.id, role: input.role },
    });
    await recordAuditEvent(tx, {
      organizationId: options.organizationId,
      actor: options.actor,
      action: "member.added",
      target: { type: "membership", id: membership.id },
      after: { userId: user.id, role: input.role, createdUser },
    });
    return { membershipId: membership.id, createdUser };
  });
}
