import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { hashPassword, PASSWORD_MIN_LENGTH } from "@/lib/auth/password";
import { AppError } from "@/lib/errors";
import { zSingleLineText } from "@/lib/validation/fields";

export const ZCreateOrganizationInput = z.object({
  slug: z.string().regex(/^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/, "Use lowercase letters, digits and dashes."),
  name: zSingleLineText().min(1).max(200),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/)
    .default("USD"),
  timezone: z.string().default("America/New_York"),
  admin: z.object({
    email: zSingleLineText().toLowerCase().email(),
    name: zSingleLineText().min(1).max(200),
    password: z.string().min(PASSWORD_MIN_LENGTH),
  }),
});
export type TCreateOrganizationInput = z.input<typeof ZCreateOrganizationInput>;

/** Creates a clinic with its first admin (a new user, or an existing one who joins it). */
export async function createOrganization(db: Db, input: TCreateOrganizationInput): Promise<{ organizationId: string; adminUserId: string }> {
  const parsed = ZCreateOrganizationInput.parse(input);
  const passwordHash = await hashPassword(parsed.admin.password);
  return db.$transaction(async (tx) => {
    if (await tx.organization.findUnique({ where: { slug: parsed.slug }, select: { id: true } })) {
      throw new AppError("CONFLICT", `An organization with slug "${parsed.slug}" already exists.`, { fields: { slug: ["Already taken."] } });
    }
    const organization = await tx.organization.create({
      data: { slug: parsed.slug, name: parsed.name, currency: parsed.currency, timezone: parsed.timezone },
    });
    const user =
      (await tx.user.findUnique({ where: { email: parsed.admin.email }, select: { id: true } })) ??
      (await tx.user.create({ data: { email: parsed.admin.email, name: parsed.admin.name, passwordHash }, select: { id: true } }));
    await tx.membership.create({ data: { organizationId: organization.id, userId: user.id, role: "admin" } });
    await recordAuditEvent(tx, {
      organizationId: organization.id,
      actor: { userId: null, label: "system", ip: null, requestId: null },
      action: "organization.created",
      target: { type: "organization", id: organization.id },
      after: { slug: parsed.slug, adminUserId: user.id },
    });
    return { organizationId: organization.id, adminUserId: user.id };
  });
}
