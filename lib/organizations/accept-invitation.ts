import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { checkCredentials, signInEmailKey } from "@/lib/auth/check-credentials";
import { hashPassword } from "@/lib/auth/password";
import { isUniqueViolation } from "@/lib/db/unique-violation";
import { AppError } from "@/lib/errors";
import { clearRateLimit } from "@/lib/rate-limit/rate-limit";
import { hashInvitationToken } from "./invitation-token";
import { ZAcceptInvitationInput, ZNewAccountPassword, type TAcceptInvitationInput } from "./members.types";

const INVALID_LINK = "This invitation link is not valid any more: it was used, replaced or has expired. Ask your clinic's admin for a new one.";

const ZNewAccount = z.object({ name: z.string({ error: "Enter your name." }).trim().min(1, "Enter your name."), password: ZNewAccountPassword });

/**
 * Accepts an invitation from its link: the only way into an organization for someone an admin
 * added. An email without an account gets one with the password its owner chooses here; an
 * existing account must give its own password (under the sign-in limits), so a clinic can never
 * attach itself to, or learn the password of, someone else's login. The link works once: the
 * claim is one conditional UPDATE, so two concurrent acceptances cannot both succeed.
 */
export async function acceptInvitation(
  db: Db,
  options: { input: TAcceptInvitationInput; ip: string | null; requestId: string | null },
): Promise<{ organizationId: string; email: string }> {
  const input = ZAcceptInvitationInput.parse(options.input);
  const pending = { acceptedAt: null, revokedAt: null, expiresAt: { gt: new Date() } };
  const invitation = await db.invitation.findFirst({ where: { tokenHash: hashInvitationToken(input.token), ...pending } });
  if (!invitation) throw new AppError("NOT_FOUND", INVALID_LINK);

  const existing = await db.user.findUnique({ where: { email: invitation.email }, select: { id: true } });
  let newAccount: { name: string; passwordHash: string } | null = null;
  if (existing) {
    const user = await checkCredentials(db, { email: invitation.email, password: input.password, ip: options.ip });
    if (!user) {
      throw new AppError("VALIDATION_FAILED", "That is not this account's password.", {
        fields: { password: ["Enter the password you already use to sign in to Carebill."] },
      });
    }
    await clearRateLimit(db, signInEmailKey(invitation.email));
  } else {
    const account = ZNewAccount.parse({ name: input.name, password: input.password });
    newAccount = { name: account.name, passwordHash: await hashPassword(account.password) };
  }

  try {
    return await db.$transaction(async (tx) => {
      const claimed = await tx.invitation.updateMany({ where: { id: invitation.id, ...pending }, data: { acceptedAt: new Date() } });
      if (claimed.count === 0) throw new AppError("NOT_FOUND", INVALID_LINK);
      const userId = existing ? existing.id : (await tx.user.create({ data: { email: invitation.email, ...newAccount! }, select: { id: true } })).id;
      const current = await tx.membership.findUnique({
        where: { organizationId_userId: { organizationId: invitation.organizationId, userId } },
        select: { deactivatedAt: true },
      });
      if (current) {
        throw new AppError(
          "CONFLICT",
          current.deactivatedAt ? "Your access to this clinic was deactivated. Ask its admin to restore it." : "You are already a member of this clinic.",
        );
      }
      const membership = await tx.membership.create({
        data: { organizationId: invitation.organizationId, userId, role: invitation.role },
        select: { id: true },
      });
      await recordAuditEvent(tx, {
        organizationId: invitation.organizationId,
        actor: { userId, label: invitation.email, ip: options.ip, requestId: options.requestId },
        action: "member.added",
        target: { type: "membership", id: membership.id },
        after: { userId, role: invitation.role, invitationId: invitation.id, newAccount: !existing },
      });
      return { organizationId: invitation.organizationId, email: invitation.email };
    });
  } catch (error) {
    // Two invitations to one new email accepted at the same moment: the other created the account.
    if (isUniqueViolation(error, "email")) throw new AppError("CONFLICT", "This account was just created. Open the link again and sign in with its password.");
    throw error;
  }
}
