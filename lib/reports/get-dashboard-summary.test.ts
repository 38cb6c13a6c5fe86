import { describe, expect, it } from "vitest";
import { createInvoice } from "@/lib/invoices/create-invoice";
import { finalizeInvoice } from "@/lib/invoices/finalize-invoice";
import { createTestOrganization, createTestPatient, testActor } from "@/tests/factories";
import { setupTestDatabase } from "@/tests/test-database";
import { getDashboardSummary } from "./get-dashboard-summary";

const database = setupTestDatabase();
const actor = testActor();

describe("getDashboardSummary", () => {
  it("adds up what is outstanding and overdue, and counts drafts, for one organization only", async () => {
    const { organizationId } = await createTestOrganization(database.db);
    const other = await createTestOrganization(database.db);
    const patient = await createTestPatient(database.db, { organizationId });
    const otherPatient = await createTestPatient(database.db, { organizationId: other.organizationId });
    const make = async (org: string, patientId: string, amount: number, dueDate?: string, finalize = true) => {
      const draft = await createInvoice(database.db, {
        organizationId: org,
        actor,
        input: { patientId, dueDate, lines: [{ description: "Visit", quantity: 1, unitAmount: amount }] },
      });
      if (finalize) await finalizeInvoice(database.db, { organizationId: org, invoiceId: draft.id, actor });
    };
    await make(organizationId, patient.id, 10_000);
    await make(organizationId, patient.id, 2_500, "2020-01-01");
    await make(organizationId, patient.id, 700, undefined, false);
    await make(other.organizationId, otherPatient.id, 99_000);
    expect(await getDashboardSummary(database.db, { organizationId })).toEqual({
      currency: "USD",
      outstanding: { amount: 12_500, count: 2 },
      overdue: { amount: 2_500, count: 1 },
      collectedThisMonth: { amount: 0, count: 0 },
      refundedThisMonth: { amount: 0, count: 0 },
      drafts: 1,
    });
  });
});
