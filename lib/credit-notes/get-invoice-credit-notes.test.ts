import { describe, expect, it } from "vitest";
import { createInvoice } from "@/lib/invoices/create-invoice";
import { recordManualPayment } from "@/lib/payments/record-manual-payment";
import { createOpenInvoice } from "@/tests/card-payments";
import { createTestOrganization, testActor } from "@/tests/factories";
import { setupTestDatabase } from "@/tests/test-database";
import { getInvoiceCreditNotes } from "./get-invoice-credit-notes";
import { issueCreditNote } from "./issue-credit-note";

const database = setupTestDatabase();
const actor = testActor();

describe("getInvoiceCreditNotes", () => {
  it("lists an open invoice's credit notes with what may still be credited from its balance, nothing from what was paid", async () => {
    const { organizationId, invoiceId } = await createOpenInvoice(database.db, { unitAmount: 10_000 });
    await issueCreditNote(database.db, { organizationId, invoiceId, actor, input: { amount: 2_500, reason: "Courtesy discount" } });
    const credit = await getInvoiceCreditNotes(database.db, { organizationId, invoiceId });
    expect(credit).toMatchObject({ invoice: { id: invoiceId, status: "open", currency: "USD" }, fromBalance: 7_500, fromPaid: 0 });
    expect(credit!.creditNotes.map((note) => [note.number, note.amount])).toEqual([["CN-00001", 2_500]]);
  });

  it("offers what was paid only once the invoice is (partly) paid", async () => {
    const { organizationId, invoiceId, patient } = await createOpenInvoice(database.db, { unitAmount: 10_000 });
    await recordManualPayment(database.db, { organizationId, actor, input: { patientId: patient.id, invoiceId, method: "cash", amount: 4_000 } });
    expect(await getInvoiceCreditNotes(database.db, { organizationId, invoiceId })).toMatchObject({
      invoice: { status: "partially_paid" },
      fromBalance: 6_000,
      fromPaid: 4_000,
    });
  });

  it("is null for a draft and for another organization's invoice", async () => {
    const { organizationId, invoiceId, patient } = await createOpenInvoice(database.db);
    const draft = await createInvoice(database.db, {
      organizationId,
      actor,
      input: { patientId: patient.id, lines: [{ description: "Visit", quantity: 1, unitAmount: 5_000 }] },
    });
    expect(await getInvoiceCreditNotes(database.db, { organizationId, invoiceId: draft.id })).toBeNull();
    const other = await createTestOrganization(database.db);
    expect(await getInvoiceCreditNotes(database.db, { organizationId: other.organizationId, invoiceId })).toBeNull();
  });
});
