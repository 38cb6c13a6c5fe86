import type { Db } from "@/lib/db/client";
import { hashPassword } from "@/lib/auth/password";
import { DEMO_ORGANIZATION_SLUG, DEMO_PASSWORD, DEMO_USERS } from "./demo-accounts";
import { seedDemoActivity, type DemoActivitySummary, type DemoStripe } from "./demo-activity";

export type { DemoStripe } from "./demo-activity";

/**
 * Creates the demo clinic and its three users, then, once, four months of its billing
 * (demo-activity.ts). Safe to run again: existing rows are kept, only what is missing is added,
 * and the activity is added only to a clinic that has no patients yet.
 */
export async function seedDemo(
  db: Db,
  options: { password?: string; stripe?: DemoStripe; now?: Date } = {},
): Promise<{ organizationId: string; activity: DemoActivitySummary | null }> {
  const passwordHash = await hashPassword(options.password ?? DEMO_PASSWORD);
  const { organizationId, userIds } = await db.$transaction(async (tx) => {
    const organization = await tx.organization.upsert({
      where: { slug: DEMO_ORGANIZATION_SLUG },
      update: {},
      create: {
        slug: DEMO_ORGANIZATION_SLUG,
        name: "Sunrise Family Clinic",
        addressLine1: "1200 Sunrise Avenue, Suite 300",
        city: "Portland",
        region: "OR",
        postalCode: "97205",
        country: "US",
        currency: "USD",
        timezone: "America/Los_Angeles",
        // How patients reach the clinic (pay page, emails, PDFs). 555-01xx numbers are reserved for fiction.
        phone: "+15035550142",
        email: "billing@sunrisefamily.example",
        website: "https://sunrisefamily.example",
      },
    });
    const userIds = new Map<string, string>();
    for (const demoUser of DEMO_USERS) {
      const user = await tx.user.upsert({
        where: { email: demoUser.email },
        update: {},
        create: { email: demoUser.email, name: demoUser.name, passwordHash },
      });
      await tx.membership.upsert({
        where: { organizationId_userId: { organizationId: organization.id, userId: user.id } },
        update: {},
        create: { organizationId: organization.id, userId: user.id, role: demoUser.role },
      });
      userIds.set(demoUser.role, user.id);
    }
    return { organizationId: organization.id, userIds };
  });
  if ((await db.patient.count({ where: { organizationId } })) > 0) return { organizationId, activity: null };
  const actor = (role: string) => {
    const demoUser = DEMO_USERS.find((user) => user.role === role)!;
    return { userId: userIds.get(role)!, label: demoUser.email, ip: null, requestId: null };
  };
  const activity = await seedDemoActivity(db, {
    organizationId,
    staff: { billing: actor("billing"), admin: actor("admin") },
    stripe: options.stripe,
    now: options.now,
  });
  return { organizationId, activity };
}
