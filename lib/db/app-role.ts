/**
 * The app's database role. Migrations run as the role that owns the tables; the app runs as this
 * one, which reads and writes rows and owns nothing (prisma/migrations/20261205120200_app_role):
 * it cannot switch off the ledger's append-only triggers, alter or drop tables, or edit the books.
 * Kept apart from the Prisma client so that the launcher and the embedded server can use it.
 */
export const APP_ROLE = "carebill_app";

/** The same connection string as another user (and optionally password). */
export function connectionStringAs(connectionString: string, user: string, password?: string): string {
  const url = new URL(connectionString);
  url.username = encodeURIComponent(user);
  url.password = password === undefined ? "" : encodeURIComponent(password);
  return url.toString();
}

export type RolePrivileges = { role: string; superuser: boolean; bypassesRowSecurity: boolean; ownsLedger: boolean };

/**
 * What the role a connection runs as may do beyond the app's needs: a superuser, or the owner of
 * the ledger's tables, can switch off the triggers that keep the books append-only.
 */
export const ROLE_PRIVILEGES_QUERY = `
  SELECT current_user AS role, r.rolsuper AS superuser, r.rolbypassrls AS "bypassesRowSecurity",
         COALESCE(pg_has_role(current_user, (SELECT c.relowner FROM pg_class c WHERE c.oid = to_regclass('public.journal_lines')), 'USAGE'), false) AS "ownsLedger"
  FROM pg_roles r WHERE r.rolname = current_user`;

export function isPrivileged(privileges: RolePrivileges): boolean {
  return privileges.superuser || privileges.bypassesRowSecurity || privileges.ownsLedger;
}
