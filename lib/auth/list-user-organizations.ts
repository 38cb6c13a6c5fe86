import type { Db } from "@/lib/db/client";
import type { Role } from "./roles";

export type UserOrganization = { id: string; slug: string; name: string; role: Role };

/** The clinics a person may enter: their active memberships, by clinic name. */
export async function listUserOrganizations(db: Db, options: { userId: string }): Promise<UserOrganization[]> {
  const memberships = await db.membership.findMany({
    where: { userId: options.userId, deactivatedAt: null },
    select: { role: true, organization: { select: { id: true, slug: true, name: true } } },
    orderBy: { organization: { name: "asc" } },
  });
  return memberships.map((membership) => ({ ...membership.organization, role: membership.role }));
}
