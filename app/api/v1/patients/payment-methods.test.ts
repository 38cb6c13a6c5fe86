import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiKey } from "@/lib/api-keys/create-api-key";
import { completeCardSetup } from "@/lib/cards-on-file/apply-setup-intent";
import { startCardSetup } from "@/lib/cards-on-file/start-card-setup";
import { callRoute } from "@/tests/api-client";
import { createTestOrganization, createTestPatient } from "@/tests/factories";
import { assertNoPatientDataSentToStripe, startTestStripe, type TestStripe } from "@/tests/stripe";
import { setupTestDatabase } from "@/tests/test-database";
import * as list from "./[id]/payment-methods/route";
import * as one from "./[id]/payment-methods/[pmId]/route";
import * as makeDefault from "./[id]/payment-methods/[pmId]/default/route";

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

async function clinicWithCards(count: number) {
  const org = await createTestOrganization(database.db);
  const key = await createApiKey(database.db, { organizationId: org.organizationId, actor: org.adminActor, input: { name: "EHR sync" } });
  const patient = await createTestPatient(database.db, { organizationId: org.organizationId, firstName: "Ada", email: "ada.lovelace@example.test" });
  patients.push(patient);
  const cardIds: string[] = [];
  for (const [index, card] of ["pm_card_visa", "pm_card_mastercard", "pm_card_amex"].slice(0, count).entries()) {
    const started = await startCardSetup(database.db, {
      organizationId: org.organizationId,
      patientId: patient.id,
      source: "front_desk",
      by: { kind: "staff_on_behalf", userId: org.adminUserId },
      acceptedTerms: true,
      makeDefault: index === 0,
      ip: null,
      userAgent: null,
      actor: org.adminActor,
      stripe: stripe.stripe,
    });
    const setup = await database.db.cardSetup.findUniqueOrThrow({ where: { id: started.setupId } });
    await stripe.stripe.setupIntents.confirm(setup.stripeSetupIntentId!, { payment_method: card });
    const result = await completeCardSetup(database.db, { organizationId: org.organizationId, setupId: started.setupId, stripe: stripe.stripe });
    if (result?.state !== "saved") throw new Error("card not saved");
    cardIds.push(result.cardId);
  }
  return { org, apiKey: key.secret, patientId: patient.id, cardIds };
}

describe("/api/v1/patients/{id}/payment-methods", () => {
  it("lists brand, last 4, expiry, default, source and consent only; makes default; removes (detached in Stripe)", async () => {
    const { apiKey, patientId, cardIds } = await clinicWithCards(2);
    const listed = await callRoute(list.GET, { path: `/api/v1/patients/${patientId}/payment-methods`, params: { id: patientId }, apiKey });
    expect(listed.status).toBe(200);
    const data = listed.json!.data as Record<string, unknown>[];
    expect(data).toHaveLength(2);
    expect(data[0]).toEqual({
      id: cardIds[0],
      type: "card",
      brand: "visa",
      last4: "4242",
      expMonth: expect.any(Number),
      expYear: expect.any(Number),
      isDefault: true,
      source: "front_desk",
      consent: { acceptedBy: "staff_on_behalf", acceptedAt: expect.any(String) },
    });
    // Nothing that identifies the card beyond brand, last 4 and expiry: no Stripe id, no fingerprint.
    expect(JSON.stringify(listed.json)).not.toMatch(/pm_|fingerprint|cus_/);

    const defaulted = await callRoute(makeDefault.POST, {
      method: "POST",
      path: `/api/v1/patients/${patientId}/payment-methods/${cardIds[1]}/default`,
      params: { id: patientId, pmId: cardIds[1]! },
      apiKey,
    });
    expect(defaulted.status).toBe(200);
    expect((defaulted.json!.data as { id: string; isDefault: boolean }[]).map((card) => [card.id, card.isDefault])).toEqual([
      [cardIds[1], true],
      [cardIds[0], false],
    ]);

    const removed = await callRoute(one.DELETE, {
      method: "DELETE",
      path: `/api/v1/patients/${patientId}/payment-methods/${cardIds[1]}`,
      params: { id: patientId, pmId: cardIds[1]! },
      apiKey,
    });
    expect(removed.status).toBe(204);
    const row = await database.db.savedPaymentMethod.findUniqueOrThrow({ where: { id: cardIds[1]! } });
    expect(row.removedAt).not.toBeNull();
    expect((await stripe.stripe.paymentMethods.retrieve(row.stripePaymentMethodId)).customer).toBeNull();
    const after = await callRoute(list.GET, { path: `/api/v1/patients/${patientId}/payment-methods`, params: { id: patientId }, apiKey });
    expect((after.json!.data as { id: string }[]).map((card) => card.id)).toEqual([cardIds[0]]);
    const again = await callRoute(one.DELETE, {
      method: "DELETE",
      path: `/api/v1/patients/${patientId}/payment-methods/${cardIds[1]}`,
      params: { id: patientId, pmId: cardIds[1]! },
      apiKey,
    });
    expect(again.status).toBe(404);
  });

  it("answers 404 for another organization's patient or card, malformed ids and unknown ids, changing nothing", async () => {
    const mine = await clinicWithCards(1);
    const theirs = await clinicWithCards(1);
    const theirCard = theirs.cardIds[0]!;
    const cases = [
      await callRoute(list.GET, { path: `/api/v1/patients/${theirs.patientId}/payment-methods`, params: { id: theirs.patientId }, apiKey: mine.apiKey }),
      await callRoute(list.GET, { path: "/api/v1/patients/not-a-uuid/payment-methods", params: { id: "not-a-uuid" }, apiKey: mine.apiKey }),
      await callRoute(one.DELETE, {
        method: "DELETE",
        path: `/api/v1/patients/${mine.patientId}/payment-methods/${theirCard}`,
        params: { id: mine.patientId, pmId: theirCard },
        apiKey: mine.apiKey,
      }),
      await callRoute(one.DELETE, {
        method: "DELETE",
        path: `/api/v1/patients/${theirs.patientId}/payment-methods/${theirCard}`,
        params: { id: theirs.patientId, pmId: theirCard },
        apiKey: mine.apiKey,
      }),
      await callRoute(one.DELETE, {
        method: "DELETE",
        path: `/api/v1/patients/${mine.patientId}/payment-methods/nope`,
        params: { id: mine.patientId, pmId: "nope" },
        apiKey: mine.apiKey,
      }),
      await callRoute(makeDefault.POST, {
        method: "POST",
        path: `/api/v1/patients/${theirs.patientId}/payment-methods/${theirCard}/default`,
        params: { id: theirs.patientId, pmId: theirCard },
        apiKey: mine.apiKey,
      }),
    ];
    expect(cases.map((response) => response.status)).toEqual([404, 404, 404, 404, 404, 404]);
    const theirRow = await database.db.savedPaymentMethod.findUniqueOrThrow({ where: { id: theirCard } });
    expect(theirRow.removedAt).toBeNull();
    expect(theirRow.isDefault).toBe(true);
    expect((await stripe.stripe.paymentMethods.retrieve(theirRow.stripePaymentMethodId)).customer).not.toBeNull();
    const unauthenticated = await callRoute(list.GET, { path: `/api/v1/patients/${mine.patientId}/payment-methods`, params: { id: mine.patientId } });
    expect(unauthenticated.status).toBe(401);
  });
});
