import type { Db } from "@/lib/db/client";
import { hashPassword } from "@/lib/auth/password";
import { DEMO_ORGANIZATION_SLUG, DEMO_PASSWORD, DEMO_USERS } from "./demo-accounts";

/**
 * Creates the demo clinic and its three users. Safe to run again: existing rows are kept and
 * only what is missing is added.
 */
export async function seedDemo(db: Db, options: { password?: string } = {}): Promise<{ organizationId: string }> {
  const passwordHash = await hashPassword(options.password ?? DEMO_PASSWORD);
  return db.$transaction(async (tx) => {
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
    }
    return { organizationId: organization.id };
  });
}
