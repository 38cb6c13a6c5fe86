import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getTrialBalance } from "@/lib/ledger/balances";
import { recordManualPayment } from "@/lib/payments/record-manual-payment";
import { payByCard } from "@/tests/card-payments";
import { createTestOpenInvoice, createTestOrganization, createTestPatient, testActor } from "@/tests/factories";
import { startTestStripe, type TestStripe } from "@/tests/stripe";
import { setupTestDatabase } from "@/tests/test-database";
import { REPORT_NAMES } from "./analytics.types";
import { getAnalyticsReport } from "./get-analytics-report";

const database = setupTestDatabase();
let stripe: TestStripe;
beforeAll(async () => {
  stripe = await startTestStripe();
});
afterAll(async () => {
  await stripe.close();
});

describe("analytics reports (smoke)", () => {
  it("answers every report from the ledger", async () => {
    const org = await createTestOrganization(database.db);
    const patient = await createTestPatient(database.db, { organizationId: org.organizationId });
    const now = new Date();
    const today = now.toISOString().slice(0, 10);
    const a = await createTestOpenInvoice(database.db, { organizationId: org.organizationId, patientId: patient.id, total: 10_000, issuedOn: today });
    await createTestOpenInvoice(database.db, { organizationId: org.organizationId, patientId: patient.id, total: 5_000, issuedOn: today });
    await recordManualPayment(database.db, {
      organizationId: org.organizationId,
      actor: testActor(org.adminUserId),
      input: { patientId: patient.id, method: "cash", amount: 3_000, receivedOn: today },
    });
    await payByCard(database.db, stripe.stripe, { organizationId: org.organizationId, invoiceId: a.id, amount: 2_000 });
    const query = { from: "2026-01-01", to: "2026-12-31", granularity: "month" as const };
    for (const report of REPORT_NAMES) {
      const result = await getAnalyticsReport(database.db, { organizationId: org.organizationId, report, query, now: new Date("2026-12-31T12:00:00Z") });
      expect(result).toBeTruthy();
    }
    const summary = await getAnalyticsReport(database.db, { organizationId: org.organizationId, report: "summary", query });
    const ar = (await getTrialBalance(database.db, org.organizationId)).find((row) => row.code === "1100")!.balance;
    expect(summary.charges.current).toBe(15_000);
    expect(summary.collections.current).toBe(5_000);
    expect(summary.receivables.amount).toBe(ar);
    expect(ar).toBe(10_000);
    const aging = await getAnalyticsReport(database.db, { organizationId: org.organizationId, report: "aging", query });
    expect(aging.total.amount).toBe(ar);
    const services = await getAnalyticsReport(database.db, { organizationId: org.organizationId, report: "services", query });
    expect(services.byNetCharges[0]).toMatchObject({ description: "Visit", netCharges: 15_000, collections: 5_000, lines: 2 });
    const payments = await getAnalyticsReport(database.db, { organizationId: org.organizationId, report: "payments", query });
    expect(payments.attempted.current).toBe(1);
    expect(payments.succeeded.current).toBe(1);
  });
});
