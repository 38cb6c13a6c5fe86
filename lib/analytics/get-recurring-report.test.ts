import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { Db } from "@/lib/db/client";
import type { AutopayChargeStatus, MembershipStatus, PaymentPlanStatus } from "@/lib/db/generated/enums";
import { createTestOpenInvoice, createTestOrganization, createTestPatient, testActor } from "@/tests/factories";
import { recordManualPayment } from "@/lib/payments/record-manual-payment";
import { setupTestDatabase } from "@/tests/test-database";
import { exportReportCsv } from "./csv/export-report-csv";
import { getAnalyticsReport } from "./get-analytics-report";

/**
 * The recurring figures, computed by hand from plans and autopay charges written straight into the
 * database. The clinic is in Los Angeles, where November 2026 starts on a Sunday whose 2 a.m. ends
 * daylight time: its November is 2026-11-01T07:00Z (PDT) to 2026-12-01T08:00Z (PST). The period is
 * November, the previous period the 30 days before it (October 2–31).
 */
const database = setupTestDatabase();
const now = new Date("2026-12-05T12:00:00Z");
const november = { from: "2026-11-01", to: "2026-11-30" };

/** Instants on either side of the clinic's November edges. */
const OCT_31_2330_LA = new Date("2026-11-01T06:30:00Z");
const NOV_1_0030_LA = new Date("2026-11-01T07:30:00Z");
const NOV_30_2330_LA = new Date("2026-12-01T07:30:00Z");
const DEC_1_0030_LA = new Date("2026-12-01T08:30:00Z");

async function clinic(db: Db, timezone: string) {
  const org = await createTestOrganization(db);
  await db.organization.update({ where: { id: org.organizationId }, data: { timezone } });
  const patient = await createTestPatient(db, { organizationId: org.organizationId, firstName: "Rosa", lastName: `Diaz${org.slug.slice(-4)}` });
  const organizationId = org.organizationId;

  async function plan(status: PaymentPlanStatus, at: { completedAt?: Date; defaultedAt?: Date; canceledAt?: Date } = {}, invoiceTotals: number[] = []) {
    const created = await db.paymentPlan.create({
      data: {
        organizationId,
        patientId: patient.id,
        status,
        currency: "USD",
        totalAmount: 60_000,
        installmentCount: 6,
        frequency: "monthly",
        startDate: new Date("2026-09-01T00:00:00Z"),
        createdAt: new Date("2026-08-20T12:00:00Z"),
        ...at,
      },
    });
    for (const total of invoiceTotals) {
      const invoice = await createTestOpenInvoice(db, { organizationId, patientId: patient.id, total });
      await db.paymentPlanInvoice.create({ data: { planId: created.id, invoiceId: invoice.id, organizationId, amountAtStart: total } });
    }
    return created;
  }

  /** One subject's attempts in order: [status, when it reached it]. */
  async function attempts(subject: { type: "plan_installment" | "membership_period"; id: string }, results: [AutopayChargeStatus, Date | null][]) {
    let attempt = 0;
    for (const [status, completedAt] of results) {
      attempt += 1;
      await db.autopayCharge.create({
        data: {
          organizationId,
          patientId: patient.id,
          subjectType: subject.type,
          subjectId: subject.id,
          attempt,
          scheduledFor: completedAt ?? now,
          status,
          amount: 10_000,
          currency: "USD",
          idempotencyKey: `carebill:test:${subject.id}:autopay-attempt-${attempt}`,
          declineCode: status === "failed" ? "insufficient_funds" : null,
          declineKind: status === "failed" ? "soft" : null,
          completedAt,
        },
      });
    }
  }

  async function installment(planId: string, sequence: number) {
    const row = await db.paymentPlanInstallment.create({
      data: { organizationId, planId, sequence, dueDate: new Date("2026-11-01T00:00:00Z"), scheduledAmount: 10_000 },
    });
    return { type: "plan_installment" as const, id: row.id };
  }

  const membershipPlans = new Map<string, string>();
  /** A membership of a new patient (or `patientId`'s) on a plan of `amount` per `interval`. */
  async function membership(
    status: MembershipStatus,
    plan: { amount: number; interval: "monthly" | "yearly" },
    startDate: string,
    at: { canceledAt?: Date; defaultedAt?: Date; patientId?: string } = {},
  ) {
    const key = `${plan.amount}/${plan.interval}`;
    let planId = membershipPlans.get(key);
    if (!planId) {
      planId = (
        await db.membershipPlan.create({ data: { organizationId, name: `Plan ${key}`, amount: plan.amount, currency: "USD", interval: plan.interval } })
      ).id;
      membershipPlans.set(key, planId);
    }
    const patientId =
      at.patientId ??
      (await createTestPatient(db, { organizationId, firstName: "Member", lastName: `M${membershipPlans.size}${randomUUID().slice(0, 6)}` })).id;
    return db.patientMembership.create({
      data: {
        organizationId,
        patientId,
        membershipPlanId: planId,
        status,
        startDate: new Date(`${startDate}T00:00:00Z`),
        canceledAt: at.canceledAt,
        defaultedAt: at.defaultedAt,
      },
    });
  }

  return { org, organizationId, patient, plan, attempts, installment, membership };
}

const report = (organizationId: string) => getAnalyticsReport(database.db, { organizationId, report: "recurring", query: november, now });

describe("recurring report (plans, autopay and memberships)", () => {
  it("counts plans, ends and charge attempts by the clinic's days, for the period and the previous one, for one clinic only", async () => {
    const db = database.db;
    const la = await clinic(db, "America/Los_Angeles");
    const other = await clinic(db, "America/New_York");

    // Collecting now: 3 plans; their invoices owe 300 + 120 + 50 (one invoice paid in part: it owes 80 of 120).
    const active = await la.plan("active", {}, [30_000]);
    await la.plan("past_due", {}, [12_000]);
    await la.plan("paused", {}, [5_000]);
    const [pastDueInvoice] = await db.paymentPlanInvoice.findMany({ where: { plan: { status: "past_due", organizationId: la.organizationId } } });
    await recordManualPayment(db, {
      organizationId: la.organizationId,
      actor: testActor(),
      input: { patientId: la.patient.id, method: "cash", amount: 4_000, invoiceId: pastDueInvoice!.invoiceId, receivedOn: "2026-11-02" },
    });
    // Ended: November (LA) has one completed, one defaulted (at 23:30 on the 30th; canceled later: still one end, defaulted) and one canceled.
    await la.plan("completed", { completedAt: new Date("2026-11-15T12:00:00Z") }, [7_000]);
    await la.plan("canceled", { defaultedAt: NOV_30_2330_LA, canceledAt: new Date("2026-12-02T12:00:00Z") });
    await la.plan("canceled", { canceledAt: new Date("2026-11-20T12:00:00Z") });
    // October 31 at 23:30 (LA): the previous period. December 1 at 00:30: neither.
    await la.plan("canceled", { canceledAt: OCT_31_2330_LA });
    await la.plan("defaulted", { defaultedAt: DEC_1_0030_LA });

    // Charge attempts (the plan's installments and one membership period).
    const s = await Promise.all([1, 2, 3, 4, 5, 6, 7].map((sequence) => la.installment(active.id, sequence)));
    await la.attempts(s[0]!, [["succeeded", new Date("2026-11-05T16:00:00Z")]]);
    // Failed twice in November, paid by the third attempt in December: recovered.
    await la.attempts(s[1]!, [
      ["failed", new Date("2026-11-10T16:00:00Z")],
      ["failed", new Date("2026-11-11T16:00:00Z")],
      ["succeeded", new Date("2026-12-03T16:00:00Z")],
    ]);
    // Failed for good.
    await la.attempts(s[2]!, [
      ["failed", new Date("2026-11-20T16:00:00Z")],
      ["failed", new Date("2026-11-21T16:00:00Z")],
    ]);
    // Failed at 23:30 on November 30 (LA), the retry canceled, paid by a new card at 00:30 December 1: recovered, the success outside November.
    await la.attempts(s[3]!, [
      ["failed", NOV_30_2330_LA],
      ["canceled", DEC_1_0030_LA],
      ["succeeded", DEC_1_0030_LA],
    ]);
    // Paid at 23:30 on October 31 (LA): the previous period.
    await la.attempts(s[4]!, [["succeeded", OCT_31_2330_LA]]);
    // No result yet: not counted.
    await la.attempts(s[5]!, [["processing", null]]);
    // Failed at 00:30 on November 1 (LA, still daylight time: 07:30 UTC): November.
    await la.attempts(s[6]!, [["failed", NOV_1_0030_LA]]);
    // A membership period paid at the first attempt.
    await la.attempts({ type: "membership_period", id: randomUUID() }, [["succeeded", new Date("2026-11-25T16:00:00Z")]]);

    // Memberships: $50 a month, and $1,000.01 a year ($83.33 a month, rounded down from 83.334…).
    const monthly = { amount: 5_000, interval: "monthly" } as const;
    const yearly = { amount: 100_001, interval: "yearly" } as const;
    const m1 = await la.membership("active", monthly, "2026-06-01");
    await la.membership("past_due", yearly, "2026-01-15");
    await la.membership("active", yearly, "2026-11-10", { patientId: m1.patientId }); // the same patient's second membership
    await la.membership("paused", monthly, "2026-03-01"); // not billed now; live at November's start
    await la.membership("active", monthly, "2026-12-20"); // starts later this month: not yet a member
    await la.membership("canceled", monthly, "2026-02-01", { canceledAt: NOV_30_2330_LA });
    await la.membership("defaulted", monthly, "2026-05-01", { defaultedAt: NOV_1_0030_LA });
    await la.membership("canceled", monthly, "2026-04-01", { canceledAt: OCT_31_2330_LA });
    await la.membership("canceled", monthly, "2026-11-05", { canceledAt: new Date("2026-11-20T12:00:00Z") }); // began and ended in November
    await la.membership("canceled", monthly, "2026-01-01", { defaultedAt: new Date("2026-10-15T12:00:00Z"), canceledAt: new Date("2026-11-10T12:00:00Z") });

    // Another clinic's plans and charges, in the same days.
    await other.membership("active", { amount: 9_900, interval: "monthly" }, "2026-01-01");
    await other.membership("canceled", { amount: 9_900, interval: "monthly" }, "2026-01-01", { canceledAt: new Date("2026-11-12T12:00:00Z") });
    const theirs = await other.plan("active", {}, [99_900]);
    await other.plan("defaulted", { defaultedAt: new Date("2026-11-12T12:00:00Z") });
    await other.attempts(await other.installment(theirs.id, 1), [["failed", new Date("2026-11-12T12:00:00Z")]]);

    const figures = await report(la.organizationId);
    expect(figures.period).toMatchObject({
      from: "2026-11-01",
      to: "2026-11-30",
      previous: { from: "2026-10-02", to: "2026-10-31" },
      timezone: "America/Los_Angeles",
    });
    expect(figures.plans).toEqual({ active: 3, pastDue: 1, paused: 1, outstanding: 30_000 + 8_000 + 5_000 });
    expect(figures.planEnds).toEqual({ completed: { current: 1, previous: 0 }, defaulted: { current: 1, previous: 0 }, canceled: { current: 1, previous: 1 } });
    expect(figures.planDefaultRate).toEqual({ current: 1 / 3, previous: 0 });
    // November: 8 attempts reached a result (s1 ✓; s2 ✗ ✗; s3 ✗ ✗; s4 ✗; s7 ✗; membership ✓): 2 succeeded.
    // First attempts: 6 (s1, s2, s3, s4, s7, membership), 2 paid at once; 4 failed, of which s2 and s4 were paid later.
    expect(figures.autopay).toEqual({
      attempts: { current: 8, previous: 1 },
      succeeded: { current: 2, previous: 1 },
      firstAttempts: { current: 6, previous: 1 },
      firstAttemptsSucceeded: { current: 2, previous: 1 },
      eventuallyPaid: { current: 4, previous: 1 },
      firstAttemptsFailed: { current: 4, previous: 0 },
      recovered: { current: 2, previous: 0 },
    });
    expect(figures.autopaySuccessRate).toEqual({ current: 2 / 8, previous: 1 });
    expect(figures.autopayFirstAttemptSuccessRate).toEqual({ current: 2 / 6, previous: 1 });
    expect(figures.autopayEventualSuccessRate).toEqual({ current: 4 / 6, previous: 1 });
    expect(figures.autopayRecoveryRate).toEqual({ current: 2 / 4, previous: null });

    // Members now: 2 patients (one with two memberships), 3 memberships billed; MRR 50 + 83.33 + 83.33.
    // Live at November's start: the $50 one, the past-due yearly one, the paused one, and the two that ended in November (5);
    // ended in November: 2 canceled (one began in November) and 1 defaulted. October 2: 7 live, 1 canceled and 1 defaulted in October.
    expect(figures.memberships).toEqual({
      activeMembers: 2,
      activeMemberships: 3,
      pastDue: 1,
      paused: 1,
      mrr: 5_000 + 8_333 + 8_333,
      activeAtStart: { current: 5, previous: 7 },
      canceled: { current: 2, previous: 1 },
      defaulted: { current: 1, previous: 1 },
    });
    expect(figures.membershipChurnRate).toEqual({ current: 3 / 5, previous: 2 / 7 });

    // The other clinic sees its own only.
    const theirFigures = await report(other.organizationId);
    expect(theirFigures.plans).toEqual({ active: 1, pastDue: 0, paused: 0, outstanding: 99_900 });
    expect(theirFigures.planDefaultRate).toEqual({ current: 1, previous: null });
    expect(theirFigures.autopay.attempts).toEqual({ current: 1, previous: 0 });
    expect(theirFigures.autopayRecoveryRate).toEqual({ current: 0, previous: null });
    expect(theirFigures.memberships).toMatchObject({
      activeMembers: 1,
      mrr: 9_900,
      activeAtStart: { current: 2, previous: 2 },
      canceled: { current: 1, previous: 0 },
    });
    expect(theirFigures.membershipChurnRate).toEqual({ current: 1 / 2, previous: 0 });

    // The CSV: the 3 plans and 3 memberships ended in November, then its 8 attempts, oldest first, on the clinic's clock.
    const csv = await exportReportCsv(db, { organizationId: la.organizationId, actor: testActor(), report: "recurring", query: november, now });
    let text = "";
    for await (const chunk of csv.rows) text += chunk;
    const lines = text.trimEnd().split("\r\n");
    expect(csv.filename).toBe("analytics-recurring-2026-11-01-to-2026-11-30.csv");
    expect(lines[0]).toBe("record,at,patient,plan,membership,subject,attempt,result,decline_code,decline_reason,recovered,currency,amount");
    const rows = lines.slice(1).map((line) => line.split(","));
    expect(rows.map((row) => [row[0], row[1], row[7]])).toEqual([
      ["plan ended", "2026-11-15 04:00", "completed"],
      ["plan ended", "2026-11-20 04:00", "canceled"],
      ["plan ended", "2026-11-30 23:30", "defaulted"],
      ["membership ended", "2026-11-01 00:30", "defaulted"],
      ["membership ended", "2026-11-20 04:00", "canceled"],
      ["membership ended", "2026-11-30 23:30", "canceled"],
      ["autopay attempt", "2026-11-01 00:30", "failed"],
      ["autopay attempt", "2026-11-05 08:00", "succeeded"],
      ["autopay attempt", "2026-11-10 08:00", "failed"],
      ["autopay attempt", "2026-11-11 08:00", "failed"],
      ["autopay attempt", "2026-11-20 08:00", "failed"],
      ["autopay attempt", "2026-11-21 08:00", "failed"],
      ["autopay attempt", "2026-11-25 08:00", "succeeded"],
      ["autopay attempt", "2026-11-30 23:30", "failed"],
    ]);
    // A failed first attempt says whether it was recovered; the membership period is named as such.
    expect(rows.filter((row) => row[0] === "autopay attempt" && row[6] === "1" && row[7] === "failed").map((row) => [row[5], row[10]])).toEqual([
      ["installment 7", "no"],
      ["installment 2", "yes"],
      ["installment 3", "no"],
      ["installment 4", "yes"],
    ]);
    expect(rows.find((row) => row[1] === "2026-11-25 08:00")?.[5]).toBe("membership period");
    expect(lines.join("\n")).not.toContain(other.patient.lastName);
  });

  it("has no rates when nothing happened (a clinic without plans)", async () => {
    const empty = await clinic(database.db, "America/Los_Angeles");
    const figures = await report(empty.organizationId);
    expect(figures.plans).toEqual({ active: 0, pastDue: 0, paused: 0, outstanding: 0 });
    expect(figures.planDefaultRate).toEqual({ current: null, previous: null });
    expect(figures.autopaySuccessRate).toEqual({ current: null, previous: null });
    expect(figures.autopayRecoveryRate).toEqual({ current: null, previous: null });
    expect(figures.memberships).toMatchObject({ activeMembers: 0, mrr: 0, activeAtStart: { current: 0, previous: 0 } });
    expect(figures.membershipChurnRate).toEqual({ current: null, previous: null });
  });
});
