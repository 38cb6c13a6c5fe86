import { describe, expect, it } from "vitest";
import { createApiKey } from "@/lib/api-keys/create-api-key";
import { createInvoice } from "@/lib/invoices/create-invoice";
import { finalizeInvoice } from "@/lib/invoices/finalize-invoice";
import { postJournal } from "@/lib/ledger/post-journal";
import { callRoute } from "@/tests/api-client";
import { createTestOrganization, createTestPatient, testActor } from "@/tests/factories";
import { setupTestDatabase } from "@/tests/test-database";
import * as applyCredit from "./invoices/[id]/apply-credit/route";
import * as markUncollectible from "./invoices/[id]/mark-uncollectible/route";
import * as reopen from "./invoices/[id]/reopen/route";
import * as openapi from "./openapi.json/route";
import * as patient from "./patients/[id]/route";

const database = setupTestDatabase();
const actor = testActor();

async function setup(credit: number) {
  const org = await createTestOrganization(database.db);
  const key = await createApiKey(database.db, { organizationId: org.organizationId, actor: org.adminActor, input: { name: "EHR sync" } });
  const { id: patientId } = await createTestPatient(database.db, { organizationId: org.organizationId });
  if (credit > 0) {
    // Money the clinic received and keeps as the patient's credit, posted as a journal.
    await database.db.$transaction((tx) =>
      postJournal(tx, {
        organizationId: org.organizationId,
        currency: "USD",
        kind: "test.credit_received",
        memo: "Cash kept as credit",
        source: { type: "patient", id: patientId },
        lines: [
          { account: "cash", amount: credit },
          { account: "patientCredit", amount: -credit, patientId },
        ],
      }),
    );
  }
  return { organizationId: org.organizationId, apiKey: key.secret, patientId };
}

async function openInvoice(organizationId: string, patientId: string, total: number) {
  const draft = await createInvoice(database.db, {
    organizationId,
    actor,
    input: { patientId, lines: [{ description: "Visit", quantity: 1, unitAmount: total }] },
  });
  return finalizeInvoice(database.db, { organizationId, invoiceId: draft.id, actor });
}

const post = (handler: typeof applyCredit.POST, path: string, id: string, apiKey: string, body?: unknown, headers?: Record<string, string>) =>
  callRoute(handler, { method: "POST", path, params: { id }, apiKey, body, headers });

describe("REST API: patient credit and write-offs", () => {
  it("POST /invoices/{id}/apply-credit applies as much as possible without a body, or the amount asked for", async () => {
    const { organizationId, apiKey, patientId } = await setup(5_000);
    const first = await openInvoice(organizationId, patientId, 3_000);
    const second = await openInvoice(organizationId, patientId, 4_000);

    const all = await post(applyCredit.POST, `/api/v1/invoices/${first.id}/apply-credit`, first.id, apiKey);
    expect(all.status).toBe(201);
    expect(all.json).toMatchObject({
      application: { amount: 3_000, automatic: false },
      invoice: { id: first.id, status: "paid", amountDue: 0 },
      creditRemaining: 2_000,
    });

    const tooMuch = await post(applyCredit.POST, `/api/v1/invoices/${second.id}/apply-credit`, second.id, apiKey, { amount: 2_500 });
    expect(tooMuch.status).toBe(422);
    expect(tooMuch.json!.error!.fields).toEqual({ amount: ["The patient has $20.00 credit; apply at most $20.00."] });
    for (const body of [{ amount: 0 }, { amount: "10.00" }, { amount: 10.5 }, { amount: 100, extra: true }]) {
      const invalid = await post(applyCredit.POST, `/api/v1/invoices/${second.id}/apply-credit`, second.id, apiKey, body);
      expect(invalid.status, JSON.stringify(body)).toBe(422);
    }

    const headers = { "idempotency-key": "apply-once" };
    const part = await post(applyCredit.POST, `/api/v1/invoices/${second.id}/apply-credit`, second.id, apiKey, { amount: 1_500 }, headers);
    expect(part.status).toBe(201);
    expect(part.json).toMatchObject({ invoice: { status: "partially_paid", amountDue: 2_500 }, creditRemaining: 500 });
    const replay = await post(applyCredit.POST, `/api/v1/invoices/${second.id}/apply-credit`, second.id, apiKey, { amount: 1_500 }, headers);
    expect(replay.status).toBe(201);
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect(await database.db.creditApplication.count({ where: { invoiceId: second.id } })).toBe(1);

    const paid = await post(applyCredit.POST, `/api/v1/invoices/${first.id}/apply-credit`, first.id, apiKey);
    expect(paid.status).toBe(409);
    const unknown = "00000000-0000-4000-8000-000000000000";
    expect((await post(applyCredit.POST, `/api/v1/invoices/${unknown}/apply-credit`, unknown, apiKey)).status).toBe(404);
    expect((await post(applyCredit.POST, "/api/v1/invoices/nope/apply-credit", "nope", apiKey)).status).toBe(404);

    const read = await callRoute(patient.GET, { path: `/api/v1/patients/${patientId}`, params: { id: patientId }, apiKey });
    expect(read.json).toMatchObject({ id: patientId, credit: [{ currency: "USD", balance: 500 }], balances: [{ currency: "USD", amountDue: 2_500 }] });
  });

  it("GET /patients/{id} lists no credit for a patient who has none", async () => {
    const { apiKey, patientId } = await setup(0);
    const read = await callRoute(patient.GET, { path: `/api/v1/patients/${patientId}`, params: { id: patientId }, apiKey });
    expect(read.status).toBe(200);
    expect(read.json!.credit).toEqual([]);
  });

  it("POST /invoices/{id}/mark-uncollectible writes off the rest and /reopen brings it back, once", async () => {
    const { organizationId, apiKey, patientId } = await setup(1_000);
    const invoice = await openInvoice(organizationId, patientId, 6_000);
    await post(applyCredit.POST, `/api/v1/invoices/${invoice.id}/apply-credit`, invoice.id, apiKey);

    const noReason = await post(markUncollectible.POST, `/api/v1/invoices/${invoice.id}/mark-uncollectible`, invoice.id, apiKey, {});
    expect(noReason.status).toBe(422);
    expect(noReason.json!.error!.fields).toHaveProperty("reason");
    const noBody = await callRoute(markUncollectible.POST, {
      method: "POST",
      path: `/api/v1/invoices/${invoice.id}/mark-uncollectible`,
      params: { id: invoice.id },
      apiKey,
    });
    expect(noBody.status).toBe(415);
    const earlyReopen = await post(reopen.POST, `/api/v1/invoices/${invoice.id}/reopen`, invoice.id, apiKey, { reason: "Nothing to reopen" });
    expect(earlyReopen.status).toBe(409);

    const written = await post(markUncollectible.POST, `/api/v1/invoices/${invoice.id}/mark-uncollectible`, invoice.id, apiKey, {
      reason: "Collections exhausted",
    });
    expect(written.status).toBe(200);
    expect(written.json).toMatchObject({ status: "uncollectible", amountWrittenOff: 5_000, amountDue: 0 });
    expect((await post(markUncollectible.POST, `/api/v1/invoices/${invoice.id}/mark-uncollectible`, invoice.id, apiKey, { reason: "Twice" })).status).toBe(409);

    const shortReason = await post(reopen.POST, `/api/v1/invoices/${invoice.id}/reopen`, invoice.id, apiKey, { reason: "x" });
    expect(shortReason.status).toBe(422);
    const reopened = await post(reopen.POST, `/api/v1/invoices/${invoice.id}/reopen`, invoice.id, apiKey, { reason: "Patient set up a plan" });
    expect(reopened.status).toBe(200);
    expect(reopened.json).toMatchObject({ status: "partially_paid", amountWrittenOff: 0, amountDue: 5_000, amountPaid: 1_000 });
    expect((await post(reopen.POST, `/api/v1/invoices/${invoice.id}/reopen`, invoice.id, apiKey, { reason: "Again please" })).status).toBe(409);

    const other = await setup(0);
    expect((await post(reopen.POST, `/api/v1/invoices/${invoice.id}/reopen`, invoice.id, other.apiKey, { reason: "Not ours" })).status).toBe(404);
    expect(
      (await callRoute(reopen.POST, { method: "POST", path: `/api/v1/invoices/${invoice.id}/reopen`, params: { id: invoice.id }, body: { reason: "No key" } }))
        .status,
    ).toBe(401);
  });

  it("describes the new operations in the OpenAPI document", async () => {
    const response = await callRoute(openapi.GET, { path: "/api/v1/openapi.json" });
    const document = response.json as { paths: Record<string, Record<string, { operationId: string }>>; components: { schemas: Record<string, unknown> } };
    expect(document.paths["/invoices/{id}/apply-credit"]!.post!.operationId).toBe("applyPatientCredit");
    expect(document.paths["/invoices/{id}/mark-uncollectible"]!.post!.operationId).toBe("markInvoiceUncollectible");
    expect(document.paths["/invoices/{id}/reopen"]!.post!.operationId).toBe("reopenInvoice");
    expect(document.components.schemas).toHaveProperty("CreditApplication");
    expect(document.components.schemas).toHaveProperty("PatientDetail");
  });
});
