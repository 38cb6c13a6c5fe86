import type { Tx } from "@/lib/db/client";

/**
 * Locks the organization's active admin memberships for the rest of the transaction and returns
 * their ids. Two admins demoting each other at once then run one after the other, so an
 * organization can never end up with no active admin.
 */
export async function lockActiveAdmins(tx: Tx, organizationId: string): Promise<string[]> {
  const rows = await tx.$queryRaw<{ id: string }[]>`
    SELECT id FROM memberships
    WHERE organization_id = ${organizationId}::uuid AND role = 'admin' AND deactivated_at IS NULL
    FOR UPDATE`;
  return rows.map((row) => row.id);
}
