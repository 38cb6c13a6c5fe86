import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { createApiKey } from "@/lib/api-keys/create-api-key";
import { createInvoice } from "@/lib/invoices/create-invoice";
import { finalizeInvoice } from "@/lib/invoices/finalize-invoice";
import { extractPdfText } from "@/lib/pdf/extract-pdf-text";
import { callRoute } from "@/tests/api-client";
import { createTestOrganization, createTestPatient, testActor } from "@/tests/factories";
import { setupTestDatabase } from "@/tests/test-database";
import * as openapi from "../openapi.json/route";
import * as payment from "./[id]/route";
import * as receipt from "./[id]/receipt/route";
import * as voidRoute from "./[id]/void/route";
import * as payments from "./route";

const database = setupTestDatabase();
const actor = testActor();

async function setupApi() {
  const org = await createTestOrganization(database.db);
  const key = await createApiKey(database.db, { organizationId: org.organizationId, actor: org.adminActor, input: { name: "Front desk sync" } });
  const patient = await createTestPatient(database.db, { organizationId: org.organizationId, firstName: "Casey", lastName: "Moreno" });
  const invoice = async (total: number, patientId = patient.id) => {
    const draft = await createInvoice(database.db, {
      organizationId: org.organizationId,
      actor,
      input: { patientId, lines: [{ description: "Visit", quantity: 1, unitAmount: total }] },
    });
    return finalizeInvoice(database.db, { organizationId: org.organizationId, invoiceId: draft.id, actor });
  };
  return { organizationId: org.organizationId, apiKey: key.secret, patient, invoice };
}

const post = (apiKey: string, body: unknown, headers: Record<string, string> = {}) =>
  callRoute(payments.POST, { method: "POST", path: "/api/v1/payments", apiKey, body, headers });
const list = (apiKey: string, query = "") => callRoute(payments.GET, { path: `/api/v1/payments${query}`, apiKey });

describe("REST API /api/v1/payments", () => {
  it("records a manual payment, reads it back with allocations, and voids it", async () => {
    const { organizationId, apiKey, patient, invoice } = await setupApi();
    const first = await invoice(10_000);
    const second = await invoice(5_000);

    const created = await post(apiKey, {
      patientId: patient.id,
      method: "check",
      reference: "2201",
      amount: 12_000,
      allocations: [
        { invoiceId: first.id, amount: 10_000 },
        { invoiceId: second.id, amount: 2_000 },
      ],
    });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({
      status: "succeeded",
      source: "manual",
      method: "check",
      reference: "2201",
      amount: 12_000,
      appliedAmount: 12_000,
      creditAmount: 0,
      invoiceId: first.id,
      patientId: patient.id,
      refunds: [],
      disputes: [],
    });
    const id = created.json!.id as string;

    const read = await callRoute(payment.GET, { path: `/api/v1/payments/${id}`, params: { id }, apiKey });
    expect(read.status).toBe(200);
    expect(read.json!.allocations).toEqual(
      expect.arrayContaining([
        { invoiceId: first.id, invoiceNumber: first.number, amount: 10_000 },
        { invoiceId: second.id, invoiceNumber: second.number, amount: 2_000 },
      ]),
    );
    expect(JSON.stringify(read.json)).not.toContain("Moreno");

    const voided = await callRoute(voidRoute.POST, {
      method: "POST",
      path: `/api/v1/payments/${id}/void`,
      params: { id },
      apiKey,
      body: { reason: "Entered twice" },
    });
    expect(voided.status).toBe(200);
    expect(voided.json).toMatchObject({ status: "voided", voidReason: "Entered twice" });
    const again = await callRoute(voidRoute.POST, {
      method: "POST",
      path: `/api/v1/payments/${id}/void`,
      params: { id },
      apiKey,
      body: { reason: "Entered twice" },
    });
    expect(again.status).toBe(409);
    const noReason = await callRoute(voidRoute.POST, { method: "POST", path: `/api/v1/payments/${id}/void`, params: { id }, apiKey, body: {} });
    expect(noReason.status).toBe(422);
    expect(await database.db.invoice.findUniqueOrThrow({ where: { id: first.id } })).toMatchObject({ status: "open", amountDue: 10_000 });
    expect(await database.db.auditEvent.count({ where: { organizationId, action: "payment.voided", actorLabel: "api-key:Front desk sync" } })).toBe(1);
  });

  it("answers 422 with field messages for bad bodies, 404 for unknown ids, 409 for wrong states", async () => {
    const { apiKey, patient, invoice } = await setupApi();
    const only = await invoice(10_000);
    const zero = await post(apiKey, { patientId: patient.id, method: "cash", amount: 0, invoiceId: only.id });
    expect(zero.status).toBe(422);
    expect(zero.json!.error!.fields).toMatchObject({ amount: ["Enter an amount greater than zero."] });
    const check = await post(apiKey, { patientId: patient.id, method: "check", amount: 100, invoiceId: only.id });
    expect(check.json!.error!.fields).toMatchObject({ reference: ["Enter the check number."] });
    const future = await post(apiKey, { patientId: patient.id, method: "cash", amount: 100, invoiceId: only.id, receivedOn: "2999-12-31" });
    expect(future.status).toBe(422);
    expect(future.json!.error!.fields).toMatchObject({ receivedOn: ["The date received cannot be in the future."] });
    const excess = await post(apiKey, { patientId: patient.id, method: "cash", amount: 10_001, invoiceId: only.id });
    expect(excess.status).toBe(422);
    expect(excess.json!.error!.fields!.amount![0]).toContain("more than the patient owes");
    const malformed = await callRoute(payments.POST, {
      method: "POST",
      path: "/api/v1/payments",
      apiKey,
      rawBody: "{",
      headers: { "content-type": "application/json" },
    });
    expect(malformed.status).toBe(400);

    const other = await setupApi();
    const foreign = await other.invoice(1_000);
    expect((await post(apiKey, { patientId: patient.id, method: "cash", amount: 100, invoiceId: foreign.id })).status).toBe(404);
    expect((await post(apiKey, { patientId: other.patient.id, method: "cash", amount: 100 })).status).toBe(404);
    expect((await callRoute(payment.GET, { path: "/api/v1/payments/nope", params: { id: "nope" }, apiKey })).status).toBe(404);

    const paid = await post(apiKey, { patientId: patient.id, method: "cash", amount: 10_000, invoiceId: only.id });
    const otherKeyRead = await callRoute(payment.GET, {
      path: `/api/v1/payments/${paid.json!.id}`,
      params: { id: paid.json!.id as string },
      apiKey: other.apiKey,
    });
    expect(otherKeyRead.status).toBe(404);
    expect((await post(apiKey, { patientId: patient.id, method: "cash", amount: 100, invoiceId: only.id })).status).toBe(409);
    expect((await post("cb_not_a_key", { patientId: patient.id, method: "cash", amount: 100 })).status).toBe(401);
  });

  it("replays an Idempotency-Key instead of recording the payment twice", async () => {
    const { organizationId, apiKey, patient, invoice } = await setupApi();
    const only = await invoice(10_000);
    const body = { patientId: patient.id, method: "cash", amount: 4_000, invoiceId: only.id };
    const headers = { "idempotency-key": "desk-1-payment-77" };
    const first = await post(apiKey, body, headers);
    const second = await post(apiKey, body, headers);
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.json).toEqual(first.json);
    expect(second.headers.get("idempotent-replayed")).toBe("true");
    expect(await database.db.payment.count({ where: { organizationId } })).toBe(1);
    expect((await post(apiKey, { ...body, amount: 5_000 }, headers)).status).toBe(409);
    expect(await database.db.invoice.findUniqueOrThrow({ where: { id: only.id } })).toMatchObject({ amountDue: 6_000 });
  });

  it("lists payments with filters and cursor pagination", async () => {
    const { apiKey, patient, invoice, organizationId } = await setupApi();
    const first = await invoice(10_000);
    const other = await createTestPatient(database.db, { organizationId });
    const theirs = await invoice(10_000, other.id);
    const cash = await post(apiKey, { patientId: patient.id, method: "cash", amount: 1_000, invoiceId: first.id });
    const check = await post(apiKey, { patientId: patient.id, method: "check", reference: "77", amount: 2_000, invoiceId: first.id });
    const transfer = await post(apiKey, { patientId: other.id, method: "bank_transfer", reference: "T-1", amount: 3_000, invoiceId: theirs.id });
    await callRoute(voidRoute.POST, { method: "POST", path: "/x", params: { id: cash.json!.id as string }, apiKey, body: { reason: "Mistake" } });
    const ids = (response: Awaited<ReturnType<typeof list>>) => (response.json!.data as { id: string }[]).map((item) => item.id);

    const all = await list(apiKey);
    expect(all.status).toBe(200);
    expect(ids(all)).toEqual([transfer.json!.id, check.json!.id, cash.json!.id]);
    expect((all.json!.data as Record<string, unknown>[])[0]).toMatchObject({
      method: "bank_transfer",
      reference: "T-1",
      patientId: other.id,
      invoiceId: theirs.id,
    });
    expect(JSON.stringify(all.json)).not.toMatch(/"name"|"patient"/);
    expect(ids(await list(apiKey, "?status=voided"))).toEqual([cash.json!.id]);
    expect(ids(await list(apiKey, "?method=check"))).toEqual([check.json!.id]);
    expect(ids(await list(apiKey, "?source=manual"))).toHaveLength(3);
    expect(ids(await list(apiKey, "?source=pay_page"))).toEqual([]);
    expect(ids(await list(apiKey, `?patientId=${other.id}`))).toEqual([transfer.json!.id]);
    expect(ids(await list(apiKey, `?invoiceId=${first.id}`))).toEqual([check.json!.id, cash.json!.id]);
    expect(ids(await list(apiKey, `?createdFrom=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`))).toEqual([]);
    expect(ids(await list(apiKey, `?createdTo=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`))).toHaveLength(3);

    const page1 = await list(apiKey, "?limit=2");
    expect(ids(page1)).toHaveLength(2);
    const page2 = await list(apiKey, `?limit=2&cursor=${page1.json!.nextCursor}`);
    expect(ids(page2)).toEqual([cash.json!.id]);
    expect(page2.json!.nextCursor).toBeNull();
    const bad = await list(apiKey, "?method=bitcoin&limit=500");
    expect(bad.status).toBe(422);
    expect(Object.keys(bad.json!.error!.fields!)).toEqual(expect.arrayContaining(["method", "limit"]));
  });

  it("serves the receipt PDF (audited) and lists the payment paths in the OpenAPI document", async () => {
    const { organizationId, apiKey, patient, invoice } = await setupApi();
    const only = await invoice(10_000);
    const created = await post(apiKey, { patientId: patient.id, method: "cash", amount: 12_500, invoiceId: only.id, keepExcessAsCredit: true });
    const id = created.json!.id as string;
    // The receipt's number in the organization's sequence, and what was refunded (succeeded refunds only).
    expect(created.json).toMatchObject({ receiptNumber: expect.stringMatching(/^RCT-\d{5}$/), refundedAmount: 0, amountRefunded: 0 });
    const response = await receipt.GET(
      new NextRequest(`http://localhost:3000/api/v1/payments/${id}/receipt`, { headers: { authorization: `Bearer ${apiKey}` } }),
      { params: Promise.resolve({ id }) },
    );
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/pdf");
    const text = extractPdfText(new Uint8Array(await response.arrayBuffer()));
    expect(text).toContain("Casey Moreno");
    expect(text).toMatch(/Amount paid\s+\$125\.00/);
    expect(text).toMatch(/Kept as credit\s+\$25\.00/);
    expect(await database.db.auditEvent.count({ where: { organizationId, action: "payment.receipt_viewed", targetId: id } })).toBe(1);

    const document = (await callRoute(openapi.GET, { path: "/api/v1/openapi.json" })).json!;
    const { validate } = await import("@readme/openapi-parser");
    const result = await validate(structuredClone(document) as never);
    expect(result.valid, JSON.stringify(result)).toBe(true);
    expect(Object.keys(document.paths as object)).toEqual(
      expect.arrayContaining(["/payments", "/payments/{id}", "/payments/{id}/void", "/payments/{id}/receipt"]),
    );
    const summary = (document.components as { schemas: Record<string, { properties: Record<string, { description?: string }>; required?: string[] }> }).schemas
      .PaymentSummary!;
    expect(summary.properties.receiptNumber?.description).toContain("RCT-00001");
    expect(summary.properties.refundedAmount?.description).toContain("succeeded only");
    expect(summary.required).toEqual(expect.arrayContaining(["receiptNumber", "refundedAmount"]));
  });
});
