import type { Db } from "@/lib/db/client";
import type { AuditActor } from "@/lib/audit/record-audit-event";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { AppError } from "@/lib/errors";
import { getMembershipOrThrow } from "./get-membership-or-throw";
import { lockActiveAdmins } from "@/lib/db/locks";
import { ZChangeMemberRoleInput, type TChangeMemberRoleInput } from "./members.types";

/** Changes a member's role. The organization always keeps at least one active admin. */
export async function changeMemberRole(db: Db, options: { organizationId: string; actor: AuditActor; input: TChangeMemberRoleInput }): Promise<void> {
  const input = ZChangeMemberRoleInput.parse(options.input);
  await db.$transaction(async (tx) => {
    const admins = await lockActiveAdmins(tx, options.organizationId);
    const membership = await getMembershipOrThrow(tx, { id: input.membershipId, organizationId: options.organizationId });
    if (membership.role === input.role) return;
    if (membership.role === "admin" && admins.length === 1 && admins[0] === membership.id) {
      throw new AppError("CONFLICT", "Your organization needs at least one active admin. Make someone else admin first.");
    }
    await tx.membership.update({ where: { id: membership.id }, data: { role: input.role } });
    await recordAuditEvent(tx, {
      organizationId: options.organizationId,
      actor: options.actor,
      action: "member.role_changed",
      target: { type: "membership", id: membership.id },
      before: { role: membership.role },
      after: { role: input.role },
    });
  });
}
