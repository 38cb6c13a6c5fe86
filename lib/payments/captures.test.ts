import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiKey } from "@/lib/api-keys/create-api-key";
import { createInvoice } from "@/lib/invoices/create-invoice";
import { finalizeInvoice } from "@/lib/invoices/finalize-invoice";
import { voidInvoice } from "@/lib/invoices/void-invoice";
import { getTrialBalance } from "@/lib/ledger/balances";
import { updateOrganization } from "@/lib/organizations/update-organization";
import { capturePaymentIntent } from "@/lib/stripe/capture-payment-intent";
import { processStripeEvent } from "@/lib/webhooks/process-stripe-event";
import { buildOpenApiDocument } from "@/lib/api/openapi";
import { callRoute } from "@/tests/api-client";
import { createTestOrganization, createTestPatient, testActor } from "@/tests/factories";
import { assertNoPatientDataSentToStripe, listStripeRequests, startTestStripe, type TestStripe } from "@/tests/stripe";
import { setupTestDatabase } from "@/tests/test-database";
import { POST as captureRoute } from "@/app/api/v1/payments/[id]/capture/route";
import { POST as releaseRoute } from "@/app/api/v1/payments/[id]/release/route";
import { GET as payReturn } from "@/app/pay/[token]/return/route";
import { AUTHORIZATION_VALIDITY_MS } from "./authorization-hold";
import { capturePayment, releasePayment } from "./capture-payment";
import { createPaymentLink } from "@/lib/payment-links/create-payment-link";
import { createPaymentAttempt } from "./create-payment-attempt";
import { getPayPage } from "./get-pay-page";
import { getReceipt } from "./get-receipt";
import { countAuthorizedPayments, holdExpiry, listAuthorizedPayments } from "./list-authorized-payments";
import { syncPaymentIntent } from "./sync-payment-intent";
import { listPayableInvoices } from "./list-payable-invoices";

const database = setupTestDatabase();
const actor = testActor();
let stripe: TestStripe;
const patients: { firstName: string; lastName: string; email: string | null }[] = [];

beforeAll(async () => {
  stripe = await startTestStripe();
  process.env.STRIPE_SECRET_KEY = stripe.secretKey;
  process.env.STRIPE_PUBLISHABLE_KEY = stripe.publishableKey;
  process.env.STRIPE_EMULATOR_URL = stripe.emulator.url;
});
afterAll(async () => {
  await assertNoPatientDataSentToStripe(stripe.emulator.url, patients, { secretKey: stripe.secretKey });
  await stripe.close();
});

/** A clinic that only authorizes pay-page cards, with one open invoice. */
async function manualClinic(total = 10_000) {
  const org = await createTestOrganization(database.db);
  const current = await database.db.organization.findUniqueOrThrow({ where: { id: org.organizationId } });
  await updateOrganization(database.db, {
    organizationId: org.organizationId,
    actor: org.adminActor,
    input: { name: current.name, country: current.country, currency: current.currency, timezone: current.timezone, cardCaptureMethod: "manual" },
  });
  const patient = await createTestPatient(database.db, {
    organizationId: org.organizationId,
    firstName: "Barbara",
    lastName: "McClintock",
    email: "barbara.mcclintock@example.test",
  });
  patients.push(patient);
  const draft = await createInvoice(database.db, {
    organizationId: org.organizationId,
    actor,
    input: { patientId: patient.id, lines: [{ description: "Visit", quantity: 1, unitAmount: total }] },
  });
  await finalizeInvoice(database.db, { organizationId: org.organizationId, invoiceId: draft.id, actor });
  return { ...org, invoiceId: draft.id };
}

/** The patient pays on the pay page: an attempt, then the browser confirms the card. */
async function authorize(organizationId: string, invoiceId: string, amount?: number) {
  const started = await createPaymentAttempt(database.db, { organizationId, invoiceId, amount, stripe: stripe.stripe });
  await stripe.stripe.paymentIntents.confirm(started.paymentIntent.id, { payment_method: "pm_card_visa" });
  await syncPaymentIntent(database.db, started.paymentIntent.id, stripe.stripe);
  return { paymentId: started.paymentId, paymentIntentId: started.paymentIntent.id };
}

const balances = async (organizationId: string) =>
  Object.fromEntries((await getTrialBalance(database.db, organizationId)).map((row) => [row.code, row.balance]));
const journalsOf = (paymentId: string) =>
  database.db.journalEntry.findMany({ where: { sourceType: "payment", sourceId: paymentId }, orderBy: { createdAt: "asc" } });
const capture = (org: { organizationId: string }, paymentId: string, amount?: number) =>
  capturePayment(database.db, { organizationId: org.organizationId, paymentId, actor, input: { amount }, stripe: stripe.stripe });

describe("organization payment settings", () => {
  it("are audited when changed and left alone when a form does not send them", async () => {
    const org = await createTestOrganization(database.db);
    const current = await database.db.organization.findUniqueOrThrow({ where: { id: org.organizationId } });
    const details = { name: current.name, country: current.country, currency: current.currency, timezone: current.timezone };
    await updateOrganization(database.db, {
      organizationId: org.organizationId,
      actor: org.adminActor,
      input: { ...details, autoApplyCredit: true, cardCaptureMethod: "manual" },
    });
    await updateOrganization(database.db, { organizationId: org.organizationId, actor: org.adminActor, input: { ...details, city: "Portland" } });
    expect(await database.db.organization.findUniqueOrThrow({ where: { id: org.organizationId } })).toMatchObject({
      autoApplyCredit: true,
      cardCaptureMethod: "manual",
      city: "Portland",
    });
    const audits = await database.db.auditEvent.findMany({
      where: { organizationId: org.organizationId, action: "organization.updated" },
      orderBy: { createdAt: "asc" },
    });
    expect(audits.map((audit) => [audit.before, audit.after])).toEqual([
      [
        { autoApplyCredit: false, cardCaptureMethod: "automatic" },
        { autoApplyCredit: true, cardCaptureMethod: "manual" },
      ],
      [{ city: null }, { city: "Portland" }],
    ]);
    await expect(
      updateOrganization(database.db, {
        organizationId: org.organizationId,
        actor: org.adminActor,
        input: { ...details, cardCaptureMethod: "later" as "manual" },
      }),
    ).rejects.toMatchObject({ name: "ZodError" });
  });
});

describe("authorize now, capture later", () => {
  it("the organization setting is audited, and a manual clinic's pay-page card is only authorized: a hold with its expiry, no money booked", async () => {
    const org = await manualClinic();
    const audit = await database.db.auditEvent.findFirstOrThrow({ where: { organizationId: org.organizationId, action: "organization.updated" } });
    expect(audit.before).toEqual({ cardCaptureMethod: "automatic" });
    expect(audit.after).toEqual({ cardCaptureMethod: "manual" });

    const { paymentId, paymentIntentId } = await authorize(org.organizationId, org.invoiceId);
    const intent = await stripe.stripe.paymentIntents.retrieve(paymentIntentId);
    expect(intent.capture_method).toBe("manual");
    const payment = await database.db.payment.findUniqueOrThrow({ where: { id: paymentId } });
    expect(payment).toMatchObject({ status: "requires_capture", amountCapturable: 10_000, amountReceived: 0, cardLast4: "4242" });
    expect(payment.captureBefore!.getTime() - payment.authorizedAt!.getTime()).toBe(AUTHORIZATION_VALIDITY_MS);
    expect(await journalsOf(paymentId)).toHaveLength(0);
    expect(await database.db.invoice.findUniqueOrThrow({ where: { id: org.invoiceId } })).toMatchObject({ status: "open", amountDue: 10_000 });

    expect(await countAuthorizedPayments(database.db, org.organizationId)).toEqual({ total: 1, expiringSoon: 0 });
    expect(await countAuthorizedPayments(database.db, org.organizationId, new Date(payment.captureBefore!.getTime() - 20 * 3_600_000))).toEqual({
      total: 1,
      expiringSoon: 1,
    });
    const [listed] = await listAuthorizedPayments(database.db, { organizationId: org.organizationId });
    expect(listed).toMatchObject({ id: paymentId, amountCapturable: 10_000 });
    // The front desk sees the hold beside what the invoice still owes (so it is not collected twice).
    const invoice = await database.db.invoice.findUniqueOrThrow({ where: { id: org.invoiceId } });
    expect(await listPayableInvoices(database.db, { organizationId: org.organizationId, patientId: invoice.patientId })).toEqual([
      expect.objectContaining({ id: org.invoiceId, balance: 10_000, held: 10_000 }),
    ]);
    expect(holdExpiry(payment.captureBefore, new Date(payment.captureBefore!.getTime() - 20.5 * 3_600_000))).toEqual({
      label: "Expires in 20 h",
      tone: "warning",
    });
    expect(holdExpiry(payment.captureBefore, new Date(payment.captureBefore!.getTime() + 1))).toEqual({ label: "Expired", tone: "expired" });
    expect(holdExpiry(payment.captureBefore, new Date(payment.authorizedAt!.getTime()))).toEqual({ label: "Expires in 7 days", tone: "ok" });
  });

  it("capturing everything pays the invoice and books the payment and the fee once, with the key carebill:payment:<id>:capture", async () => {
    const org = await manualClinic();
    const { paymentId } = await authorize(org.organizationId, org.invoiceId);
    const view = await capture(org, paymentId);
    expect(view).toMatchObject({ status: "succeeded", amountReceived: 10_000, amountCapturable: 0, feeAmount: 320, invoice: { status: "paid", amountDue: 0 } });
    expect((await journalsOf(paymentId)).map((journal) => journal.kind)).toEqual(["payment.succeeded", "payment.fee"]);
    expect(await balances(org.organizationId)).toMatchObject({ "1010": 10_000 - 320, "1100": 0, "6100": 320 });
    const requests = await listStripeRequests(stripe.emulator.url, { secretKey: stripe.secretKey });
    expect(requests.filter((request) => request.path.endsWith("/capture")).map((request) => request.idempotency_key)).toContain(
      `carebill:payment:${paymentId}:capture`,
    );
    const audit = await database.db.auditEvent.findMany({ where: { organizationId: org.organizationId, action: "payment.captured" } });
    expect(audit).toHaveLength(1);
    expect(audit[0]!.after).toEqual({ status: "succeeded", captured: 10_000, released: 0 });
    expect(await database.db.email.count({ where: { invoiceId: org.invoiceId, kind: "receipt" } })).toBe(1);
  });

  it("capturing less releases the rest: the invoice is partly paid and still owes the difference", async () => {
    const org = await manualClinic();
    const { paymentId } = await authorize(org.organizationId, org.invoiceId);
    const view = await capture(org, paymentId, 6_000);
    expect(view).toMatchObject({
      status: "succeeded",
      amount: 10_000,
      amountReceived: 6_000,
      amountCapturable: 0,
      feeAmount: 204,
      invoice: { status: "partially_paid", amountDue: 4_000 },
    });
    expect(await balances(org.organizationId)).toMatchObject({ "1010": 6_000 - 204, "1100": 4_000, "6100": 204 });
    // The difference can be paid again: nothing is held in flight any more.
    const again = await createPaymentAttempt(database.db, { organizationId: org.organizationId, invoiceId: org.invoiceId, stripe: stripe.stripe });
    expect(again.amount).toBe(4_000);
  });

  it("refuses more than was authorized (422 naming the amount), a second capture (409), other states (409) and other organizations (404)", async () => {
    const org = await manualClinic();
    const { paymentId } = await authorize(org.organizationId, org.invoiceId, 5_000);
    const above = await capture(org, paymentId, 5_001).catch((error: unknown) => error);
    expect(above).toMatchObject({
      code: "VALIDATION_FAILED",
      message: "The card was authorized for $50.00; capture at most that.",
      fields: { amount: ["Capture at most $50.00, the authorized amount."] },
    });

    const other = await createTestOrganization(database.db);
    await expect(
      capturePayment(database.db, { organizationId: other.organizationId, paymentId, actor, input: {}, stripe: stripe.stripe }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(releasePayment(database.db, { organizationId: other.organizationId, paymentId, actor, stripe: stripe.stripe })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });

    await capture(org, paymentId, 5_000);
    await expect(capture(org, paymentId, 5_000)).rejects.toMatchObject({ code: "CONFLICT", message: expect.stringContaining("succeeded") });
    await expect(releasePayment(database.db, { organizationId: org.organizationId, paymentId, actor, stripe: stripe.stripe })).rejects.toMatchObject({
      code: "CONFLICT",
    });
    expect((await journalsOf(paymentId)).map((journal) => journal.kind)).toEqual(["payment.succeeded", "payment.fee"]);

    // An attempt the patient never confirmed holds nothing.
    const unconfirmed = await createPaymentAttempt(database.db, { organizationId: org.organizationId, invoiceId: org.invoiceId, stripe: stripe.stripe });
    await expect(capture(org, unconfirmed.paymentId)).rejects.toMatchObject({
      code: "CONFLICT",
      message: expect.stringContaining("This payment is not completed (no card entered)"),
    });
  });

  it("two staff capturing at once capture once", async () => {
    const org = await manualClinic();
    const { paymentId } = await authorize(org.organizationId, org.invoiceId);
    const results = await Promise.allSettled([capture(org, paymentId, 7_000), capture(org, paymentId, 7_000), capture(org, paymentId, 3_000)]);
    expect(results.some((result) => result.status === "fulfilled")).toBe(true);
    const payment = await database.db.payment.findUniqueOrThrow({ where: { id: paymentId } });
    expect(payment.status).toBe("succeeded");
    expect((await journalsOf(paymentId)).filter((journal) => journal.kind === "payment.succeeded")).toHaveLength(1);
    const invoice = await database.db.invoice.findUniqueOrThrow({ where: { id: org.invoiceId } });
    expect(invoice.amountPaid).toBe(payment.amountReceived);
    expect(await database.db.auditEvent.count({ where: { organizationId: org.organizationId, action: "payment.captured" } })).toBe(1);
  });

  it("releasing a hold cancels it and books nothing; the invoice still owes everything", async () => {
    const org = await manualClinic();
    const { paymentId, paymentIntentId } = await authorize(org.organizationId, org.invoiceId);
    const view = await releasePayment(database.db, { organizationId: org.organizationId, paymentId, actor, stripe: stripe.stripe });
    expect(view).toMatchObject({ status: "canceled", amountCapturable: 0, amountReceived: 0, invoice: { status: "open", amountDue: 10_000 } });
    expect((await stripe.stripe.paymentIntents.retrieve(paymentIntentId)).status).toBe("canceled");
    expect(await journalsOf(paymentId)).toHaveLength(0);
    const requests = await listStripeRequests(stripe.emulator.url, { secretKey: stripe.secretKey });
    expect(requests.filter((request) => request.path.endsWith("/cancel")).map((request) => request.idempotency_key)).toContain(
      `carebill:payment:${paymentId}:release`,
    );
    expect(await database.db.auditEvent.count({ where: { organizationId: org.organizationId, action: "payment.released" } })).toBe(1);
    await expect(releasePayment(database.db, { organizationId: org.organizationId, paymentId, actor, stripe: stripe.stripe })).rejects.toMatchObject({
      code: "CONFLICT",
    });
  });

  it("an invoice with a hold awaiting capture cannot be voided; once the hold is released it can", async () => {
    const org = await manualClinic();
    const { paymentId } = await authorize(org.organizationId, org.invoiceId);
    await expect(
      voidInvoice(database.db, { organizationId: org.organizationId, invoiceId: org.invoiceId, actor, input: { reason: "Booked twice" } }),
    ).rejects.toMatchObject({
      code: "CONFLICT",
      message: expect.stringContaining("release or finish it before voiding"),
    });
    await releasePayment(database.db, { organizationId: org.organizationId, paymentId, actor, stripe: stripe.stripe });
    expect(
      await voidInvoice(database.db, { organizationId: org.organizationId, invoiceId: org.invoiceId, actor, input: { reason: "Booked twice" } }),
    ).toMatchObject({ status: "void" });
  });

  it("an expired hold cannot be captured: Stripe's truth is recorded and staff get a 409 that says so", async () => {
    const org = await manualClinic();
    const { paymentId } = await authorize(org.organizationId, org.invoiceId);
    await fetch(`${stripe.emulator.url}/_emulator/advance-time`, {
      method: "POST",
      headers: { authorization: `Bearer ${stripe.secretKey}`, "content-type": "application/json" },
      body: JSON.stringify({ seconds: 8 * 24 * 3600 }),
    });
    await expect(capture(org, paymentId)).rejects.toMatchObject({ code: "CONFLICT", message: expect.stringContaining("expired") });
    expect(await database.db.payment.findUniqueOrThrow({ where: { id: paymentId } })).toMatchObject({ status: "canceled", amountCapturable: 0 });
    expect(await journalsOf(paymentId)).toHaveLength(0);
  });

  it("webhooks (amount_capturable_updated, succeeded, canceled) converge in any order and any number of deliveries", async () => {
    const org = await manualClinic();
    const captured = await authorize(org.organizationId, org.invoiceId, 6_000);
    const released = await authorize(org.organizationId, org.invoiceId, 4_000);
    // Stripe captured and released without our commits (e.g. a crash after the call): only webhooks tell us.
    await capturePaymentIntent({ paymentId: captured.paymentId, paymentIntentId: captured.paymentIntentId, amountToCapture: 5_000 }, stripe.stripe);
    await stripe.stripe.paymentIntents.cancel(released.paymentIntentId);
    const events = (await stripe.stripe.events.list({ limit: 100 })).data.filter(
      (event) =>
        event.type.startsWith("payment_intent.") &&
        [captured.paymentIntentId, released.paymentIntentId].includes((event.data.object as Stripe.PaymentIntent).id),
    );
    expect(new Set(events.map((event) => event.type))).toEqual(
      new Set(["payment_intent.created", "payment_intent.amount_capturable_updated", "payment_intent.succeeded", "payment_intent.canceled"]),
    );
    const deliveries = [...events, ...events.toReversed(), ...events];
    await Promise.all(deliveries.map((event) => processStripeEvent(database.db, event, stripe.stripe)));

    expect(await database.db.payment.findUniqueOrThrow({ where: { id: captured.paymentId } })).toMatchObject({
      status: "succeeded",
      amountReceived: 5_000,
      amountCapturable: 0,
      feeAmount: 175,
    });
    expect(await database.db.payment.findUniqueOrThrow({ where: { id: released.paymentId } })).toMatchObject({
      status: "canceled",
      amountCapturable: 0,
      amountReceived: 0,
    });
    expect((await journalsOf(captured.paymentId)).map((journal) => journal.kind)).toEqual(["payment.succeeded", "payment.fee"]);
    expect(await journalsOf(released.paymentId)).toHaveLength(0);
    expect(await database.db.invoice.findUniqueOrThrow({ where: { id: org.invoiceId } })).toMatchObject({
      status: "partially_paid",
      amountPaid: 5_000,
      amountDue: 5_000,
    });
    // Staff who try afterwards are told it is already captured; nothing changes.
    await expect(capture(org, captured.paymentId)).rejects.toMatchObject({ code: "CONFLICT" });
  });

  it("the pay page and the receipt tell the patient their card is authorized, not charged, and do not ask for the held amount again", async () => {
    const org = await manualClinic();
    const link = await createPaymentLink(database.db, { organizationId: org.organizationId, invoiceId: org.invoiceId, actor });
    const token = link.url.split("/pay/")[1]!;
    expect(await getPayPage(database.db, token)).toMatchObject({ kind: "payable", authorizeOnly: true, heldAmount: 0 });
    const { paymentId, paymentIntentId } = await authorize(org.organizationId, org.invoiceId, 7_000);
    const back = await callRoute(payReturn, { path: `/pay/${token}/return?payment_intent=${paymentIntentId}`, params: { token } });
    expect(back.status).toBe(303);
    expect(back.headers.get("location")).toMatch(new RegExp(`/pay/${token}/receipt/${paymentId}$`));
    expect(await getReceipt(database.db, { token, paymentId })).toMatchObject({ status: "authorized", amount: 7_000, remainingBalance: 3_000 });
    expect(await getPayPage(database.db, token)).toMatchObject({ kind: "payable", heldAmount: 7_000, invoice: { amountDue: 10_000 } });
    await capture(org, paymentId, 5_000);
    expect(await getReceipt(database.db, { token, paymentId })).toMatchObject({ status: "succeeded", amount: 5_000, remainingBalance: 5_000 });
    expect(await getPayPage(database.db, token)).toMatchObject({ heldAmount: 0, invoice: { amountDue: 5_000 } });
  });

  it("automatic clinics keep charging at once", async () => {
    const org = await createTestOrganization(database.db);
    const patient = await createTestPatient(database.db, { organizationId: org.organizationId });
    patients.push(patient);
    const draft = await createInvoice(database.db, {
      organizationId: org.organizationId,
      actor,
      input: { patientId: patient.id, lines: [{ description: "Visit", quantity: 1, unitAmount: 2_000 }] },
    });
    await finalizeInvoice(database.db, { organizationId: org.organizationId, invoiceId: draft.id, actor });
    const started = await createPaymentAttempt(database.db, { organizationId: org.organizationId, invoiceId: draft.id, stripe: stripe.stripe });
    expect(started.paymentIntent.capture_method).toBe("automatic");
    await stripe.stripe.paymentIntents.confirm(started.paymentIntent.id, { payment_method: "pm_card_visa" });
    await syncPaymentIntent(database.db, started.paymentIntent.id, stripe.stripe);
    expect(await database.db.payment.findUniqueOrThrow({ where: { id: started.paymentId } })).toMatchObject({
      status: "succeeded",
      amountCapturable: 0,
      authorizedAt: null,
    });
  });
});

describe("POST /api/v1/payments/{id}/capture and /release", () => {
  it("capture with an amount, release, and the errors an integrator can get", async () => {
    const org = await manualClinic();
    const key = await createApiKey(database.db, { organizationId: org.organizationId, actor: org.adminActor, input: { name: "Front desk" } });
    const first = await authorize(org.organizationId, org.invoiceId, 6_000);
    const path = (id: string, action: string) => `/api/v1/payments/${id}/${action}`;

    const above = await callRoute(captureRoute, {
      method: "POST",
      path: path(first.paymentId, "capture"),
      params: { id: first.paymentId },
      apiKey: key.secret,
      body: { amount: 6_500 },
    });
    expect(above.status).toBe(422);
    expect(above.json!.error!.fields!.amount![0]).toContain("$60.00");
    const invalid = await callRoute(captureRoute, {
      method: "POST",
      path: path(first.paymentId, "capture"),
      params: { id: first.paymentId },
      apiKey: key.secret,
      body: { amount: 12.5 },
    });
    expect(invalid.status).toBe(422);
    expect(
      (await callRoute(captureRoute, { method: "POST", path: path("not-a-uuid", "capture"), params: { id: "not-a-uuid" }, apiKey: key.secret, body: {} }))
        .status,
    ).toBe(404);
    expect((await callRoute(captureRoute, { method: "POST", path: path(first.paymentId, "capture"), params: { id: first.paymentId }, body: {} })).status).toBe(
      401,
    );

    const captured = await callRoute(captureRoute, {
      method: "POST",
      path: path(first.paymentId, "capture"),
      params: { id: first.paymentId },
      apiKey: key.secret,
      body: { amount: 2_500 },
      headers: { "idempotency-key": "capture-once" },
    });
    expect(captured.status).toBe(200);
    expect(captured.json).toMatchObject({
      id: first.paymentId,
      status: "succeeded",
      amountReceived: 2_500,
      invoice: { status: "partially_paid", amountDue: 7_500 },
    });
    const replayed = await callRoute(captureRoute, {
      method: "POST",
      path: path(first.paymentId, "capture"),
      params: { id: first.paymentId },
      apiKey: key.secret,
      body: { amount: 2_500 },
      headers: { "idempotency-key": "capture-once" },
    });
    expect(replayed.status).toBe(200);
    expect(replayed.headers.get("idempotent-replayed")).toBe("true");
    expect(
      (await callRoute(captureRoute, { method: "POST", path: path(first.paymentId, "capture"), params: { id: first.paymentId }, apiKey: key.secret })).status,
    ).toBe(409);

    const second = await authorize(org.organizationId, org.invoiceId, 4_000);
    const releasedResponse = await callRoute(releaseRoute, {
      method: "POST",
      path: path(second.paymentId, "release"),
      params: { id: second.paymentId },
      apiKey: key.secret,
    });
    expect(releasedResponse.status).toBe(200);
    expect(releasedResponse.json).toMatchObject({ status: "canceled", amountCapturable: 0, invoice: { amountDue: 7_500 } });
    expect(
      (await callRoute(releaseRoute, { method: "POST", path: path(second.paymentId, "release"), params: { id: second.paymentId }, apiKey: key.secret })).status,
    ).toBe(409);
  });

  it("are described in the OpenAPI document, which stays valid", async () => {
    const document = buildOpenApiDocument("http://localhost:3000");
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(["/payments/{id}/capture", "/payments/{id}/release"]));
    const { validate } = await import("@readme/openapi-parser");
    const result = await validate(structuredClone(document) as never);
    expect(result.valid, JSON.stringify(result)).toBe(true);
  });
});
