import { describe, expect, it } from "vitest";
import { createInvoice } from "@/lib/invoices/create-invoice";
import { finalizeInvoice } from "@/lib/invoices/finalize-invoice";
import { addTestMember, createTestOrganization, createTestPatient, testActor } from "@/tests/factories";
import { setupTestDatabase } from "@/tests/test-database";
import { getPaymentAllocationDetail } from "./get-payment-allocation-detail";
import { recordManualPayment } from "./record-manual-payment";

const database = setupTestDatabase();

describe("getPaymentAllocationDetail", () => {
  it("gives each invoice a payment paid with what it still owes now, and who recorded the payment", async () => {
    const org = await createTestOrganization(database.db);
    const staff = await addTestMember(database.db, { organizationId: org.organizationId, role: "billing" });
    const actor = testActor(staff.userId);
    const patient = await createTestPatient(database.db, { organizationId: org.organizationId });
    const invoiceIds: string[] = [];
    for (const unitAmount of [3_000, 5_000]) {
      const draft = await createInvoice(database.db, {
        organizationId: org.organizationId,
        actor,
        input: { patientId: patient.id, lines: [{ description: "Visit", quantity: 1, unitAmount }] },
      });
      await finalizeInvoice(database.db, { organizationId: org.organizationId, invoiceId: draft.id, actor });
      invoiceIds.push(draft.id);
    }
    const payment = await recordManualPayment(database.db, {
      organizationId: org.organizationId,
      actor,
      input: { patientId: patient.id, method: "cash", amount: 5_000 },
    });

    const detail = await getPaymentAllocationDetail(database.db, { organizationId: org.organizationId, paymentId: payment.id });
    expect(detail).toMatchObject({ payment: { id: payment.id, source: "manual", methodType: "cash", amountReceived: 5_000 }, recordedByName: "Test billing" });
    expect(
      detail!.allocations.map((allocation) => [allocation.invoiceId, allocation.amount, allocation.invoice?.status, allocation.invoice?.amountDue]),
    ).toEqual([
      [invoiceIds[0], 3_000, "paid", 0],
      [invoiceIds[1], 2_000, "partially_paid", 3_000],
    ]);

    const other = await createTestOrganization(database.db);
    expect(await getPaymentAllocationDetail(database.db, { organizationId: other.organizationId, paymentId: payment.id })).toBeNull();
  });
});
