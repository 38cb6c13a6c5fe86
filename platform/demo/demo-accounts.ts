import type { Role } from "@/lib/auth/roles";

/**
 * The demo clinic's accounts: seeded by seed-demo.ts, printed by the launcher, and listed on the
 * sign-in page when the launcher runs the demo (CAREBILL_DEMO). Constants only, so the sign-in page
 * (the one app file allowed to import from platform/, eslint.config.mjs) loads nothing else of platform/.
 */
export const DEMO_ORGANIZATION_SLUG = "demo";
/** Written in the README and printed at start; demo data only, never a real deployment. */
export const DEMO_PASSWORD = "carebill-demo";

export const DEMO_USERS: { email: string; name: string; role: Role }[] = [
  { email: "admin@demo.test", name: "Alex Admin", role: "admin" },
  { email: "billing@demo.test", name: "Blair Billing", role: "billing" },
  { email: "viewer@demo.test", name: "Vic Viewer", role: "viewer" },
];
