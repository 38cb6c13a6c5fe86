import type { Db } from "@/lib/db/client";
import { hashPassword } from "@/lib/auth/password";
import { DEMO_ORGANIZATION_SLUG, DEMO_PASSWORD, DEMO_USERS } from "./demo-accounts";
import { seedDemoActivity, type DemoActivitySummary, type DemoStripe } from "./demo-activity";
import { seedDemoInsurance, type DemoClearinghouse, type DemoInsuranceSummary } from "./demo-insurance";
import { seedDemoRecurring, type DemoRecurringSummary } from "./demo-recurring";

export type { DemoStripe } from "./demo-activity";
export type { DemoClearinghouse } from "./demo-insurance";

/**
 * Creates the demo clinic and its three users, then, once, four months of its billing
 * (demo-activity.ts), its memberships and payment plan (demo-recurring.ts) and its insurance claims
 * (demo-insurance.ts; answered by the clearinghouse emulator when `clearinghouse` is given). Safe to run again: existing rows are kept, only what is missing is added,
 * and the activity is added only to a clinic that has no patients yet.
 */
export async function seedDemo(
  db: Db,
  options: { password?: string; stripe?: DemoStripe; clearinghouse?: DemoClearinghouse; now?: Date } = {},
): Promise<{
  organizationId: string;
  activity: DemoActivitySummary | null;
  recurring: DemoRecurringSummary | null;
  insurance: DemoInsuranceSummary | null;
}> {
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
  if ((await db.patient.count({ where: { organizationId } })) > 0) return { organizationId, activity: null, recurring: null, insurance: null };
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
  // Then what the clinic charges over time: membership plans, members, a payment plan.
  const recurring = await seedDemoRecurring(db, {
    organizationId,
    staff: { billing: actor("billing"), admin: actor("admin") },
    stripe: options.stripe,
    now: options.now,
  });
  // And what insurers are billed: coverages, visits, claims (submitted to the emulator when it runs).
  const insurance = await seedDemoInsurance(db, {
    organizationId,
    staff: { billing: actor("billing"), admin: actor("admin") },
    clearinghouse: options.clearinghouse,
    now: options.now,
  });
  return { organizationId, activity, recurring, insurance };
}
