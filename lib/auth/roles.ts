import type { Role } from "@/lib/db/generated/enums";

export type { Role };

export const ROLES = ["admin", "billing", "viewer"] as const satisfies readonly Role[];

const RANK: Record<Role, number> = { viewer: 0, billing: 1, admin: 2 };

/** Roles are ordered: admin can do all that billing can, billing all that viewer can. */
export function hasRole(actual: Role, required: Role): boolean {
  return RANK[actual] >= RANK[required];
}

export const ROLE_LABELS: Record<Role, string> = {
  admin: "Admin",
  billing: "Billing staff",
  viewer: "Viewer (read only)",
};
