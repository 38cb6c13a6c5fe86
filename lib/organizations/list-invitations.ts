import type { Db, Tx } from "@/lib/db/client";
import type { InvitationView } from "./members.types";

/** Invitations still waiting to be accepted, newest first. */
export async function listPendingInvitations(db: Db | Tx, options: { organizationId: string }): Promise<InvitationView[]> {
  return db.invitation.findMany({
    where: { organizationId: options.organizationId, acceptedAt: null, revokedAt: null, expiresAt: { gt: new Date() } },
    select: { id: true, name: true, email: true, role: true, expiresAt: true, createdAt: true },
    orderBy: { createdAt: "desc" },
  });
}
