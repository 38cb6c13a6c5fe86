import { z } from "zod";
import { PASSWORD_MIN_LENGTH } from "@/lib/auth/password";
import { ROLES } from "@/lib/auth/roles";
import { zSingleLineText } from "@/lib/validation/fields";

export const ZRole = z.enum(ROLES, { message: "Choose admin, billing or viewer." });

export const ZAddMemberInput = z.object({
  name: zSingleLineText().min(1, "Enter the person's name.").max(200),
  email: zSingleLineText().toLowerCase().email("Enter a valid email address.").max(254),
  role: ZRole,
  password: z
    .string()
    .min(PASSWORD_MIN_LENGTH, `Use at least ${PASSWORD_MIN_LENGTH} characters.`)
    .max(200, "Use at most 200 characters."),
});
export type TAddMemberInput = z.infer<typeof ZAddMemberInput>;

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
