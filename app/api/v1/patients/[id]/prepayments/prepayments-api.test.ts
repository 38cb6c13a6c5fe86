import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createApiKey } from "@/lib/api-keys/create-api-key";
import { recordManualPayment } from "@/lib/payments/record-manual-payment";
import { completeDeskCardPayment, startDeskCardPrepayment } from "@/lib/payments/take-desk-card-payment";
import { callRoute } from "@/tests/api-client";
import { confirmCard } from "@/tests/card-payments";
import { createTestOrganization, createTestPatient } from "@/tests/factories";
import { startTestStripe, type TestStripe } from "@/tests/stripe";
import { setupTestDatabase } from "@/tests/test-database";

/** The API's card prepayment (a saved card) and credit refunds, through the real routes, the database and the Stripe emulator. */
const stripeHolder = vi.hoisted(() => ({ current: null as TestStripe | null }));
vi.mock("@/lib/stripe/get-stripe", async (importOriginal) => ({
  ...(await importOriginal<typeof import("@/lib/stripe/get-stripe")>()),
  getStripe: () => stripeHolder.current!.stripe,
}));

const prepaymentsRoute = await import("./route");
const creditRefundsRoute = await import("../credit-refunds/route");

const database = setupTestDatabase();

beforeAll(async () => {
  stripeHolder.current = await startTestStripe();
});
afterAll(async () => {
  await stripeHolder.current?.close();
});

async function clinicWithSavedCard() {
  const org = await createTestOrganization(database.db);
  const patient = await createTestPatient(database.db, { organizationId: org.organizationId });
  const key = await createApiKey(database.db, { organizationId: org.organizationId, actor: org.adminActor, input: { name: "Front desk sync" } });
  const stripe = stripeHolder.current!.stripe;
  // The card kept on file at an earlier visit, with the patient's consent given through the staff member.
  const started = await startDeskCardPrepayment(database.db, {
    organizationId: org.organizationId,
    actor: { ...org.adminActor, userId: org.adminUserId },
    input: { patientId: patient.id, amount: 1_000, saveCard: true },
    client: { ip: null, userAgent: null },
    stripe,
  });
  const intentId = (await database.db.payment.findUniqueOrThrow({ where: { id: started.paymentId } })).stripePaymentIntentId!;
  await confirmCard(stripe, intentId, "pm_card_visa");
  await completeDeskCardPayment(database.db, { organizationId: org.organizationId, paymentId: started.paymentId, stripe });
  const card = await database.db.savedPaymentMethod.findFirstOrThrow({ where: { patientId: patient.id } });
  return { ...org, patient, key, card, firstPaymentId: started.paymentId };
}

type Clinic = Awaited<ReturnType<typeof clinicWithSavedCard>>;

/** POST /patients/{id}/prepayments with the clinic's key, for its patient. */
const postPrepayment = (clinic: Clinic, body: unknown) =>
  callRoute(prepaymentsRoute.POST, {
    method: "POST",
    path: `/api/v1/patients/${clinic.patient.id}/prepayments`,
    params: { id: clinic.patient.id },
    apiKey: clinic.key.secret,
    body,
  });

/** POST /patients/{id}/credit-refunds with the clinic's key, for its patient. */
const postCreditRefund = (clinic: Clinic, body: unknown) =>
  callRoute(creditRefundsRoute.POST, {
    method: "POST",
    path: `/api/v1/patients/${clinic.patient.id}/credit-refunds`,
    params: { id: clinic.patient.id },
    apiKey: clinic.key.secret,
    body,
  });

describe("POST /patients/{id}/prepayments and /patients/{id}/credit-refunds", () => {
  it("charges the saved card as a prepayment kept as credit, then refunds unused credit to the card and refuses more", async () => {
    const clinic = await clinicWithSavedCard();
    const prepaid = await postPrepayment(clinic, { savedPaymentMethodId: clinic.card.id, amount: 4_500 });
    expect(prepaid.status).toBe(201);
    expect(prepaid.json).toMatchObject({ source: "saved_card", status: "succeeded", invoiceId: null, amountReceived: 4_500, creditAmount: 4_500 });
    const paymentId = (prepaid.json as { id: string }).id;

    const refund = (body: unknown) => postCreditRefund(clinic, body);
    const tooMuch = await refund({ paymentId, amount: 4_501 });
    expect(tooMuch.status).toBe(422);
    expect(tooMuch.json).toMatchObject({ error: { fields: { amount: ["Refund at most $45.00, the unused credit left from this payment."] } } });
    const done = await refund({ paymentId, amount: 1_500 });
    expect(done.status).toBe(201);
    expect(done.json).toMatchObject({ method: "card", amount: 1_500, currency: "USD", status: "succeeded" });
    const balance = await database.db.patientCreditBalance.findUniqueOrThrow({
      where: { patientId_currency: { patientId: clinic.patient.id, currency: "USD" } },
    });
    expect(balance.balance).toBe(1_000 + 4_500 - 1_500);
    const unknown = await refund({ paymentId, amount: 100, extra: true });
    expect(unknown.status).toBe(422);
  });

  it("records cash credit handed back; a card amount under the minimum is a 422 on amount", async () => {
    const clinic = await clinicWithSavedCard();
    const cash = await recordManualPayment(database.db, {
      organizationId: clinic.organizationId,
      actor: clinic.adminActor,
      input: { patientId: clinic.patient.id, method: "cash", amount: 2_000, prepayment: true },
    });
    const handedBack = await postCreditRefund(clinic, { paymentId: cash.id, amount: 2_000, note: "Visit canceled" });
    expect(handedBack.status).toBe(201);
    expect(handedBack.json).toMatchObject({ method: "manual", amount: 2_000, status: "succeeded" });
    const small = await postPrepayment(clinic, { savedPaymentMethodId: clinic.card.id, amount: 30 });
    expect(small.status).toBe(422);
    expect(small.json).toMatchObject({ error: { fields: { amount: [expect.stringMatching(/at least \$0\.50/)] } } });
  });
});
