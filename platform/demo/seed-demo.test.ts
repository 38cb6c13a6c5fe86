import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getAnalyticsReport } from "@/lib/analytics/get-analytics-report";
import { checkLedger } from "@/lib/ledger/balances";
import { checkCredentials } from "@/lib/auth/check-credentials";
import { listClaims } from "@/lib/claims/list-claims";
import { getClearinghouseSettings } from "@/lib/clearinghouse/settings";
import { listPatientCoverages } from "@/lib/insurance/coverages";
import { startClearinghouseEmulatorProcess, type ClearinghouseEmulatorProcess } from "@/platform/runtime/clearinghouse-emulator-process";
import { startTestStripe, type TestStripe } from "@/tests/stripe";
import { setupTestDatabase } from "@/tests/test-database";
import { DEMO_PASSWORD, DEMO_USERS } from "./demo-accounts";
import { PATIENT_NAMES } from "./demo-catalog";
import { seedDemo } from "./seed-demo";

const database = setupTestDatabase();
let stripe: TestStripe;
let clearinghouse: ClearinghouseEmulatorProcess;
const emulatorDir = mkdtempSync(join(tmpdir(), "carebill-demo-seed-"));
let organizationId: string;
let seconds: number;

beforeAll(async () => {
  stripe = await startTestStripe();
  clearinghouse = await startClearinghouseEmulatorProcess({ dataDir: emulatorDir, port: 0, log: pino({ level: "silent" }) });
  const started = performance.now();
  ({ organizationId } = await seedDemo(database.db, {
    stripe: { stripe: stripe.stripe, emulatorUrl: stripe.emulator.url, secretKey: stripe.secretKey },
    clearinghouse,
  }));
  seconds = (performance.now() - started) / 1000;
}, 180_000);
afterAll(async () => {
  await clearinghouse.stop();
  rmSync(emulatorDir, { recursive: true, force: true });
  await stripe.close();
});

describe("the demo clinic", () => {
  it("is seeded through the domain code: the ledger balances, every invoice state exists", async () => {
    console.info(`seeding the demo clinic took ${seconds.toFixed(1)} s`);
    expect(await checkLedger(database.db)).toEqual({
      allocationMismatches: [],
      unbalancedCurrencies: [],
      invoiceMismatches: [],
      patientCreditMismatches: [],
      claimMismatches: [],
    });

    const invoices = await database.db.invoice.findMany({ where: { organizationId } });
    const statuses = new Set(invoices.map((invoice) => invoice.status));
    expect([...statuses].sort()).toEqual(["draft", "open", "paid", "partially_paid", "uncollectible", "void"]);
    const today = new Date();
    const overdue = invoices.filter((invoice) => (invoice.status === "open" || invoice.status === "partially_paid") && invoice.dueDate! < today);
    expect(overdue.length).toBeGreaterThan(0);
    expect(invoices.length).toBeGreaterThan(60);
  });

  it("has cash, check, terminal and card payments, a partial refund, a credit note, a dispute and patient credit", async () => {
    const payments = await database.db.payment.findMany({ where: { organizationId, status: "succeeded" } });
    expect(new Set(payments.map((payment) => payment.methodType))).toEqual(new Set(["cash", "check", "card_terminal", "card"]));
    const refunds = await database.db.refund.findMany({ where: { organizationId } });
    expect(refunds).toHaveLength(1);
    const refunded = payments.find((payment) => payment.id === refunds[0]!.paymentId)!;
    expect(refunds[0]).toMatchObject({ status: "succeeded" });
    expect(refunds[0]!.amount).toBeLessThan(refunded.amountReceived);
    expect(await database.db.creditNote.count({ where: { organizationId, disposition: "reduce_balance" } })).toBe(1);
    expect(await database.db.dispute.findMany({ where: { organizationId } })).toEqual([expect.objectContaining({ status: "needs_response" })]);
    const credit = await database.db.patientCreditBalance.findMany({ where: { organizationId, balance: { gt: 0 } } });
    expect(credit.length).toBeGreaterThan(0);
  });

  it("spreads over the last four months with realistic patients and keeps the demo accounts", async () => {
    const patients = await database.db.patient.findMany({ where: { organizationId }, orderBy: { createdAt: "asc" } });
    expect(patients).toHaveLength(PATIENT_NAMES.length);
    for (const patient of patients) {
      if (patient.email) expect(patient.email).toMatch(/@example\.com$/);
      // Stored in E.164 (lib/validation/phone.ts); shown as (503) 555-01xx.
      if (patient.phone) expect(patient.phone).toMatch(/^\+150355501\d\d$/);
      expect(patient.externalId).toMatch(/^SFC-\d{6}$/);
      expect(patient.dateOfBirth).not.toBeNull();
    }
    const finalized = await database.db.invoice.findMany({ where: { organizationId, finalizedAt: { not: null } }, select: { finalizedAt: true } });
    const ages = finalized.map((invoice) => (Date.now() - invoice.finalizedAt!.getTime()) / 86_400_000);
    expect(Math.max(...ages)).toBeGreaterThan(100);
    expect(Math.max(...ages)).toBeLessThan(125);
    expect(Math.min(...ages)).toBeLessThan(7);

    expect(await database.db.invoice.count({ where: { organizationId, status: "draft" } })).toBe(3);

    for (const user of DEMO_USERS) expect(await checkCredentials(database.db, { email: user.email, password: DEMO_PASSWORD, ip: null })).toBeTruthy();
  });

  it("gives the analytics page months of history: charges and collections dated as they happened, AR of several ages", async () => {
    const query = { preset: "last_90_days", granularity: "month" } as const;
    const summary = await getAnalyticsReport(database.db, { organizationId, report: "summary", query });
    const months = summary.series.filter((point) => point.charges > 0 && point.collections > 0);
    expect(months.length).toBeGreaterThanOrEqual(3);
    // Collections are spread over the months, not all on the day the seed ran.
    const largest = Math.max(...summary.series.map((point) => point.collections));
    expect(largest).toBeLessThan(summary.collections.current * 0.7);
    expect(summary.refunds.current).toBeGreaterThan(0);
    expect(summary.creditNotes.current).toBeGreaterThan(0);
    const aging = await getAnalyticsReport(database.db, { organizationId, report: "aging", query: {} });
    expect(aging.buckets.filter((bucket) => bucket.count > 0).length).toBeGreaterThanOrEqual(3);
    expect(aging.total.amount).toBe(summary.receivables.amount);
    expect(aging.over90Amount).toBeGreaterThan(0);
    const payments = await getAnalyticsReport(database.db, { organizationId, report: "payments", query });
    expect(payments.attempted.current).toBeGreaterThan(0);
  });

  it("tells a plausible story this month and every month: collected is under billed, this month's card payments pay this month's invoices", async () => {
    const thisMonth = await getAnalyticsReport(database.db, { organizationId, report: "summary", query: { preset: "this_month" } });
    // Card payments, the refund and the dispute happen now (the emulator's clock): on invoices billed today, not weeks ago.
    expect(thisMonth.charges.current).toBeGreaterThan(0);
    expect(thisMonth.grossCollectionRate.current).toBeGreaterThan(0.3);
    expect(thisMonth.grossCollectionRate.current).toBeLessThan(1);
    const cardInvoices = await database.db.payment.findMany({
      where: { organizationId, methodType: "card" },
      select: { invoice: { select: { finalizedAt: true } } },
    });
    expect(cardInvoices.length).toBeGreaterThan(0);
    for (const { invoice } of cardInvoices) expect(Date.now() - invoice!.finalizedAt!.getTime()).toBeLessThan(86_400_000);
    const months = await getAnalyticsReport(database.db, { organizationId, report: "summary", query: { preset: "last_90_days", granularity: "month" } });
    // Whole months only: the window's first bucket starts mid-month (clipped to 90 days ago) and its
    // last is this month so far; in either, checks for invoices billed earlier can outweigh the few
    // days of charges it holds. Ninety days always hold two whole months.
    const wholeMonths = months.series.slice(0, -1).filter((month) => month.start.endsWith("-01"));
    expect(wholeMonths.length).toBeGreaterThanOrEqual(2);
    for (const month of wholeMonths) if (month.charges > 0) expect(month.collections).toBeLessThan(month.charges);
  });

  it("has two members charged today by the autopay engine and a payment plan on a card saved at the desk, each card with its consent", async () => {
    const db = database.db;
    expect((await db.membershipPlan.findMany({ where: { organizationId }, orderBy: { name: "asc" } })).map((plan) => [plan.name, plan.interval])).toEqual([
      ["Annual wellness", "yearly"],
      ["Direct care", "monthly"],
    ]);
    const memberships = await db.patientMembership.findMany({ where: { organizationId }, include: { periods: { include: { invoice: true } } } });
    expect(memberships.map((membership) => membership.status)).toEqual(["active", "active"]);
    for (const membership of memberships) {
      expect(membership.periods).toHaveLength(1);
      expect(membership.periods[0]).toMatchObject({ status: "paid", invoice: { status: "paid" } });
    }
    const charges = await db.autopayCharge.findMany({ where: { organizationId } });
    expect(charges.map((charge) => [charge.subjectType, charge.status])).toEqual([
      ["membership_period", "succeeded"],
      ["membership_period", "succeeded"],
    ]);
    for (const charge of charges) expect(charge.consentId).not.toBeNull();
    const [plan] = await db.paymentPlan.findMany({ where: { organizationId }, include: { installments: true } });
    expect(plan).toMatchObject({ status: "active", installmentCount: 4, frequency: "monthly" });
    expect(plan!.installments.filter((row) => row.sequence > 0)).toHaveLength(4);
    const cards = await db.savedPaymentMethod.findMany({ where: { organizationId }, include: { consent: true } });
    expect(cards).toHaveLength(3);
    for (const card of cards) expect(card).toMatchObject({ source: "front_desk", isDefault: true, consent: { acceptedBy: "staff_on_behalf" } });
    expect(await checkLedger(db)).toEqual({
      allocationMismatches: [],
      unbalancedCurrencies: [],
      invoiceMismatches: [],
      patientCreditMismatches: [],
      claimMismatches: [],
    });
  });

  it("bills insurers: a practice, payers, coverages, and claims draft (its problem in words), ready and accepted by the clearinghouse emulator", async () => {
    const db = database.db;
    const patients = await db.patient.findMany({ where: { organizationId }, orderBy: { externalId: "asc" }, take: 5, select: { id: true } });
    const coverages = await Promise.all(patients.map((patient) => listPatientCoverages(db, { organizationId, patientId: patient.id })));
    expect(coverages.map((list) => list.length)).toEqual([1, 1, 1, 1, 1]);
    expect(coverages.flat().filter((coverage) => coverage.relationshipCode !== "18")).toHaveLength(1);
    expect(coverages.flat().filter((coverage) => coverage.benefits.source === "manual")).toHaveLength(1);
    expect(await getClearinghouseSettings(db, { organizationId })).toMatchObject({ connection: "sftp", sftpPort: clearinghouse.port, lastPollError: null });

    const { claims } = await listClaims(db, { organizationId, query: {} });
    expect(claims.map((claim) => claim.status).sort()).toEqual(["accepted", "accepted", "draft", "ready"]);
    const draft = await db.claim.findFirstOrThrow({ where: { organizationId, status: "draft" } });
    expect(JSON.stringify(draft.problems)).toContain("release of information");
    const accepted = await db.claim.findMany({ where: { organizationId, status: "accepted" } });
    for (const claim of accepted) expect(claim.payerClaimNumber).toMatch(/^PCN\d+$/);
    // One visit's charges wait for a claim.
    expect(await db.visit.count({ where: { organizationId, claims: { none: {} } } })).toBe(1);
  });

  it("is the same story on every run and is added only once", async () => {
    const again = await seedDemo(database.db);
    expect(again).toEqual({ organizationId, activity: null, recurring: null, insurance: null });
    expect(await database.db.patient.count({ where: { organizationId } })).toBe(PATIENT_NAMES.length);
    const names = (await database.db.patient.findMany({ where: { organizationId }, orderBy: { externalId: "asc" }, select: { firstName: true } })).map(
      (patient) => patient.firstName,
    );
    expect(names.slice(0, 3)).toEqual(["Maria", "James", "Aisha"]);
  });
});
