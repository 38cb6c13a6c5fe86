import { describe, expect, it } from "vitest";
import { createApiKey } from "@/lib/api-keys/create-api-key";
import { AppError } from "@/lib/errors";
import { callRoute } from "@/tests/api-client";
import { createTestOrganization, createTestPatient, testActor } from "@/tests/factories";
import { setupTestDatabase } from "@/tests/test-database";
import * as invoiceRoute from "@/app/api/v1/invoices/[id]/route";
import { createInvoice } from "./create-invoice";
import { deleteDraftInvoice } from "./delete-draft-invoice";
import { finalizeAndSendInvoice } from "./finalize-and-send-invoice";
import { finalizeInvoice } from "./finalize-invoice";
import { sendInvoice } from "./send-invoice";

const database = setupTestDatabase();
const actor = testActor();

async function setupClinic(options: { email?: string | null } = {}) {
  const org = await createTestOrganization(database.db);
  const patient = await createTestPatient(database.db, {
    organizationId: org.organizationId,
    firstName: "Tomas",
    lastName: "Lindqvist",
    ...(options.email !== null ? { email: options.email ?? "tomas@example.test" } : {}),
  });
  const draft = () =>
    createInvoice(database.db, {
      organizationId: org.organizationId,
      actor,
      input: { patientId: patient.id, lines: [{ description: "Annual physical", quantity: 1, unitAmount: 18_500 }] },
    });
  return { ...org, patient, draft };
}

async function refusal(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error("expected the operation to be refused");
}

describe("finalize and send", () => {
  it("numbers and opens the draft, then emails the pay link and PDF", async () => {
    const { organizationId, draft } = await setupClinic();
    const invoice = await draft();

    const outcome = await finalizeAndSendInvoice(database.db, { organizationId, invoiceId: invoice.id, actor });

    expect(outcome.sent).toBe(true);
    expect(outcome.invoice).toMatchObject({ status: "open", number: "INV-00001" });
    expect(outcome.invoice.sentAt).not.toBeNull();
    const emails = await database.db.email.findMany({ where: { invoiceId: invoice.id } });
    expect(emails).toHaveLength(1);
    expect(emails[0]).toMatchObject({ kind: "invoice", toAddress: "tomas@example.test", subject: expect.stringContaining("INV-00001") });
    expect(emails[0]!.text).toMatch(/Pay online: http/);
    const actions = (await database.db.auditEvent.findMany({ where: { organizationId, targetId: invoice.id }, orderBy: { createdAt: "asc" } })).map(
      (event) => event.action,
    );
    expect(actions).toEqual(expect.arrayContaining(["invoice.finalized", "invoice.sent"]));
  });

  it("a send that fails after the finalize leaves the invoice finalized and says why; Send works once fixed", async () => {
    const { organizationId, patient, draft } = await setupClinic({ email: null });
    const invoice = await draft();

    const outcome = await finalizeAndSendInvoice(database.db, { organizationId, invoiceId: invoice.id, actor });

    expect(outcome).toMatchObject({
      sent: false,
      invoice: { status: "open", number: "INV-00001", sentAt: null },
      sendError: { code: "VALIDATION_FAILED", message: "This patient has no email address. Add one to send the invoice." },
    });
    expect(await database.db.invoice.findUniqueOrThrow({ where: { id: invoice.id }, select: { status: true, number: true } })).toEqual({
      status: "open",
      number: "INV-00001",
    });
    expect(await database.db.email.count({ where: { invoiceId: invoice.id } })).toBe(0);

    await database.db.patient.update({ where: { id: patient.id }, data: { email: "tomas@example.test" } });
    const sent = await sendInvoice(database.db, { organizationId, invoiceId: invoice.id, actor });
    expect(sent.sentAt).not.toBeNull();
  });

  it("a failed finalize changes nothing (another clinic's draft, an invoice already finalized)", async () => {
    const { organizationId, draft } = await setupClinic();
    const other = await setupClinic();
    const invoice = await draft();
    expect((await refusal(finalizeAndSendInvoice(database.db, { organizationId: other.organizationId, invoiceId: invoice.id, actor }))).code).toBe("NOT_FOUND");
    await finalizeInvoice(database.db, { organizationId, invoiceId: invoice.id, actor });
    expect((await refusal(finalizeAndSendInvoice(database.db, { organizationId, invoiceId: invoice.id, actor }))).code).toBe("CONFLICT");
    expect(await database.db.email.count({ where: { invoiceId: invoice.id } })).toBe(0);
  });
});

describe("deleting a draft", () => {
  it("deletes a draft never finalized with its lines, and keeps what it held in the audit log", async () => {
    const { organizationId, draft } = await setupClinic();
    const invoice = await draft();

    expect(await deleteDraftInvoice(database.db, { organizationId, invoiceId: invoice.id, actor })).toMatchObject({ id: invoice.id });

    expect(await database.db.invoice.findUnique({ where: { id: invoice.id } })).toBeNull();
    expect(await database.db.invoiceLine.count({ where: { invoiceId: invoice.id } })).toBe(0);
    const audit = await database.db.auditEvent.findFirstOrThrow({ where: { organizationId, action: "invoice.draft_deleted", targetId: invoice.id } });
    expect(audit.before).toMatchObject({ total: 18_500, lines: [{ description: "Annual physical", quantity: 1, unitAmount: 18_500 }] });
    // The next finalize still gets the first number: deleting a draft leaves no gap.
    const next = await draft();
    expect((await finalizeInvoice(database.db, { organizationId, invoiceId: next.id, actor })).number).toBe("INV-00001");
  });

  it("refuses numbered invoices (409), other clinics' drafts (404) and drafts with anything on record (409)", async () => {
    const { organizationId, draft } = await setupClinic();
    const other = await setupClinic();
    const numbered = await draft();
    await finalizeInvoice(database.db, { organizationId, invoiceId: numbered.id, actor });
    expect(await refusal(deleteDraftInvoice(database.db, { organizationId, invoiceId: numbered.id, actor }))).toEqual({
      code: "CONFLICT",
      message: "Invoice INV-00001 is open, so it cannot be deleted. Void it instead.",
    });

    const mine = await draft();
    expect((await refusal(deleteDraftInvoice(database.db, { organizationId: other.organizationId, invoiceId: mine.id, actor }))).code).toBe("NOT_FOUND");
    expect(await database.db.invoice.count({ where: { id: { in: [numbered.id, mine.id] } } })).toBe(2);

    // Anything on record about a draft (here an email written for it) keeps it: it cannot be deleted.
    const mentioned = await draft();
    await database.db.email.create({
      data: {
        organizationId,
        invoiceId: mentioned.id,
        kind: "invoice",
        toAddress: "tomas@example.test",
        subject: "Your visit",
        text: "Hello",
        html: "<p>Hello</p>",
      },
    });
    expect(await refusal(deleteDraftInvoice(database.db, { organizationId, invoiceId: mentioned.id, actor }))).toEqual({
      code: "CONFLICT",
      message: "This draft has payments, links or emails on record, so it cannot be deleted.",
    });
    expect(await database.db.invoice.count({ where: { id: mentioned.id } })).toBe(1);
  });

  it("REST: DELETE /api/v1/invoices/{id} answers 204 for a draft, 409 for a finalized invoice, 404 for another clinic's", async () => {
    const { organizationId, adminActor, draft } = await setupClinic();
    const other = await setupClinic();
    const key = await createApiKey(database.db, { organizationId, actor: adminActor, input: { name: "EHR" } });
    const remove = (id: string) => callRoute(invoiceRoute.DELETE, { method: "DELETE", path: `/api/v1/invoices/${id}`, params: { id }, apiKey: key.secret });

    const invoice = await draft();
    expect((await remove(invoice.id)).status).toBe(204);
    expect((await remove(invoice.id)).status).toBe(404);

    const finalized = await draft();
    await finalizeInvoice(database.db, { organizationId, invoiceId: finalized.id, actor });
    const conflict = await remove(finalized.id);
    expect(conflict.status).toBe(409);
    expect(conflict.json!.error!.message).toMatch(/cannot be deleted/);

    const theirs = await other.draft();
    expect((await remove(theirs.id)).status).toBe(404);
  });
});
