import type { Db } from "@/lib/db/client";
import type { AuditActor } from "@/lib/audit/record-audit-event";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { ROLE_LABELS } from "@/lib/auth/roles";
import { getEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { escapeHtml } from "@/lib/utils/escape-html";
import { hashInvitationToken, INVITATION_TTL_DAYS, newInvitationToken } from "./invitation-token";
import { ZInviteMemberInput, type TInviteMemberInput } from "./members.types";
import { formatDateTime } from "@/lib/dates/format-date";

/**
 * Invites a person to the organization with a role: writes a single-use link, valid for
 * INVITATION_TTL_DAYS, to the outbox in the same transaction. Whether the email already has a
 * Carebill account (in any clinic) changes nothing here: the admin neither sets nor learns its
 * password, and the answer is the same. The person joins only by accepting the link (choosing a
 * password, or proving the one they have). A newer invitation replaces a pending one; someone
 * already in this organization is a 409 (the admin sees their own members anyway).
 */
export async function inviteMember(
  db: Db,
  options: { organizationId: string; actor: AuditActor; input: TInviteMemberInput },
): Promise<{ invitationId: string }> {
  const input = ZInviteMemberInput.parse(options.input);
  const token = newInvitationToken();
  const expiresAt = new Date(Date.now() + INVITATION_TTL_DAYS * 24 * 60 * 60 * 1000);
  return db.$transaction(async (tx) => {
    const existing = await tx.membership.findFirst({ where: { organizationId: options.organizationId, user: { email: input.email } }, select: { id: true } });
    if (existing) {
      throw new AppError("CONFLICT", "This person is already a member of your organization.", {
        fields: { email: ["Already a member of your organization."] },
      });
    }
    await tx.invitation.updateMany({
      where: { organizationId: options.organizationId, email: input.email, acceptedAt: null, revokedAt: null },
      data: { revokedAt: new Date() },
    });
    const invitation = await tx.invitation.create({
      data: {
        organizationId: options.organizationId,
        email: input.email,
        name: input.name,
        role: input.role,
        tokenHash: hashInvitationToken(token),
        invitedByUserId: options.actor.userId,
        expiresAt,
      },
      select: { id: true },
    });
    const organization = await tx.organization.findUniqueOrThrow({ where: { id: options.organizationId }, select: { name: true, timezone: true } });
    const link = `${getEnv().APP_URL.replace(/\/$/, "")}/invite/${token}`;
    const until = formatDateTime(expiresAt, { timeZone: organization.timezone }, { style: "full", zoneName: true });
    const intro = `You have been invited to join ${organization.name} on Carebill as ${ROLE_LABELS[input.role]}.`;
    const instructions = "Open this link to accept. If you already use Carebill, sign in with your password; otherwise choose one.";
    const ignore = `The link works once, until ${until}. If you did not expect this invitation, ignore this email.`;
    await tx.email.create({
      data: {
        organizationId: options.organizationId,
        kind: "member_invitation",
        toAddress: input.email,
        subject: `Invitation to join ${organization.name} on Carebill`,
        text: [`Hello ${input.name},`, "", intro, instructions, link, "", ignore].join("\n"),
        html: [
          `<p>Hello ${escapeHtml(input.name)},</p>`,
          `<p>${escapeHtml(intro)}</p>`,
          `<p>${escapeHtml(instructions)}</p>`,
          `<p><a href="${escapeHtml(link)}">Accept the invitation</a></p>`,
          `<p>${escapeHtml(ignore)}</p>`,
        ].join(""),
      },
    });
    await recordAuditEvent(tx, {
      organizationId: options.organizationId,
      actor: options.actor,
      action: "member.invited",
      target: { type: "invitation", id: invitation.id },
      after: { email: input.email, role: input.role },
    });
    return { invitationId: invitation.id };
  });
}
