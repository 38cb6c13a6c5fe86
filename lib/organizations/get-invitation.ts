import type { Db } from "@/lib/db/client";
import type { Role } from "@/lib/auth/roles";
import { hashInvitationToken } from "./invitation-token";
import { ZAcceptInvitationInput } from "./members.types";

export type InvitationForAcceptance = {
  email: string;
  name: string;
  role: Role;
  organizationName: string;
  /** Whether the invited email already has an account: shown only to whoever holds the link, i.e. reads that inbox. */
  accountExists: boolean;
};

/** The pending invitation a link names, or null when it is unknown, used, replaced, revoked or expired. */
export async function getInvitationByToken(db: Db, options: { token: string }): Promise<InvitationForAcceptance | null> {
  const token = ZAcceptInvitationInput.shape.token.safeParse(options.token);
  if (!token.success) return null;
  const invitation = await db.invitation.findFirst({
    where: { tokenHash: hashInvitationToken(token.data), acceptedAt: null, revokedAt: null, expiresAt: { gt: new Date() } },
    select: { email: true, name: true, role: true, organization: { select: { name: true } } },
  });
  if (!invitation) return null;
  const account = await db.user.findUnique({ where: { email: invitation.email }, select: { id: true } });
  return {
    email: invitation.email,
    name: invitation.name,
    role: invitation.role,
    organizationName: invitation.organization.name,
    accountExists: account !== null,
  };
}
