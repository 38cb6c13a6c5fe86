/**
 * Gives a browser test's own clinic (e2e/create-clinic.ts) some history of plans, autopay charges and
 * memberships this month, written straight into the test server's database (the autopay engine's
 * rows as it leaves them), so the analytics page's recurring figures have something to show.
 *   node --import tsx e2e/seed-recurring-history.ts <slug>
 */
import nextEnv from "@next/env";
import { createDb } from "@/lib/db/client";
import { dataDirFrom, openScriptDatabase } from "@/platform/runtime/script-database";

nextEnv.loadEnvConfig(process.cwd());
process.env.LOG_LEVEL ??= "warn";

const slug = process.argv[2];
if (!slug) throw new Error("usage: node --import tsx e2e/seed-recurring-history.ts <slug>");
if (process.env.DATABASE_URL || !/[/\\]e2e-\d+$/.test(dataDirFrom(process.env))) {
  throw new Error("e2e/seed-recurring-history.ts writes only to a browser-test database: run it with CAREBILL_DATA_DIR=.data/e2e-<port> and no DATABASE_URL");
}
const database = await openScriptDatabase(process.env);
const db = createDb({ connectionString: database.url, poolSize: 1 });
try {
  const { id: organizationId } = await db.organization.findUniqueOrThrow({ where: { slug }, select: { id: true } });
  const now = Date.now();
  // Minutes ago: the same clinic day (and month) as the test's page, but at the stroke of midnight.
  const ago = (minutes: number) => new Date(now - minutes * 60_000);
  const patient = (lastName: string) => db.patient.create({ data: { organizationId, firstName: "Sam", lastName } });
  const plan = async (status: "completed" | "defaulted" | "canceled", at: Date) => {
    const { id: patientId } = await patient(`Ended${status}`);
    return db.paymentPlan.create({
      data: {
        organizationId,
        patientId,
        status,
        currency: "USD",
        totalAmount: 90_000,
        installmentCount: 3,
        frequency: "monthly",
        startDate: new Date("2026-09-01T00:00:00Z"),
        ...(status === "completed" ? { completedAt: at } : status === "defaulted" ? { defaultedAt: at } : { canceledAt: at }),
      },
    });
  };
  const completed = await plan("completed", ago(2));
  await plan("completed", ago(3));
  await plan("defaulted", ago(4));
  // Six installments: four paid at the first attempt, one after a retry, one failed for good.
  const results: ("succeeded" | "failed")[][] = [["succeeded"], ["succeeded"], ["succeeded"], ["succeeded"], ["failed", "succeeded"], ["failed", "failed"]];
  for (const [index, attempts] of results.entries()) {
    const installment = await db.paymentPlanInstallment.create({
      data: { organizationId, planId: completed.id, sequence: index + 1, dueDate: new Date("2026-11-01T00:00:00Z"), scheduledAmount: 15_000 },
    });
    for (const [position, status] of attempts.entries())
      await db.autopayCharge.create({
        data: {
          organizationId,
          patientId: completed.patientId,
          subjectType: "plan_installment",
          subjectId: installment.id,
          attempt: position + 1,
          scheduledFor: ago(6 - position),
          status,
          amount: 15_000,
          currency: "USD",
          idempotencyKey: `carebill:plan-installment:${installment.id}:autopay-attempt-${position + 1}`,
          declineCode: status === "failed" ? "insufficient_funds" : null,
          declineKind: status === "failed" ? "soft" : null,
          completedAt: ago(6 - position),
        },
      });
  }
  const monthly = await db.membershipPlan.create({ data: { organizationId, name: "Primary care", amount: 7_900, currency: "USD", interval: "monthly" } });
  const yearly = await db.membershipPlan.create({ data: { organizationId, name: "Wellness (yearly)", amount: 60_000, currency: "USD", interval: "yearly" } });
  for (const [index, membershipPlan] of [monthly, monthly, monthly, yearly].entries())
    await db.patientMembership.create({
      data: {
        organizationId,
        patientId: (await patient(`Member${index}`)).id,
        membershipPlanId: membershipPlan.id,
        startDate: new Date("2026-01-01T00:00:00Z"),
      },
    });
  await db.patientMembership.create({
    data: {
      organizationId,
      patientId: (await patient("Former")).id,
      membershipPlanId: monthly.id,
      status: "canceled",
      startDate: new Date("2026-01-01T00:00:00Z"),
      canceledAt: ago(1),
    },
  });
} finally {
  await db.$disconnect();
  await database.close();
}
