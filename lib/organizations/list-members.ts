import type { Db, Tx } from "@/lib/db/client";
import type { MemberView } from "./members.types";

export async function listMembers(db: Db | Tx, options: { organizationId: string }): Promise<MemberView[]> {
  const memberships = await db.membership.findMany({
    where: { organizationId: options.organizationId },
    include: { user: { select: { id: true, email: true, name: true, lastLoginAt: true } } },
    orderBy: [{ deactivatedAt: { sort: "asc", nulls: "first" } }, { user: { name: "asc" } }],
  });
  return memberships.map((membership) => ({
    membershipId: membership.id,
    userId: membership.user.id,
    name: membership.user.name,
    email: membership.user.email,
    role: membership.role,
    active: membership.deactivatedAt === null,
    lastLoginAt: membership.user.lastLoginAt,
    createdAt: membership.createdAt,
  }));
}
