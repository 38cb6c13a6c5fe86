import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { issueCreditNote } from "@/lib/credit-notes/issue-credit-note";
import { createInvoice } from "@/lib/invoices/create-invoice";
import { finalizeInvoice } from "@/lib/invoices/finalize-invoice";
import { createTestOrganization, createTestPatient, testActor } from "@/tests/factories";
import { setupTestDatabase } from "@/tests/test-database";
import { extractPdfText } from "./extract-pdf-text";
import { renderCreditNotePdf, viewCreditNotePdf } from "./render-credit-note-pdf";

const database = setupTestDatabase();
const actor = testActor();

describe("credit note PDF", () => {
  it("shows the clinic, the patient, the invoice and the exact credited amounts", async () => {
    const org = await createTestOrganization(database.db);
    await database.db.organization.update({
      where: { id: org.organizationId },
      data: { name: "Riverside Family Medicine", addressLine1: "42 Elm Street", city: "Portland", region: "OR", postalCode: "97205" },
    });
    const patient = await createTestPatient(database.db, {
      organizationId: org.organizationId,
      firstName: "Jordan",
      lastName: "Alvarez-Núñez",
      externalId: "MRN-1042",
    });
    const draft = await createInvoice(database.db, {
      organizationId: org.organizationId,
      actor,
      input: { patientId: patient.id, taxRate: 8.25, lines: [{ description: "Office visit", quantity: 1, unitAmount: 10_000 }] },
    });
    await finalizeInvoice(database.db, { organizationId: org.organizationId, invoiceId: draft.id, actor, now: new Date("2026-03-01T18:00:00Z") });
    const creditNote = await issueCreditNote(database.db, {
      organizationId: org.organizationId,
      invoiceId: draft.id,
      actor,
      input: { amount: 5_000, reason: "Courtesy discount for the long wait" },
    });

    const { filename, pdf } = await renderCreditNotePdf(database.db, { organizationId: org.organizationId, creditNoteId: creditNote.id });
    expect(filename).toBe("CN-00001.pdf");
    const text = extractPdfText(pdf);
    expect(text).toContain("CREDIT NOTE");
    expect(text).toContain("Riverside Family Medicine");
    expect(text).toMatch(/Jordan Alvarez-Núñez\s+CN-00001\s+\w{3} \d{1,2}, \d{4}\s+INV-00001/);
    expect(text).toContain("Patient ID MRN-1042");
    expect(text).toMatch(/Amount credited\s+\$50\.00/);
    expect(text).toContain("Courtesy discount for the long wait");
    expect(text).toMatch(/Credit before tax\s+\$46\.19/);
    expect(text).toMatch(/Tax credited\s+\$3\.81/);
    expect(text).toMatch(/Total credited\s+\$50\.00/);
    expect(text).toMatch(/Invoice INV-00001 total\s+\$108\.25/);
    expect(text).toContain("This amount is taken off what you owe on the invoice.");

    await viewCreditNotePdf(database.db, { organizationId: org.organizationId, creditNoteId: creditNote.id, actor });
    expect(await database.db.auditEvent.count({ where: { action: "credit_note.pdf_viewed", targetId: creditNote.id } })).toBe(1);

    const other = await createTestOrganization(database.db);
    const error = await renderCreditNotePdf(database.db, { organizationId: other.organizationId, creditNoteId: creditNote.id }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe("NOT_FOUND");
  });
});
