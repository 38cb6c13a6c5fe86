import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { AppError } from "@/lib/errors";

export const ZSwitchOrganizationInput = z.object({ organizationId: z.string().uuid("Choose one of your clinics.") });

/**
 * Moves a session into another of the person's clinics (the organization switcher, and the
 * chooser after signing in). Only an active membership lets them in; another clinic's id looks
 * exactly like an unknown one.
 */
export async function switchOrganization(
  db: Db,
  options: { sessionId: string; userId: string; ip: string | null; requestId: string | null; input: z.input<typeof ZSwitchOrganizationInput> },
): Promise<{ organizationId: string }> {
  const { organizationId } = ZSwitchOrganizationInput.parse(options.input);
  return db.$transaction(async (tx) => {
    const membership = await tx.membership.findFirst({
      where: { organizationId, userId: options.userId, deactivatedAt: null },
      select: { id: true, user: { select: { email: true } } },
    });
    if (!membership) throw new AppError("NOT_FOUND", "You are not a member of that clinic.");
    const updated = await tx.userSession.updateMany({
      where: { id: options.sessionId, userId: options.userId, revokedAt: null, expiresAt: { gt: new Date() } },
      data: { organizationId },
    });
    if (updated.count === 0) throw new AppError("UNAUTHORIZED", "Sign in to continue.");
    await recordAuditEvent(tx, {
      organizationId,
      actor: { userId: options.userId, label: membership.user.email, ip: options.ip, requestId: options.requestId },
      action: "auth.organization_entered",
      target: { type: "membership", id: membership.id },
    });
    return { organizationId };
  });
}
