import { z } from "zod";
import { PASSWORD_MIN_LENGTH } from "@/lib/auth/password";
import { ROLES } from "@/lib/auth/roles";
import { zSingleLineText } from "@/lib/validation/fields";

export const ZRole = z.enum(ROLES, { message: "Choose admin, billing or viewer." });

/** No password: the person chooses their own when they accept (or keeps the one they have). */
export const ZInviteMemberInput = z.object({
  name: zSingleLineText().min(1, "Enter the person's name.").max(200, "Use at most 200 characters."),
  email: zSingleLineText().toLowerCase().email("Enter a valid email address.").max(254, "Use at most 254 characters."),
  role: ZRole,
});
export type TInviteMemberInput = z.infer<typeof ZInviteMemberInput>;

/** From the invitation page. `name` is asked only when the email has no account yet. */
export const ZAcceptInvitationInput = z.object({
  token: z.string().regex(/^[A-Za-z0-9_-]{20,100}$/, "This invitation link is not valid."),
  name: zSingleLineText().min(1, "Enter your name.").max(200, "Use at most 200 characters.").optional(),
  password: z.string().min(1, "Enter a password.").max(200, "Use at most 200 characters."),
});
export type TAcceptInvitationInput = z.input<typeof ZAcceptInvitationInput>;

export const ZNewAccountPassword = z
  .string()
  .min(PASSWORD_MIN_LENGTH, `Use at least ${PASSWORD_MIN_LENGTH} characters.`)
  .max(200, "Use at most 200 characters.");

export type InvitationView = { id: string; name: string; email: string; role: z.infer<typeof ZRole>; expiresAt: Date; createdAt: Date };

export const ZChangeMemberRoleInput = z.object({ membershipId: z.string().uuid("Unknown member."), role: ZRole });
export type TChangeMemberRoleInput = z.infer<typeof ZChangeMemberRoleInput>;

export const ZSetMemberActiveInput = z.object({ membershipId: z.string().uuid("Unknown member."), active: z.boolean() });
export type TSetMemberActiveInput = z.infer<typeof ZSetMemberActiveInput>;

export type MemberView = {
  membershipId: string;
  userId: string;
  name: string;
  email: string;
  role: z.infer<typeof ZRole>;
  active: boolean;
  lastLoginAt: Date | null;
  createdAt: Date;
};
