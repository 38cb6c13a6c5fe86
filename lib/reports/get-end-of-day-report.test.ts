import { describe, expect, it } from "vitest";
import { recordManualPayment } from "@/lib/payments/record-manual-payment";
import type { TRecordManualPaymentInput } from "@/lib/payments/manual-payments.types";
import { voidManualPayment } from "@/lib/payments/void-manual-payment";
import { addTestMember, createTestOpenInvoice, createTestOrganization, createTestPatient, testActor } from "@/tests/factories";
import { setupTestDatabase } from "@/tests/test-database";
import { getEndOfDayReport } from "./get-end-of-day-report";

const database = setupTestDatabase();
const actor = testActor();
const NOW = new Date("2026-03-10T18:00:00Z");

async function setupClinic() {
  const org = await createTestOrganization(database.db);
  const patient = await createTestPatient(database.db, { organizationId: org.organizationId, firstName: "Ines", lastName: "Ortega" });
  const invoice = (total: number) => createTestOpenInvoice(database.db, { organizationId: org.organizationId, patientId: patient.id, total });
  const pay = (by: { userId: string }, input: Omit<TRecordManualPaymentInput, "patientId">) =>
    recordManualPayment(database.db, {
      organizationId: org.organizationId,
      actor: testActor(by.userId),
      input: { patientId: patient.id, receivedOn: "2026-03-10", ...input },
      now: NOW,
    });
  return { ...org, patient, invoice, pay };
}

describe("end-of-day report", () => {
  it("counts one day's front-desk payments per staff member and method, with cash tendered and change; voided apart", async () => {
    const clinic = await setupClinic();
    const billing = await addTestMember(database.db, { organizationId: clinic.organizationId, role: "billing" });
    await database.db.user.update({ where: { id: billing.userId }, data: { name: "Bea Billing" } });
    const admin = { userId: clinic.adminUserId }; // "Ada Admin"

    const a = await clinic.invoice(8_840);
    const b = await clinic.invoice(5_000);
    const c = await clinic.invoice(20_000);
    const cash = await clinic.pay(billing, { method: "cash", cashTendered: 10_000, invoiceId: a.id });
    await clinic.pay(billing, { method: "check", reference: "1042", amount: 3_000, invoiceId: b.id });
    await clinic.pay(billing, { method: "cash", amount: 500, invoiceId: b.id });
    await clinic.pay(admin, { method: "card_terminal", amount: 4_000, invoiceId: c.id });
    await clinic.pay(admin, { method: "bank_transfer", reference: "TRX-77", amount: 1_500, invoiceId: c.id });
    await clinic.pay(admin, { method: "check", reference: "2200", amount: 2_000, invoiceId: c.id });
    const voided = await clinic.pay(admin, { method: "cash", cashTendered: 5_000, invoiceId: c.id });
    await voidManualPayment(database.db, { organizationId: clinic.organizationId, paymentId: voided.id, actor, input: { reason: "Wrong patient" } });
    // Another day and another clinic are not in it.
    await clinic.pay(admin, { method: "cash", amount: 700, invoiceId: c.id, receivedOn: "2026-03-09" });
    const other = await setupClinic();
    const otherInvoice = await other.invoice(9_000);
    await other.pay({ userId: other.adminUserId }, { method: "cash", cashTendered: 9_000, invoiceId: otherInvoice.id });

    const report = await getEndOfDayReport(database.db, { organizationId: clinic.organizationId, date: "2026-03-10" });

    expect(report.date).toBe("2026-03-10");
    expect(report.staff.map((section) => [section.staffName, section.payments.length])).toEqual([
      ["Ada Admin", 3],
      ["Bea Billing", 3],
    ]);
    const [adminSection, billingSection] = report.staff;
    expect(billingSection!.totals).toEqual([
      {
        currency: "USD",
        cash: { count: 2, tendered: 10_500, change: 1_160, net: 9_340 },
        check: { count: 1, amount: 3_000 },
        cardTerminal: { count: 0, amount: 0 },
        other: { count: 0, amount: 0 },
        total: { count: 3, amount: 12_340 },
      },
    ]);
    expect(adminSection!.totals).toEqual([
      {
        currency: "USD",
        cash: { count: 0, tendered: 0, change: 0, net: 0 },
        check: { count: 1, amount: 2_000 },
        cardTerminal: { count: 1, amount: 4_000 },
        other: { count: 1, amount: 1_500 },
        total: { count: 3, amount: 7_500 },
      },
    ]);
    expect(report.totals).toEqual([
      {
        currency: "USD",
        cash: { count: 2, tendered: 10_500, change: 1_160, net: 9_340 },
        check: { count: 2, amount: 5_000 },
        cardTerminal: { count: 1, amount: 4_000 },
        other: { count: 1, amount: 1_500 },
        total: { count: 6, amount: 19_840 },
      },
    ]);
    expect(report.checks.map((check) => [check.reference, check.amount, check.recordedByName])).toEqual([
      ["1042", 3_000, "Bea Billing"],
      ["2200", 2_000, "Ada Admin"],
    ]);
    expect(billingSection!.payments[0]).toMatchObject({
      id: cash.id,
      method: "cash",
      amount: 8_840,
      cashTendered: 10_000,
      changeGiven: 1_160,
      patientName: "Ines Ortega",
      invoiceNumbers: [a.number],
    });
    expect(report.voided).toHaveLength(1);
    expect(report.voided[0]).toMatchObject({ id: voided.id, voidReason: "Wrong patient", recordedByName: "Ada Admin" });
  });

  it("is empty for a day without front-desk payments, and for another clinic's payments", async () => {
    const clinic = await setupClinic();
    const invoice = await clinic.invoice(1_000);
    await clinic.pay({ userId: clinic.adminUserId }, { method: "cash", amount: 1_000, invoiceId: invoice.id });
    const other = await createTestOrganization(database.db);
    expect(await getEndOfDayReport(database.db, { organizationId: other.organizationId, date: "2026-03-10" })).toEqual({
      date: "2026-03-10",
      staff: [],
      checks: [],
      voided: [],
      totals: [],
    });
    expect((await getEndOfDayReport(database.db, { organizationId: clinic.organizationId, date: "2026-03-11" })).staff).toEqual([]);
  });
});
