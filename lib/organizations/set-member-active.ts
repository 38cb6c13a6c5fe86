import type { Db } from "@/lib/db/client";
import type { AuditActor } from "@/lib/audit/record-audit-event";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { revokeUserSessions } from "@/lib/auth/revoke-sessions";
import { AppError } from "@/lib/errors";
import { getMembershipOrThrow } from "./get-membership-or-throw";
import { lockActiveAdmins } from "@/lib/db/locks";
import { ZSetMemberActiveInput, type TSetMemberActiveInput } from "./members.types";

/**
 * Deactivates or reactivates a member. Deactivation ends the member's sessions in this
 * organization at once (sessions are checked against the database on every request). Nobody deactivates themselves, and
 * the last active admin cannot be deactivated.
 */
export async function setMemberActive(db: Db, options: { organizationId: string; actor: AuditActor; input: TSetMemberActiveInput }): Promise<void> {
  const input = ZSetMemberActiveInput.parse(options.input);
  await db.$transaction(async (tx) => {
    const admins = await lockActiveAdmins(tx, options.organizationId);
    const membership = await getMembershipOrThrow(tx, { id: input.membershipId, organizationId: options.organizationId });
    const isActive = membership.deactivatedAt === null;
    if (isActive === input.active) return;
    if (!input.active) {
      if (membership.userId === options.actor.userId) {
        throw new AppError("CONFLICT", "You cannot deactivate yourself.");
      }
      if (membership.role === "admin" && admins.length === 1 && admins[0] === membership.id) {
        throw new AppError("CONFLICT", "Your organization needs at least one active admin.");
      }
    }
    await tx.membership.update({
      where: { id: membership.id },
      data: { deactivatedAt: input.active ? null : new Date() },
    });
    if (!input.active) await revokeUserSessions(tx, { userId: membership.userId, organizationId: options.organizationId });
    await recordAuditEvent(tx, {
      organizationId: options.organizationId,
      actor: options.actor,
      action: input.active ? "member.reactivated" : "member.deactivated",
      target: { type: "membership", id: membership.id },
    });
  });
}
