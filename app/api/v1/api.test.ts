import { describe, expect, it } from "vitest";
import { createApiKey } from "@/lib/api-keys/create-api-key";
import { revokeApiKey } from "@/lib/api-keys/revoke-api-key";
import { callRoute } from "@/tests/api-client";
import { createTestOrganization } from "@/tests/factories";
import { setupTestDatabase } from "@/tests/test-database";
import * as invoice from "./invoices/[id]/route";
import * as finalize from "./invoices/[id]/finalize/route";
import * as send from "./invoices/[id]/send/route";
import * as voidRoute from "./invoices/[id]/void/route";
import * as invoices from "./invoices/route";
import * as ledgerExport from "./ledger/export/route";
import * as paymentLink from "./invoices/[id]/payment-link/route";
import * as pdf from "./invoices/[id]/pdf/route";
import * as openapi from "./openapi.json/route";
import * as patient from "./patients/[id]/route";
import * as patients from "./patients/route";

const database = setupTestDatabase();

async function setupApi() {
  const org = await createTestOrganization(database.db);
  const key = await createApiKey(database.db, { organizationId: org.organizationId, actor: org.adminActor, input: { name: "EHR sync" } });
  return { org, apiKey: key.secret, keyId: key.id };
}

const lines = [
  { description: "New patient visit", serviceCode: "99203", quantity: 1, unitAmount: 18000 },
  { description: "Venipuncture", serviceCode: "36415", quantity: 1, unitAmount: 2500 },
  { description: "Lab handling", quantity: 2, unitAmount: 750, taxExempt: true },
];

describe("REST API /api/v1", () => {
  it("bills a patient end to end: create patient, create invoice, finalize, send, read back", async () => {
    const { apiKey } = await setupApi();
    const created = await callRoute(patients.POST, {
      method: "POST",
      path: "/api/v1/patients",
      apiKey,
      body: { firstName: "Jamie", lastName: "Rivera", email: "jamie@example.test", externalId: "MRN-55" },
    });
    expect(created.status).toBe(201);
    const patientId = created.json!.id as string;

    const draft = await callRoute(invoices.POST, {
      method: "POST",
      path: "/api/v1/invoices",
      apiKey,
      body: { patientId, taxRate: 8.25, discount: { amount: 1000 }, lines },
    });
    expect(draft.status).toBe(201);
    expect(draft.json).toMatchObject({ status: "draft", number: null, subtotal: 22000, discountTotal: 1000, currency: "USD" });
    const invoiceId = draft.json!.id as string;

    const finalized = await callRoute(finalize.POST, { method: "POST", path: `/api/v1/invoices/${invoiceId}/finalize`, params: { id: invoiceId }, apiKey });
    expect(finalized.status).toBe(200);
    expect(finalized.json).toMatchObject({ status: "open", number: "INV-00001" });
    expect(finalized.json!.amountDue).toBe(finalized.json!.total);

    const sent = await callRoute(send.POST, { method: "POST", path: `/api/v1/invoices/${invoiceId}/send`, params: { id: invoiceId }, apiKey });
    expect(sent.status).toBe(200);
    expect(sent.json!.sentAt).toEqual(expect.any(String));
    expect(await database.db.email.count({ where: { invoiceId, status: "queued" } })).toBe(1);

    const link = await callRoute(paymentLink.POST, { method: "POST", path: `/api/v1/invoices/${invoiceId}/payment-link`, params: { id: invoiceId }, apiKey });
    expect(link.status).toBe(201);
    expect(link.json).toEqual({ url: expect.stringMatching(/\/pay\/[0-9A-Za-z]{12}$/), expiresAt: expect.any(String) });

    const { NextRequest } = await import("next/server");
    const pdfResponse = await pdf.GET(
      new NextRequest(`http://localhost:3000/api/v1/invoices/${invoiceId}/pdf`, { headers: { authorization: `Bearer ${apiKey}` } }),
      { params: Promise.resolve({ id: invoiceId }) },
    );
    expect(pdfResponse.status).toBe(200);
    expect(pdfResponse.headers.get("content-type")).toBe("application/pdf");
    const pdfBytes = Buffer.from(await pdfResponse.arrayBuffer());
    expect(pdfBytes.subarray(0, 5).toString()).toBe("%PDF-");
    const { extractPdfText } = await import("@/lib/pdf/extract-pdf-text");
    // The live pay link is printed (in lines, beside its QR code) on the downloaded PDF too.
    expect(extractPdfText(pdfBytes, "raw").replace(/\s+/g, "")).toContain((link.json!.url as string).slice(0, 40));

    const read = await callRoute(invoice.GET, { path: `/api/v1/invoices/${invoiceId}`, params: { id: invoiceId }, apiKey });
    expect(read.json).toMatchObject({ id: invoiceId, number: "INV-00001", lines: expect.any(Array) });
    expect(await database.db.auditEvent.count({ where: { targetId: invoiceId, action: "invoice.viewed" } })).toBe(1);
    const listed = await callRoute(invoices.GET, { path: `/api/v1/invoices?status=open&patientId=${patientId}`, apiKey });
    expect((listed.json!.data as { id: string }[]).map((entry) => entry.id)).toEqual([invoiceId]);

    const { NextRequest: Request2 } = await import("next/server");
    const exported = await ledgerExport.GET(
      new Request2("http://localhost:3000/api/v1/ledger/export?format=hledger", { headers: { authorization: `Bearer ${apiKey}` } }),
      { params: Promise.resolve({}) },
    );
    expect(exported.status).toBe(200);
    expect(await exported.text()).toContain("(invoice.finalized) Invoice INV-00001");

    const patientRead = await callRoute(patient.GET, { path: `/api/v1/patients/${patientId}`, params: { id: patientId }, apiKey });
    expect(patientRead.json).toMatchObject({ id: patientId, balances: [{ currency: "USD", amountDue: finalized.json!.total }] });
    const audit = await database.db.auditEvent.findFirstOrThrow({ where: { targetId: patientId, action: "patient.viewed" } });
    expect(audit.actorApiKeyId).not.toBeNull();
  });

  it("refuses missing, wrong and revoked keys with 401", async () => {
    const { org, apiKey, keyId } = await setupApi();
    expect((await callRoute(patients.GET, { path: "/api/v1/patients" })).status).toBe(401);
    expect((await callRoute(patients.GET, { path: "/api/v1/patients", apiKey: "cb_not-a-real-key" })).status).toBe(401);
    expect((await callRoute(patients.GET, { path: "/api/v1/patients", apiKey })).status).toBe(200);
    await revokeApiKey(database.db, { organizationId: org.organizationId, actor: org.adminActor, input: { apiKeyId: keyId } });
    const refused = await callRoute(patients.GET, { path: "/api/v1/patients", apiKey });
    expect(refused.status).toBe(401);
    expect(refused.headers.get("www-authenticate")).toContain("Bearer");
  });

  it("answers bad input with clear 4xx and writes nothing", async () => {
    const { apiKey } = await setupApi();
    const before = await database.db.invoice.count();
    const patientId = (await callRoute(patients.POST, { method: "POST", path: "/api/v1/patients", apiKey, body: { firstName: "A", lastName: "B" } })).json!
      .id as string;
    const cases: [unknown, number, string[]][] = [
      [{ patientId, lines: [{ description: "x", quantity: 1, unitAmount: -1 }] }, 422, ["lines.0.unitAmount"]],
      [{ patientId, lines: [{ description: "x", quantity: 1, unitAmount: 1.5 }] }, 422, ["lines.0.unitAmount"]],
      [{ patientId, lines: [{ description: "x", quantity: 0, unitAmount: 1 }] }, 422, ["lines.0.quantity"]],
      [{ patientId, lines: [{ description: "x", quantity: 2, unitAmount: 99_999_999 }] }, 422, ["lines.0.unitAmount"]],
      [{ patientId: "00000000-0000-4000-8000-000000000000", lines: [] }, 422, ["patientId"]],
      [{ lines: "nope" }, 422, ["lines", "patientId"]],
    ];
    for (const [body, status, fields] of cases) {
      const response = await callRoute(invoices.POST, { method: "POST", path: "/api/v1/invoices", apiKey, body });
      expect(response.status, JSON.stringify(body)).toBe(status);
      expect(Object.keys(response.json!.error!.fields ?? {}).sort()).toEqual(fields);
    }
    const malformed = await callRoute(invoices.POST, {
      method: "POST",
      path: "/api/v1/invoices",
      apiKey,
      rawBody: "{oops",
      headers: { "content-type": "application/json" },
    });
    expect(malformed.status).toBe(400);
    const huge = await callRoute(invoices.POST, { method: "POST", path: "/api/v1/invoices", apiKey, body: { patientId, memo: "x".repeat(1_100_000) } });
    expect(huge.status).toBe(413);
    const badQuery = await callRoute(invoices.GET, { path: "/api/v1/invoices?limit=500&status=bogus", apiKey });
    expect(badQuery.status).toBe(422);
    expect(Object.keys(badQuery.json!.error!.fields!).sort()).toEqual(["limit", "status"]);
    expect(await database.db.invoice.count()).toBe(before);
  });

  it("hides other organizations' records (404) and guards state (409)", async () => {
    const mine = await setupApi();
    const theirs = await setupApi();
    const patientId = (
      await callRoute(patients.POST, { method: "POST", path: "/api/v1/patients", apiKey: theirs.apiKey, body: { firstName: "T", lastName: "Heirs" } })
    ).json!.id as string;
    const invoiceId = (await callRoute(invoices.POST, { method: "POST", path: "/api/v1/invoices", apiKey: theirs.apiKey, body: { patientId, lines } })).json!
      .id as string;
    expect((await callRoute(patient.GET, { path: `/api/v1/patients/${patientId}`, params: { id: patientId }, apiKey: mine.apiKey })).status).toBe(404);
    expect((await callRoute(invoice.GET, { path: `/api/v1/invoices/${invoiceId}`, params: { id: invoiceId }, apiKey: mine.apiKey })).status).toBe(404);
    expect(
      (await callRoute(finalize.POST, { method: "POST", path: `/api/v1/invoices/${invoiceId}/finalize`, params: { id: invoiceId }, apiKey: mine.apiKey }))
        .status,
    ).toBe(404);
    expect((await callRoute(invoice.GET, { path: "/api/v1/invoices/not-a-uuid", params: { id: "not-a-uuid" }, apiKey: mine.apiKey })).status).toBe(404);

    await callRoute(finalize.POST, { method: "POST", path: `/api/v1/invoices/${invoiceId}/finalize`, params: { id: invoiceId }, apiKey: theirs.apiKey });
    const edit = await callRoute(invoice.PATCH, {
      method: "PATCH",
      path: `/api/v1/invoices/${invoiceId}`,
      params: { id: invoiceId },
      apiKey: theirs.apiKey,
      body: { memo: "too late" },
    });
    expect(edit.status).toBe(409);
    const voided = await callRoute(voidRoute.POST, {
      method: "POST",
      path: `/api/v1/invoices/${invoiceId}/void`,
      params: { id: invoiceId },
      apiKey: theirs.apiKey,
      body: { reason: "Duplicate of another invoice" },
    });
    expect(voided.json).toMatchObject({ status: "void", amountDue: 0 });
  });

  it("honours Idempotency-Key: same body replays, another body or a concurrent first request is a 409", async () => {
    const { apiKey } = await setupApi();
    const body = { firstName: "Idem", lastName: "Potent" };
    const headers = { "idempotency-key": "create-patient-1" };
    const first = await callRoute(patients.POST, { method: "POST", path: "/api/v1/patients", apiKey, body, headers });
    const second = await callRoute(patients.POST, { method: "POST", path: "/api/v1/patients", apiKey, body, headers });
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.json).toEqual(first.json);
    expect(second.headers.get("idempotent-replayed")).toBe("true");
    expect(await database.db.patient.count({ where: { lastName: "Potent" } })).toBe(1);

    const different = await callRoute(patients.POST, { method: "POST", path: "/api/v1/patients", apiKey, body: { ...body, firstName: "Other" }, headers });
    expect(different.status).toBe(409);

    const racing = await Promise.all(
      Array.from({ length: 5 }, () =>
        callRoute(patients.POST, {
          method: "POST",
          path: "/api/v1/patients",
          apiKey,
          body: { firstName: "Race", lastName: "Condition" },
          headers: { "idempotency-key": "race-1" },
        }),
      ),
    );
    const statuses = racing.map((response) => response.status).sort();
    expect(statuses.filter((status) => status === 201).length).toBeGreaterThanOrEqual(1);
    expect(statuses.every((status) => status === 201 || status === 409)).toBe(true);
    expect(await database.db.patient.count({ where: { lastName: "Condition" } })).toBe(1);

    // A validation error is stored too: retrying the same bad request gives the same answer.
    const bad = await callRoute(patients.POST, {
      method: "POST",
      path: "/api/v1/patients",
      apiKey,
      body: { firstName: "" },
      headers: { "idempotency-key": "bad-1" },
    });
    const badAgain = await callRoute(patients.POST, {
      method: "POST",
      path: "/api/v1/patients",
      apiKey,
      body: { firstName: "" },
      headers: { "idempotency-key": "bad-1" },
    });
    expect([bad.status, badAgain.status]).toEqual([422, 422]);
  });

  it("serves an OpenAPI 3.1 document that passes a standard validator", async () => {
    const response = await callRoute(openapi.GET, { path: "/api/v1/openapi.json" });
    expect(response.status).toBe(200);
    const document = response.json!;
    expect(document.openapi).toBe("3.1.0");
    const { validate } = await import("@readme/openapi-parser");
    const result = await validate(structuredClone(document) as never);
    expect(result.valid, JSON.stringify(result)).toBe(true);
    const paths = Object.keys(document.paths as object);
    expect(paths).toEqual(
      expect.arrayContaining([
        "/patients",
        "/patients/{id}",
        "/invoices",
        "/invoices/{id}",
        "/invoices/{id}/finalize",
        "/invoices/{id}/send",
        "/invoices/{id}/void",
        "/invoices/{id}/pdf",
        "/invoices/{id}/payment-link",
        "/patients/{id}/payment-methods",
        "/patients/{id}/payment-methods/{pmId}",
        "/patients/{id}/payment-methods/{pmId}/default",
        "/ledger/export",
      ]),
    );
  });
});
