import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiKey } from "@/lib/api-keys/create-api-key";
import { extractPdfText } from "@/lib/pdf/extract-pdf-text";
import { callRoute } from "@/tests/api-client";
import { createOpenInvoice, createPaidInvoice } from "@/tests/card-payments";
import { assertNoPatientDataSentToStripe, startTestStripe, type TestStripe } from "@/tests/stripe";
import { setupTestDatabase } from "@/tests/test-database";
import * as creditNotePdf from "./credit-notes/[id]/pdf/route";
import * as creditNotes from "./invoices/[id]/credit-notes/route";
import * as refunds from "./payments/[id]/refunds/route";
import * as openapi from "./openapi.json/route";

const database = setupTestDatabase();
let stripe: TestStripe;
const patients: { firstName: string; lastName: string; email: string | null }[] = [];

beforeAll(async () => {
  stripe = await startTestStripe();
  // The routes use the app's Stripe client, configured from the environment like in production.
  process.env.STRIPE_SECRET_KEY = stripe.secretKey;
  process.env.STRIPE_EMULATOR_URL = stripe.emulator.url;
});
afterAll(async () => {
  await assertNoPatientDataSentToStripe(stripe.emulator.url, patients, { secretKey: stripe.secretKey });
  await stripe.close();
});

async function keyFor(organizationId: string) {
  const key = await createApiKey(database.db, {
    organizationId,
    actor: { userId: null, label: "test", ip: null, requestId: null },
    input: { name: "Billing sync" },
  });
  return key.secret;
}

describe("POST/GET /api/v1/payments/{id}/refunds", () => {
  it("refunds part of a card payment (201), honours Idempotency-Key, and lists the refunds", async () => {
    const paid = await createPaidInvoice(database.db, stripe.stripe);
    patients.push(paid.patient);
    const apiKey = await keyFor(paid.organizationId);
    const path = `/api/v1/payments/${paid.paymentId}/refunds`;
    const call = () =>
      callRoute(refunds.POST, {
        method: "POST",
        path,
        params: { id: paid.paymentId },
        apiKey,
        body: { amount: 2_000, reason: "duplicate" },
        headers: { "idempotency-key": "refund-1" },
      });
    const created = await call();
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({
      amount: 2_000,
      reason: "duplicate",
      mode: "credit_note",
      status: "succeeded",
      creditNote: { number: "CN-00001" },
      stripeRefundId: expect.stringMatching(/^re_/),
    });
    const replay = await call();
    expect(replay.status).toBe(201);
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect(replay.json!.id).toBe(created.json!.id);
    expect(await database.db.refund.count({ where: { paymentId: paid.paymentId } })).toBe(1);

    const listed = await callRoute(refunds.GET, { path, params: { id: paid.paymentId }, apiKey });
    expect(listed.status).toBe(200);
    expect(listed.json).toMatchObject({ data: [{ id: created.json!.id, amount: 2_000 }] });

    const notes = await callRoute(creditNotes.GET, { path: `/api/v1/invoices/${paid.invoiceId}/credit-notes`, params: { id: paid.invoiceId }, apiKey });
    expect(notes.json).toMatchObject({ data: [{ number: "CN-00001", disposition: "refund", amount: 2_000 }] });
  });

  it("answers 422 naming what is refundable, 409 for manual or disputed payments, 404 for other clinics' payments", async () => {
    const paid = await createPaidInvoice(database.db, stripe.stripe);
    patients.push(paid.patient);
    const apiKey = await keyFor(paid.organizationId);
    const otherKey = await keyFor((await createOpenInvoice(database.db)).organizationId);
    const post = (body: unknown, key = apiKey, id = paid.paymentId) =>
      callRoute(refunds.POST, { method: "POST", path: `/api/v1/payments/${id}/refunds`, params: { id }, apiKey: key, body });

    const tooMuch = await post({ amount: 12_001 });
    expect(tooMuch.status).toBe(422);
    expect(tooMuch.json!.error!.fields).toEqual({ amount: ["Refund at most $120.00, what is left to refund on this payment."] });
    const noNote = await post({ reason: "other" });
    expect(noNote.status).toBe(422);
    expect(noNote.json!.error!.fields).toEqual({ note: ["Say why you are refunding."] });
    expect((await post({ amount: "12" })).status).toBe(422);
    expect((await post({ mode: "wrong" })).status).toBe(422);
    expect((await post({}, otherKey)).status).toBe(404);
    expect((await post({}, apiKey, "not-a-uuid")).status).toBe(404);

    await database.db.payment.update({ where: { id: paid.paymentId }, data: { disputed: true } });
    const disputed = await post({});
    expect(disputed.status).toBe(409);
    expect(JSON.stringify(disputed.json)).toMatch(/open dispute/);
    await database.db.payment.update({ where: { id: paid.paymentId }, data: { disputed: false } });

    const manual = await database.db.payment.create({
      data: {
        organizationId: paid.organizationId,
        invoiceId: paid.invoiceId,
        patientId: paid.patient.id,
        source: "manual",
        methodType: "check",
        status: "succeeded",
        currency: "USD",
        amount: 100,
        amountReceived: 100,
      },
    });
    const manualRefund = await post({}, apiKey, manual.id);
    expect(manualRefund.status).toBe(409);
    expect(JSON.stringify(manualRefund.json)).toMatch(/Void the manual payment/);
    expect(await database.db.refund.count({ where: { paymentId: { in: [paid.paymentId, manual.id] } } })).toBe(0);
    expect(
      (await callRoute(refunds.POST, { method: "POST", path: `/api/v1/payments/${paid.paymentId}/refunds`, params: { id: paid.paymentId }, body: {} })).status,
    ).toBe(401);
  });
});

describe("/api/v1/invoices/{id}/credit-notes and /api/v1/credit-notes/{id}/pdf", () => {
  it("issues a credit note (201), lists it, serves its PDF, and refuses bad input", async () => {
    const open = await createOpenInvoice(database.db, { unitAmount: 10_000 });
    const apiKey = await keyFor(open.organizationId);
    const path = `/api/v1/invoices/${open.invoiceId}/credit-notes`;
    const post = (body: unknown, id = open.invoiceId) => callRoute(creditNotes.POST, { method: "POST", path, params: { id }, apiKey, body });
    const issued = await post({ amount: 2_500, reason: "Prompt-pay discount" });
    expect(issued.status).toBe(201);
    expect(issued.json).toMatchObject({ number: "CN-00001", amount: 2_500, taxAmount: 0, disposition: "reduce_balance", status: "issued" });
    expect(await database.db.invoice.findUniqueOrThrow({ where: { id: open.invoiceId } })).toMatchObject({ amountDue: 7_500, amountCredited: 2_500 });

    const tooMuch = await post({ amount: 7_501, reason: "Too much" });
    expect(tooMuch.status).toBe(422);
    expect(tooMuch.json!.error!.fields).toEqual({ amount: ["Credit at most the $75.00 still owed."] });
    expect((await post({ amount: 100 })).status).toBe(422);
    expect((await post({ amount: 100, reason: "Paid part", disposition: "patient_credit" })).status).toBe(409);
    expect((await post({ amount: 100, reason: "Unknown invoice" }, "00000000-0000-4000-8000-000000000000")).status).toBe(404);

    const id = issued.json!.id as string;
    const response = await creditNotePdf.GET(
      new NextRequest(`http://localhost:3000/api/v1/credit-notes/${id}/pdf`, { headers: { authorization: `Bearer ${apiKey}` } }),
      { params: Promise.resolve({ id }) },
    );
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/pdf");
    expect(response.headers.get("content-disposition")).toBe('inline; filename="CN-00001.pdf"');
    expect(extractPdfText(new Uint8Array(await response.arrayBuffer()))).toMatch(/Amount credited\s+\$25\.00/);
    const otherKey = await keyFor((await createOpenInvoice(database.db)).organizationId);
    const foreign = await creditNotePdf.GET(
      new NextRequest(`http://localhost:3000/api/v1/credit-notes/${id}/pdf`, { headers: { authorization: `Bearer ${otherKey}` } }),
      { params: Promise.resolve({ id }) },
    );
    expect(foreign.status).toBe(404);
  });

  it("documents the new operations in the OpenAPI document", async () => {
    const response = await callRoute(openapi.GET, { path: "/api/v1/openapi.json" });
    const document = response.json as unknown as {
      paths: Record<string, Record<string, { operationId: string }>>;
      components: { schemas: Record<string, unknown> };
    };
    expect(document.paths["/payments/{id}/refunds"]?.post?.operationId).toBe("refundPayment");
    expect(document.paths["/invoices/{id}/credit-notes"]?.post?.operationId).toBe("issueCreditNote");
    expect(document.paths["/credit-notes/{id}/pdf"]?.get?.operationId).toBe("getCreditNotePdf");
    expect(Object.keys(document.components.schemas)).toEqual(expect.arrayContaining(["Refund", "RequestRefund", "CreditNote", "IssueCreditNote"]));
  });
});
