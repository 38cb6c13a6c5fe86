import type { AuditActor } from "@/lib/audit/record-audit-event";
import { completeCardSetup } from "@/lib/cards-on-file/apply-setup-intent";
import { startCardSetup } from "@/lib/cards-on-file/start-card-setup";
import type { Db } from "@/lib/db/client";
import { addDays, todayIn } from "@/lib/invoices/dates";
import { enrollMembership } from "@/lib/memberships/enroll-membership";
import { createMembershipPlan } from "@/lib/memberships/membership-plans";
import { createPaymentPlan } from "@/lib/payment-plans/create-payment-plan";
import type { DemoStripe } from "./demo-activity";

export type DemoRecurringSummary = { membershipPlans: number; memberships: number; paymentPlans: number };

/**
 * What the clinic charges over time: two membership plans and, with the Stripe emulator, three
 * patients with a card saved at the desk (their consent recorded as staff ticked it for them):
 * two members whose first period is invoiced and charged today, and a payment plan of four
 * monthly installments for the largest open balance. All through the domain operations the
 * pages call. Without Stripe, only the membership plans (no card can be saved).
 */
export async function seedDemoRecurring(
  db: Db,
  options: { organizationId: string; staff: { billing: AuditActor & { userId: string }; admin: AuditActor }; stripe?: DemoStripe; now?: Date },
): Promise<DemoRecurringSummary> {
  const { organizationId, staff } = options;
  const now = options.now ?? new Date();
  const monthly = await createMembershipPlan(db, {
    organizationId,
    actor: staff.admin,
    input: { name: "Direct care", description: "Unlimited office visits and same-day messaging with your doctor.", amount: 7900, interval: "monthly" },
  });
  const yearly = await createMembershipPlan(db, {
    organizationId,
    actor: staff.admin,
    input: { name: "Annual wellness", description: "A yearly check-up, routine labs and two follow-up visits.", amount: 48000, interval: "yearly" },
  });
  if (!options.stripe) return { membershipPlans: 2, memberships: 0, paymentPlans: 0 };
  const card = options.stripe;

  const saveCardAtDesk = async (patientId: string) => {
    const started = await startCardSetup(db, {
      organizationId,
      patientId,
      source: "front_desk",
      by: { kind: "staff_on_behalf", userId: staff.billing.userId },
      acceptedTerms: true,
      makeDefault: true,
      ip: null,
      userAgent: null,
      actor: staff.billing,
      stripe: card.stripe,
    });
    const setupIntentId = started.clientSecret.split("_secret_")[0]!;
    await card.stripe.setupIntents.confirm(setupIntentId, { payment_method: "pm_card_visa" });
    await completeCardSetup(db, { organizationId, setupId: started.setupId, stripe: card.stripe });
  };

  // The largest open balance goes on a plan; two patients without one become members.
  const [largest] = await db.invoice.findMany({
    where: { organizationId, status: { in: ["open", "partially_paid"] }, amountDue: { gte: 10000 } },
    orderBy: [{ amountDue: "desc" }, { id: "asc" }],
    take: 1,
    select: { patientId: true },
  });
  const members = await db.patient.findMany({
    where: {
      organizationId,
      email: { not: null },
      ...(largest ? { id: { not: largest.patientId } } : {}),
      invoices: { none: { status: { in: ["open", "partially_paid"] } } },
    },
    orderBy: [{ lastName: "asc" }, { firstName: "asc" }],
    take: 2,
    select: { id: true },
  });
  const today = todayIn((await db.organization.findUniqueOrThrow({ where: { id: organizationId }, select: { timezone: true } })).timezone, now);
  for (const [index, member] of members.entries()) {
    await saveCardAtDesk(member.id);
    await enrollMembership(db, {
      organizationId,
      actor: staff.billing,
      now,
      stripe: card.stripe,
      input: { patientId: member.id, membershipPlanId: (index === 0 ? monthly : yearly).id, startDate: today },
    });
  }
  let paymentPlans = 0;
  if (largest) {
    await saveCardAtDesk(largest.patientId);
    await createPaymentPlan(db, {
      organizationId,
      actor: staff.billing,
      now,
      input: { patientId: largest.patientId, installmentCount: 4, frequency: "monthly", startDate: addDays(today, 7) },
    });
    paymentPlans = 1;
  }
  return { membershipPlans: 2, memberships: members.length, paymentPlans };
}
