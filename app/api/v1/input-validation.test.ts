import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { createApiKey } from "@/lib/api-keys/create-api-key";
import { callRoute } from "@/tests/api-client";
import { createTestOrganization } from "@/tests/factories";
import { assertDocumentedResponse } from "@/tests/openapi-responses";
import { setupTestDatabase } from "@/tests/test-database";
import * as invoices from "./invoices/route";
import * as voidRoute from "./invoices/[id]/void/route";
import * as ledgerExport from "./ledger/export/route";
import * as patient from "./patients/[id]/route";
import * as patients from "./patients/route";

const database = setupTestDatabase();

async function setupApi() {
  const org = await createTestOrganization(database.db);
  const key = await createApiKey(database.db, { organizationId: org.organizationId, actor: org.adminActor, input: { name: "EHR sync" } });
  return { apiKey: key.secret };
}

/** Every message a person may read: a sentence, not a library's wording. */
function expectSentences(fields: Record<string, string[]>) {
  for (const [field, messages] of Object.entries(fields)) {
    for (const message of messages) {
      expect(message, field).toMatch(/^["A-Z].*[.]$/);
      expect(message, field).not.toMatch(/Invalid input|expected \w+, received|Unrecognized key/);
    }
  }
}

describe("API input: control characters, calendar dates and messages for people", () => {
  it("refuses a NUL or other control character in a patient's name with 422 (not PostgreSQL's 500), and writes nothing", async () => {
    const { apiKey } = await setupApi();
    const before = await database.db.patient.count();
    for (const firstName of ["Ja\u0000ne", "Ja\u001bne", "Jane\u007f", "Ja\nne"]) {
      const response = await callRoute(patients.POST, { method: "POST", path: "/api/v1/patients", apiKey, body: { firstName, lastName: "Doe" } });
      expect(response.status, JSON.stringify(firstName)).toBe(422);
      expect(response.json!.error!.fields).toEqual({ firstName: ["Remove the control characters (such as NUL, tab or line breaks) from this text."] });
    }
    const created = await callRoute(patients.POST, { method: "POST", path: "/api/v1/patients", apiKey, body: { firstName: "Jane", lastName: "Doe" } });
    const patientId = created.json!.id as string;
    const patched = await callRoute(patient.PATCH, {
      method: "PATCH",
      path: `/api/v1/patients/${patientId}`,
      params: { id: patientId },
      apiKey,
      body: { externalId: "MRN\u00001" },
    });
    expect(patched.status).toBe(422);
    expect(Object.keys(patched.json!.error!.fields!)).toEqual(["externalId"]);
    expect(await database.db.patient.count()).toBe(before + 1);
  });

  it("keeps line breaks and tabs in multi-line text (an invoice memo) but refuses NUL there too", async () => {
    const { apiKey } = await setupApi();
    const patientId = (await callRoute(patients.POST, { method: "POST", path: "/api/v1/patients", apiKey, body: { firstName: "Memo", lastName: "Writer" } }))
      .json!.id as string;
    const ok = await callRoute(invoices.POST, {
      method: "POST",
      path: "/api/v1/invoices",
      apiKey,
      body: { patientId, memo: "Line one\nLine two\tindented", lines: [] },
    });
    expect(ok.status).toBe(201);
    expect(ok.json!.memo).toBe("Line one\nLine two\tindented");
    const refused = await callRoute(invoices.POST, {
      method: "POST",
      path: "/api/v1/invoices",
      apiKey,
      body: { patientId, memo: "bad\u0000memo", lines: [{ description: "Visit\u0000", quantity: 1, unitAmount: 100 }] },
    });
    expect(refused.status).toBe(422);
    expect(Object.keys(refused.json!.error!.fields!).sort()).toEqual(["lines.0.description", "memo"]);
  });

  it("refuses dates that do not exist on the calendar: the ledger export answers 422 instead of a 200 that breaks off", async () => {
    const { apiKey } = await setupApi();
    for (const [query, field] of [
      ["from=2026-02-30", "from"],
      ["to=2026-13-01", "to"],
      ["from=2025-02-29&to=2025-03-01", "from"],
    ] as const) {
      const response = await callRoute(ledgerExport.GET, { path: `/api/v1/ledger/export?${query}`, apiKey });
      expect(response.status, query).toBe(422);
      expect(response.json!.error!.fields).toEqual({ [field]: ["That date does not exist."] });
    }
    const leapDay = await ledgerExport.GET(
      new NextRequest("http://localhost:3000/api/v1/ledger/export?from=2024-02-29&to=2024-03-01", { headers: { authorization: `Bearer ${apiKey}` } }),
      { params: Promise.resolve({}) },
    );
    expect(leapDay.status).toBe(200);
    expect(await leapDay.text()).toContain("from 2024-02-29 to 2024-03-01");

    const patientId = (await callRoute(patients.POST, { method: "POST", path: "/api/v1/patients", apiKey, body: { firstName: "Due", lastName: "Date" } })).json!
      .id as string;
    const badDue = await callRoute(invoices.POST, {
      method: "POST",
      path: "/api/v1/invoices",
      apiKey,
      body: { patientId, terms: "custom", dueDate: "2026-04-31" },
    });
    expect(badDue.json!.error!.fields).toEqual({ dueDate: ["That date does not exist."] });
    const badBirth = await callRoute(patients.POST, {
      method: "POST",
      path: "/api/v1/patients",
      apiKey,
      body: { firstName: "Bad", lastName: "Birth", dateOfBirth: "1990-02-30" },
    });
    expect(badBirth.json!.error!.fields).toEqual({ dateOfBirth: ["That date does not exist."] });
  });

  it("words missing and wrong fields as sentences, and reports an unknown PATCH field under its own name", async () => {
    const { apiKey } = await setupApi();
    const missing = await callRoute(patients.POST, { method: "POST", path: "/api/v1/patients", apiKey, body: { firstName: "Only" } });
    expect(missing.status).toBe(422);
    expect(missing.json!.error!.fields).toEqual({ lastName: ["Last name is required."] });

    const wrongTypes = await callRoute(patients.POST, {
      method: "POST",
      path: "/api/v1/patients",
      apiKey,
      body: { firstName: 42, lastName: ["x"], email: false },
    });
    expect(wrongTypes.json!.error!.fields).toMatchObject({ firstName: ["First name must be text."], lastName: ["Last name must be text."] });
    expectSentences(wrongTypes.json!.error!.fields!);

    const notAnObject = await callRoute(patients.POST, { method: "POST", path: "/api/v1/patients", apiKey, body: ["Jane", "Doe"] });
    expect(notAnObject.status).toBe(422);
    expect(notAnObject.json!.error).toEqual({ code: "VALIDATION_FAILED", message: "Send the request's fields as a JSON object." });

    const patientId = (await callRoute(patients.POST, { method: "POST", path: "/api/v1/patients", apiKey, body: { firstName: "Jane", lastName: "Doe" } })).json!
      .id as string;
    const unknown = await callRoute(patient.PATCH, {
      method: "PATCH",
      path: `/api/v1/patients/${patientId}`,
      params: { id: patientId },
      apiKey,
      body: { nickname: "JD", firstName: "Janet" },
    });
    expect(unknown.status).toBe(422);
    expect(unknown.json!.error!.fields).toEqual({ nickname: ['"nickname" is not a field this request accepts; remove it.'] });

    const badInvoice = await callRoute(invoices.POST, {
      method: "POST",
      path: "/api/v1/invoices",
      apiKey,
      body: { patientId, taxRate: "high", terms: "whenever", lines: [{ quantity: 1 }], discount: { percent: 150 } },
    });
    expect(badInvoice.status).toBe(422);
    expect(badInvoice.json!.error!.fields).toMatchObject({
      "lines.0.description": ["Description is required."],
      terms: ["Choose due on receipt, net 15, net 30 or custom."],
      "discount.percent": ["Cannot exceed 100%."],
    });
    expectSentences(badInvoice.json!.error!.fields!);
  });

  it("answers the documented 400s (malformed JSON, an Idempotency-Key over 255 characters), and the response check catches what the document does not promise", async () => {
    const { apiKey } = await setupApi();
    const malformed = await callRoute(patients.POST, {
      method: "POST",
      path: "/api/v1/patients",
      apiKey,
      rawBody: '{"firstName": ',
      headers: { "content-type": "application/json" },
    });
    expect(malformed.status).toBe(400);
    const longKey = await callRoute(patients.POST, {
      method: "POST",
      path: "/api/v1/patients",
      apiKey,
      body: { firstName: "Key", lastName: "Long" },
      headers: { "idempotency-key": "k".repeat(256) },
    });
    expect(longKey.status).toBe(400);
    expect(longKey.json!.error!.message).toBe("Idempotency-Key must be 1–255 printable ASCII characters.");

    const json = "application/json";
    expect(() =>
      assertDocumentedResponse("GET", "/api/v1/patients", { status: 404, contentType: json, json: { error: { code: "NOT_FOUND", message: "x" } } }),
    ).toThrow(/answered 404, which is not documented/);
    expect(() =>
      assertDocumentedResponse("GET", "/api/v1/patients/1b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633b", {
        status: 200,
        contentType: json,
        json: { id: "1b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633b" },
      }),
    ).toThrow(/does not match its schema/);
    expect(() => assertDocumentedResponse("DELETE", "/api/v1/patients", { status: 200, contentType: json, json: {} })).toThrow(/is not documented/);
  });

  it("void: a missing reason is a sentence, and a draft's refusal reads as one", async () => {
    const { apiKey } = await setupApi();
    const patientId = (await callRoute(patients.POST, { method: "POST", path: "/api/v1/patients", apiKey, body: { firstName: "Void", lastName: "Me" } })).json!
      .id as string;
    const invoiceId = (
      await callRoute(invoices.POST, {
        method: "POST",
        path: "/api/v1/invoices",
        apiKey,
        body: { patientId, lines: [{ description: "Visit", quantity: 1, unitAmount: 5_000 }] },
      })
    ).json!.id as string;
    const noReason = await callRoute(voidRoute.POST, {
      method: "POST",
      path: `/api/v1/invoices/${invoiceId}/void`,
      params: { id: invoiceId },
      apiKey,
      body: {},
    });
    expect(noReason.status).toBe(422);
    expect(noReason.json!.error!.fields).toEqual({ reason: ["Reason is required."] });
    const draft = await callRoute(voidRoute.POST, {
      method: "POST",
      path: `/api/v1/invoices/${invoiceId}/void`,
      params: { id: invoiceId },
      apiKey,
      body: { reason: "Entered twice" },
    });
    expect(draft.status).toBe(409);
    expect(draft.json!.error!.message).toBe("This invoice is still a draft, so it cannot be voided.");
  });
});
