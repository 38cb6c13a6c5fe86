import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callRoute } from "@/tests/api-client";
import { createTestOrganization, createTestPatient } from "@/tests/factories";
import { assertNoPatientDataSentToStripe, startTestStripe, type TestStripe } from "@/tests/stripe";
import { setupTestDatabase } from "@/tests/test-database";
import { consentTermsText } from "@/lib/consent/terms";
import * as setups from "@/app/api/card/[token]/setups/route";
import * as complete from "@/app/api/card/[token]/setups/[setupId]/complete/route";
import { createCardLink, getLiveCardLink, revokeCardLinks } from "./create-card-link";
import { getCardPage } from "./get-card-page";
import { assertCardPageRate, resolveCardLink } from "./resolve-card-link";

const database = setupTestDatabase();
let stripe: TestStripe;
const patients: { firstName: string; lastName: string; email: string | null }[] = [];

beforeAll(async () => {
  stripe = await startTestStripe();
  process.env.STRIPE_SECRET_KEY = stripe.secretKey;
  process.env.STRIPE_EMULATOR_URL = stripe.emulator.url;
});
afterAll(async () => {
  await assertNoPatientDataSentToStripe(stripe.emulator.url, patients, { secretKey: stripe.secretKey });
  await stripe.close();
});

async function clinicWithPatient(email: string | null = "katherine.johnson@example.test") {
  const org = await createTestOrganization(database.db);
  const patient = await createTestPatient(database.db, { organizationId: org.organizationId, firstName: "Katherine", email: email ?? undefined });
  patients.push(patient);
  return { org, organizationId: org.organizationId, patientId: patient.id };
}

const shortIdOf = (url: string) => /\/card\/([0-9A-Za-z]{12})$/.exec(url)?.[1] ?? "";
const PHONE_UA = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) Mobile/15E148 Safari/604.1";

/** The patient on their phone: accept the terms, enter the card (confirmed through the SDK here), back to the page. */
async function saveFromLink(token: string, options: { replaceCurrent?: boolean; card?: string } = {}) {
  const started = await callRoute(setups.POST, {
    method: "POST",
    path: `/api/card/${token}/setups`,
    params: { token },
    body: { acceptedTerms: true, replaceCurrent: options.replaceCurrent ?? false },
    headers: { "user-agent": PHONE_UA },
  });
  expect(started.status).toBe(201);
  const setupId = started.json!.setupId as string;
  const setup = await database.db.cardSetup.findUniqueOrThrow({ where: { id: setupId } });
  await stripe.stripe.setupIntents.confirm(setup.stripeSetupIntentId!, { payment_method: options.card ?? "pm_card_visa" });
  const done = await callRoute(complete.POST, { method: "POST", path: `/api/card/${token}/setups/${setupId}/complete`, params: { token, setupId } });
  return { started, done, setupId };
}

describe("card links", () => {
  it("emails a link with the clinic's name and nothing medical; the page shows the clinic, the patient's first name and the terms", async () => {
    const { org, organizationId, patientId } = await clinicWithPatient();
    const link = await createCardLink(database.db, { organizationId, patientId, actor: org.adminActor, email: true });
    expect(link.url).toMatch(/\/card\/[0-9A-Za-z]{12}$/);
    const email = await database.db.email.findFirstOrThrow({ where: { organizationId, kind: "card_link" } });
    expect(email.toAddress).toBe("katherine.johnson@example.test");
    expect(email.text).toContain(link.url);
    expect(email.text).toContain(`Clinic ${org.slug}`);
    expect(email.invoiceId).toBeNull();
    expect(`${email.subject} ${email.text}`).not.toMatch(/invoice|diagnos|visit|INV-|\$/i);
    const page = await getCardPage(database.db, shortIdOf(link.url));
    expect(page).toMatchObject({
      kind: "open",
      patientFirstName: "Katherine",
      currentCard: null,
      termsText: consentTermsText("card-on-file-2026-12", `Clinic ${org.slug}`),
    });
  });

  it("is valid until it expires, a new link revokes the previous one, and revoked or unknown links open nothing", async () => {
    const { org, organizationId, patientId } = await clinicWithPatient();
    const now = new Date();
    const first = await createCardLink(database.db, { organizationId, patientId, actor: org.adminActor, email: false, now });
    const token = shortIdOf(first.url);
    expect(await resolveCardLink(database.db, token, now)).toMatchObject({ ok: true, patientId, organizationId });
    expect(await resolveCardLink(database.db, token, new Date(now.getTime() + 7 * 86_400_000 + 1))).toEqual({ ok: false, reason: "expired", organizationId });
    const second = await createCardLink(database.db, { organizationId, patientId, actor: org.adminActor, email: false, now });
    expect(await resolveCardLink(database.db, token, now)).toEqual({ ok: false, reason: "revoked", organizationId });
    expect(await resolveCardLink(database.db, shortIdOf(second.url), now)).toMatchObject({ ok: true });
    expect((await getLiveCardLink(database.db, { organizationId, patientId }))?.url).toBe(second.url);
    await revokeCardLinks(database.db, { organizationId, patientId, actor: org.adminActor });
    expect(await resolveCardLink(database.db, shortIdOf(second.url))).toMatchObject({ ok: false, reason: "revoked" });
    expect(await getLiveCardLink(database.db, { organizationId, patientId })).toBeNull();
    expect(await resolveCardLink(database.db, "AAAAAAAAAAAA")).toEqual({ ok: false, reason: "invalid" });
    expect(await resolveCardLink(database.db, "../../etc")).toEqual({ ok: false, reason: "invalid" });
    // A revoked link cannot start a setup: 404, nothing written.
    const refused = await callRoute(setups.POST, {
      method: "POST",
      path: `/api/card/${token}/setups`,
      params: { token },
      body: { acceptedTerms: true },
    });
    expect(refused.status).toBe(404);
    expect(await database.db.paymentConsent.count({ where: { patientId } })).toBe(0);
  });

  it("refuses to email a patient without an email address, or a patient of another clinic", async () => {
    const { org, organizationId, patientId } = await clinicWithPatient(null);
    const other = await clinicWithPatient();
    await expect(createCardLink(database.db, { organizationId, patientId, actor: org.adminActor, email: true })).rejects.toMatchObject({
      code: "VALIDATION_FAILED",
      fields: { email: [expect.any(String)] },
    });
    await expect(createCardLink(database.db, { organizationId, patientId: other.patientId, actor: org.adminActor, email: false })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    expect(await database.db.cardLink.count({ where: { patientId: { in: [patientId, other.patientId] } } })).toBe(0);
  });

  it("the patient saves a card (consent patient_online with their browser), then replaces it: the old card is removed and detached", async () => {
    const { org, organizationId, patientId } = await clinicWithPatient();
    const link = await createCardLink(database.db, { organizationId, patientId, actor: org.adminActor, email: false });
    const token = shortIdOf(link.url);
    // Without the terms ticked: 422, nothing written.
    const unticked = await callRoute(setups.POST, { method: "POST", path: `/api/card/${token}/setups`, params: { token }, body: { acceptedTerms: false } });
    expect(unticked.status).toBe(422);
    expect(unticked.json!.error!.fields).toEqual({ acceptedTerms: ["Please accept the terms to save your card."] });
    const malformed = await callRoute(setups.POST, { method: "POST", path: `/api/card/${token}/setups`, params: { token }, body: { acceptedTerms: "yes" } });
    expect(malformed.status).toBe(422);
    expect(await database.db.paymentConsent.count({ where: { patientId } })).toBe(0);

    const first = await saveFromLink(token);
    expect(first.done.json).toEqual({ state: "saved", message: null });
    const original = await database.db.savedPaymentMethod.findFirstOrThrow({ where: { patientId }, include: { consent: true } });
    expect(original).toMatchObject({ source: "card_link", isDefault: true, last4: "4242" });
    expect(original.consent).toMatchObject({ acceptedBy: "patient_online", acceptedByUserId: null, userAgent: PHONE_UA, termsVersion: "card-on-file-2026-12" });
    expect((await getCardPage(database.db, token)) as { currentCard: unknown }).toMatchObject({ currentCard: { id: original.id, last4: "4242" } });

    const second = await saveFromLink(token, { replaceCurrent: true, card: "pm_card_mastercard" });
    expect(second.done.json).toEqual({ state: "saved", message: null });
    const cards = await database.db.savedPaymentMethod.findMany({ where: { patientId }, orderBy: { createdAt: "asc" } });
    expect(cards.map((card) => [card.last4, card.isDefault, card.removedAt !== null])).toEqual([
      ["4242", false, true],
      ["4444", true, false],
    ]);
    expect((await stripe.stripe.paymentMethods.retrieve(original.stripePaymentMethodId)).customer).toBeNull();
    expect(await database.db.paymentConsent.count({ where: { patientId } })).toBe(2);
    // Completing again changes nothing; a setup id of another link is not found.
    const again = await callRoute(complete.POST, {
      method: "POST",
      path: `/api/card/${token}/setups/${second.setupId}/complete`,
      params: { token, setupId: second.setupId },
    });
    expect(again.json).toEqual({ state: "saved", message: null });
    const stranger = await clinicWithPatient();
    const strangerLink = await createCardLink(database.db, {
      organizationId: stranger.organizationId,
      patientId: stranger.patientId,
      actor: stranger.org.adminActor,
      email: false,
    });
    const strangerToken = shortIdOf(strangerLink.url);
    const crossed = await callRoute(complete.POST, {
      method: "POST",
      path: `/api/card/${strangerToken}/setups/${second.setupId}/complete`,
      params: { token: strangerToken, setupId: second.setupId },
    });
    expect(crossed.status).toBe(404);
  });

  it("limits attempts per IP: the eleventh start within ten minutes is refused (429), other IPs still pass", async () => {
    const token = "RateLimitTk1";
    const ip = `198.51.100.${Math.floor(Math.random() * 200) + 20}`;
    for (let attempt = 0; attempt < 10; attempt++) await assertCardPageRate(database.db, { kind: "attempt", ip, token: `${token}${attempt}` });
    await expect(assertCardPageRate(database.db, { kind: "attempt", ip, token: `${token}x` })).rejects.toMatchObject({ code: "RATE_LIMITED" });
    await expect(assertCardPageRate(database.db, { kind: "attempt", ip: "192.0.2.55", token: `${token}y` })).resolves.toBeUndefined();
  });
});
