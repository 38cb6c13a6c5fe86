import type Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { consentTermsText } from "@/lib/consent/terms";
import { createInvoice } from "@/lib/invoices/create-invoice";
import { finalizeInvoice } from "@/lib/invoices/finalize-invoice";
import { chargeSavedCard } from "@/lib/payments/charge-saved-card";
import { createPaymentAttempt } from "@/lib/payments/create-payment-attempt";
import { getChargeableCard } from "@/lib/payments/get-chargeable-card";
import { expiresSoon, listSavedCards } from "@/lib/payments/list-saved-cards";
import { syncPaymentIntent } from "@/lib/payments/sync-payment-intent";
import { processStripeEvent } from "@/lib/webhooks/process-stripe-event";
import { createTestOrganization, createTestPatient } from "@/tests/factories";
import { assertNoPatientDataSentToStripe, postEmulatorControl, startTestStripe, type TestStripe } from "@/tests/stripe";
import { setupTestDatabase } from "@/tests/test-database";
import { completeCardSetup } from "./apply-setup-intent";
import { removeCard } from "./remove-card";
import { setDefaultCard } from "./set-default-card";
import { startCardSetup } from "./start-card-setup";

const database = setupTestDatabase();
let stripe: TestStripe;
const patients: { firstName: string; lastName: string; email: string | null }[] = [];

beforeAll(async () => {
  stripe = await startTestStripe();
});
afterAll(async () => {
  await assertNoPatientDataSentToStripe(stripe.emulator.url, patients, { secretKey: stripe.secretKey });
  await stripe.close();
});

async function clinicWithPatient() {
  const org = await createTestOrganization(database.db);
  const patient = await createTestPatient(database.db, { organizationId: org.organizationId, firstName: "Grace", email: "grace.hopper@example.test" });
  patients.push(patient);
  return { org, organizationId: org.organizationId, patientId: patient.id, staff: org.adminActor };
}

const STAFF_UA = "Mozilla/5.0 (Desk) Chrome/130";

/** Staff at the desk: tick the terms, the patient's card entered in Elements (here: confirmed through the SDK), back from confirmSetup. */
async function addCardAtDesk(
  context: Awaited<ReturnType<typeof clinicWithPatient>>,
  options: { card?: string; makeDefault?: boolean; complete?: boolean } = {},
) {
  const started = await startCardSetup(database.db, {
    organizationId: context.organizationId,
    patientId: context.patientId,
    source: "front_desk",
    by: { kind: "staff_on_behalf", userId: context.org.adminUserId },
    acceptedTerms: true,
    makeDefault: options.makeDefault ?? true,
    ip: "203.0.113.7",
    userAgent: STAFF_UA,
    actor: context.staff,
    stripe: stripe.stripe,
  });
  const setup = await database.db.cardSetup.findUniqueOrThrow({ where: { id: started.setupId } });
  await stripe.stripe.setupIntents.confirm(setup.stripeSetupIntentId!, { payment_method: options.card ?? "pm_card_visa" });
  if (options.complete === false) return { started, setup, result: null };
  const result = await completeCardSetup(database.db, {
    organizationId: context.organizationId,
    patientId: context.patientId,
    setupId: started.setupId,
    stripe: stripe.stripe,
  });
  return { started, setup, result };
}

/** Every event Stripe sent of these types, oldest first, processed as the webhook route would. */
async function deliverEvents(types: string[]) {
  const events = await stripe.stripe.events.list({ limit: 100 });
  const wanted = events.data.filter((event) => types.includes(event.type)).reverse();
  const outcomes = [];
  for (const event of wanted) outcomes.push(await processStripeEvent(database.db, event as Stripe.Event, stripe.stripe));
  return outcomes;
}

describe("cards on file at the front desk", () => {
  it("saves the card with a staff_on_behalf consent holding the exact terms text, the staff member, IP and browser", async () => {
    const context = await clinicWithPatient();
    const { result, setup } = await addCardAtDesk(context);
    expect(result).toMatchObject({ state: "saved", becameSaved: true });
    const intent = await stripe.stripe.setupIntents.retrieve(setup.stripeSetupIntentId!);
    expect(intent.usage).toBe("off_session");
    const cards = await listSavedCards(database.db, { organizationId: context.organizationId, patientId: context.patientId });
    expect(cards).toEqual([expect.objectContaining({ brand: "visa", last4: "4242", isDefault: true, source: "front_desk", acceptedBy: "staff_on_behalf" })]);
    const card = await database.db.savedPaymentMethod.findUniqueOrThrow({ where: { id: cards[0]!.id }, include: { consent: true } });
    const organization = await database.db.organization.findUniqueOrThrow({ where: { id: context.organizationId } });
    expect(card.consent).toMatchObject({
      termsVersion: "card-on-file-2026-12",
      termsText: consentTermsText("card-on-file-2026-12", organization.name),
      acceptedBy: "staff_on_behalf",
      acceptedByUserId: context.org.adminUserId,
      ip: "203.0.113.7",
      userAgent: STAFF_UA,
      patientId: context.patientId,
    });
    expect(card.consent!.termsText).toContain(organization.name);
    expect(card.consentedAt).toEqual(card.consent!.acceptedAt);
    // The card is attached to the patient's customer in Stripe.
    const paymentMethod = await stripe.stripe.paymentMethods.retrieve(card.stripePaymentMethodId);
    const patient = await database.db.patient.findUniqueOrThrow({ where: { id: context.patientId } });
    expect(paymentMethod.customer).toBe(patient.stripeCustomerId);
  });

  it("applies the SetupIntent once whichever comes first: the webhook, the browser's return, both, a duplicate event", async () => {
    const context = await clinicWithPatient();
    const { started } = await addCardAtDesk(context, { complete: false });
    const outcomes = await deliverEvents(["setup_intent.succeeded"]);
    expect(outcomes).toContain("applied");
    expect(await deliverEvents(["setup_intent.succeeded"])).not.toContain("applied");
    const again = await completeCardSetup(database.db, {
      organizationId: context.organizationId,
      patientId: context.patientId,
      setupId: started.setupId,
      stripe: stripe.stripe,
    });
    expect(again).toMatchObject({ state: "saved", becameSaved: false });
    expect(await database.db.savedPaymentMethod.count({ where: { patientId: context.patientId } })).toBe(1);
    expect(await database.db.paymentConsent.count({ where: { patientId: context.patientId } })).toBe(1);
  });

  it("the browser's return and the webhook at the same moment save one card", async () => {
    const context = await clinicWithPatient();
    const { started } = await addCardAtDesk(context, { complete: false });
    await Promise.all([
      completeCardSetup(database.db, { organizationId: context.organizationId, setupId: started.setupId, stripe: stripe.stripe }),
      completeCardSetup(database.db, { organizationId: context.organizationId, setupId: started.setupId, stripe: stripe.stripe }),
      deliverEvents(["setup_intent.succeeded"]),
    ]);
    expect(await database.db.savedPaymentMethod.count({ where: { patientId: context.patientId } })).toBe(1);
    expect(await database.db.savedPaymentMethod.count({ where: { patientId: context.patientId, isDefault: true } })).toBe(1);
  });

  it("refuses without the terms ticked, for an unknown patient or one of another clinic, writing nothing", async () => {
    const context = await clinicWithPatient();
    const other = await clinicWithPatient();
    const base = {
      organizationId: context.organizationId,
      patientId: context.patientId,
      source: "front_desk" as const,
      by: { kind: "staff_on_behalf" as const, userId: context.org.adminUserId },
      acceptedTerms: true,
      makeDefault: true,
      ip: null,
      userAgent: null,
      actor: context.staff,
      stripe: stripe.stripe,
    };
    await expect(startCardSetup(database.db, { ...base, acceptedTerms: false })).rejects.toMatchObject({
      code: "VALIDATION_FAILED",
      fields: { acceptedTerms: ["Confirm that the patient agreed to these terms."] },
    });
    await expect(startCardSetup(database.db, { ...base, patientId: other.patientId })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await database.db.paymentConsent.count({ where: { patientId: { in: [context.patientId, other.patientId] } } })).toBe(0);
    expect(await database.db.cardSetup.count({ where: { patientId: { in: [context.patientId, other.patientId] } } })).toBe(0);
  });

  it("a declined card saves nothing; the setup stays open for another card", async () => {
    const context = await clinicWithPatient();
    const started = await startCardSetup(database.db, {
      organizationId: context.organizationId,
      patientId: context.patientId,
      source: "front_desk",
      by: { kind: "staff_on_behalf", userId: context.org.adminUserId },
      acceptedTerms: true,
      makeDefault: true,
      ip: null,
      userAgent: null,
      actor: context.staff,
      stripe: stripe.stripe,
    });
    const setup = await database.db.cardSetup.findUniqueOrThrow({ where: { id: started.setupId } });
    await expect(stripe.stripe.setupIntents.confirm(setup.stripeSetupIntentId!, { payment_method: "pm_card_chargeDeclined" })).rejects.toThrow();
    const result = await completeCardSetup(database.db, { organizationId: context.organizationId, setupId: started.setupId, stripe: stripe.stripe });
    expect(result).toMatchObject({ state: "failed" });
    expect(await database.db.savedPaymentMethod.count({ where: { patientId: context.patientId } })).toBe(0);
  });

  it("one default: a new default replaces the old one, make default and remove (detached in Stripe) work, scoped to the patient", async () => {
    const context = await clinicWithPatient();
    const other = await clinicWithPatient();
    const first = await addCardAtDesk(context);
    const second = await addCardAtDesk(context, { card: "pm_card_mastercard", makeDefault: false });
    const third = await addCardAtDesk(context, { card: "pm_card_amex" });
    const ids = {
      first: (first.result as { cardId: string }).cardId,
      second: (second.result as { cardId: string }).cardId,
      third: (third.result as { cardId: string }).cardId,
    };
    const defaults = async () =>
      (await database.db.savedPaymentMethod.findMany({ where: { patientId: context.patientId, isDefault: true, removedAt: null } })).map((card) => card.id);
    expect(await defaults()).toEqual([ids.third]);
    await setDefaultCard(database.db, { organizationId: context.organizationId, patientId: context.patientId, cardId: ids.second, actor: context.staff });
    expect(await defaults()).toEqual([ids.second]);
    // Another clinic's staff cannot touch it.
    await expect(
      setDefaultCard(database.db, { organizationId: other.organizationId, patientId: context.patientId, cardId: ids.first, actor: other.staff }),
    ).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(
      removeCard(database.db, {
        organizationId: other.organizationId,
        patientId: other.patientId,
        cardId: ids.first,
        actor: other.staff,
        stripe: stripe.stripe,
      }),
    ).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await removeCard(database.db, {
      organizationId: context.organizationId,
      patientId: context.patientId,
      cardId: ids.second,
      actor: context.staff,
      stripe: stripe.stripe,
    });
    const removed = await database.db.savedPaymentMethod.findUniqueOrThrow({ where: { id: ids.second } });
    expect(removed.removedAt).not.toBeNull();
    expect(removed.isDefault).toBe(false);
    expect((await stripe.stripe.paymentMethods.retrieve(removed.stripePaymentMethodId)).customer).toBeNull();
    expect(await getChargeableCard(database.db, { organizationId: context.organizationId, patientId: context.patientId })).toBeNull();
    expect(
      await getChargeableCard(database.db, { organizationId: context.organizationId, patientId: context.patientId, savedPaymentMethodId: ids.second }),
    ).toBeNull();
    await expect(
      removeCard(database.db, {
        organizationId: context.organizationId,
        patientId: context.patientId,
        cardId: ids.second,
        actor: context.staff,
        stripe: stripe.stripe,
      }),
    ).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    // The detach webhook that follows changes nothing more.
    await deliverEvents(["payment_method.detached"]);
    expect((await listSavedCards(database.db, { organizationId: context.organizationId, patientId: context.patientId })).map((card) => card.id).sort()).toEqual(
      [ids.first, ids.third].sort(),
    );
  });
});

describe("getChargeableCard", () => {
  it("gives the named card or the default, only with a consent, of this organization and patient", async () => {
    const context = await clinicWithPatient();
    const other = await clinicWithPatient();
    expect(await getChargeableCard(database.db, { organizationId: context.organizationId, patientId: context.patientId })).toBeNull();
    const { result } = await addCardAtDesk(context);
    const cardId = (result as { cardId: string }).cardId;
    const card = await database.db.savedPaymentMethod.findUniqueOrThrow({ where: { id: cardId } });
    const expected = {
      id: cardId,
      stripePaymentMethodId: card.stripePaymentMethodId,
      consentId: card.consentId,
      brand: "visa",
      last4: "4242",
      expMonth: card.expMonth,
      expYear: card.expYear,
    };
    expect(await getChargeableCard(database.db, { organizationId: context.organizationId, patientId: context.patientId })).toEqual(expected);
    expect(
      await getChargeableCard(database.db, { organizationId: context.organizationId, patientId: context.patientId, savedPaymentMethodId: cardId }),
    ).toEqual(expected);
    expect(
      await getChargeableCard(database.db, { organizationId: other.organizationId, patientId: context.patientId, savedPaymentMethodId: cardId }),
    ).toBeNull();
    expect(
      await getChargeableCard(database.db, { organizationId: context.organizationId, patientId: other.patientId, savedPaymentMethodId: cardId }),
    ).toBeNull();
    // A card without a consent (saved before consents were recorded, say) is never chargeable, nor can staff charge it.
    const bare = await database.db.savedPaymentMethod.create({
      data: {
        organizationId: context.organizationId,
        patientId: context.patientId,
        stripePaymentMethodId: `pm_bare_${cardId.slice(0, 8)}`,
        brand: "visa",
        last4: "1111",
        expMonth: 1,
        expYear: 2040,
        consentedAt: new Date(),
      },
    });
    expect(
      await getChargeableCard(database.db, { organizationId: context.organizationId, patientId: context.patientId, savedPaymentMethodId: bare.id }),
    ).toBeNull();
    const draft = await createInvoice(database.db, {
      organizationId: context.organizationId,
      actor: context.staff,
      input: { patientId: context.patientId, lines: [{ description: "Visit", quantity: 1, unitAmount: 5_000 }] },
    });
    await finalizeInvoice(database.db, { organizationId: context.organizationId, invoiceId: draft.id, actor: context.staff });
    await expect(
      chargeSavedCard(database.db, {
        organizationId: context.organizationId,
        actor: context.staff,
        input: { invoiceId: draft.id, savedPaymentMethodId: bare.id },
        stripe: stripe.stripe,
      }),
    ).rejects.toMatchObject({ code: "VALIDATION_FAILED", fields: { savedPaymentMethodId: [expect.stringContaining("agreement")] } });
    expect(await database.db.payment.count({ where: { invoiceId: draft.id } })).toBe(0);
  });
});

describe("Stripe's account updater and detaches", () => {
  it("payment_method.automatically_updated refreshes expiry and last 4; a detach in Stripe removes the card", async () => {
    const context = await clinicWithPatient();
    const { result } = await addCardAtDesk(context);
    const cardId = (result as { cardId: string }).cardId;
    const card = await database.db.savedPaymentMethod.findUniqueOrThrow({ where: { id: cardId } });
    await postEmulatorControl(stripe, `/payment-methods/${card.stripePaymentMethodId}/account-update`, { exp_month: 3, exp_year: 2039, last4: "0077" });
    expect(await deliverEvents(["payment_method.automatically_updated"])).toContain("applied");
    expect(await database.db.savedPaymentMethod.findUniqueOrThrow({ where: { id: cardId } })).toMatchObject({
      expMonth: 3,
      expYear: 2039,
      last4: "0077",
      removedAt: null,
    });
    // An API update (payment_method.updated) is followed too.
    await stripe.stripe.paymentMethods.update(card.stripePaymentMethodId, { card: { exp_month: 5, exp_year: 2040 } });
    await deliverEvents(["payment_method.updated"]);
    expect(await database.db.savedPaymentMethod.findUniqueOrThrow({ where: { id: cardId } })).toMatchObject({ expMonth: 5, expYear: 2040, last4: "0077" });
    // Detached outside Carebill (Stripe's dashboard): removed here, never charged.
    await stripe.stripe.paymentMethods.detach(card.stripePaymentMethodId);
    await deliverEvents(["payment_method.detached"]);
    const after = await database.db.savedPaymentMethod.findUniqueOrThrow({ where: { id: cardId } });
    expect(after.removedAt).not.toBeNull();
    expect(after.isDefault).toBe(false);
    expect(await getChargeableCard(database.db, { organizationId: context.organizationId, patientId: context.patientId })).toBeNull();
  });
});

describe("the pay page's save-my-card consent", () => {
  it("is recorded when the attempt starts, with the patient's IP and browser, and the saved card links to it", async () => {
    const context = await clinicWithPatient();
    const draft = await createInvoice(database.db, {
      organizationId: context.organizationId,
      actor: context.staff,
      input: { patientId: context.patientId, lines: [{ description: "Visit", quantity: 1, unitAmount: 8_000 }] },
    });
    await finalizeInvoice(database.db, { organizationId: context.organizationId, invoiceId: draft.id, actor: context.staff });
    const attempt = await createPaymentAttempt(database.db, {
      organizationId: context.organizationId,
      invoiceId: draft.id,
      saveCard: true,
      client: { ip: "198.51.100.4", userAgent: "Mozilla/5.0 (iPhone) Safari/604.1" },
      stripe: stripe.stripe,
    });
    await stripe.stripe.paymentIntents.confirm(attempt.paymentIntent.id, { payment_method: "pm_card_visa" });
    await syncPaymentIntent(database.db, attempt.paymentIntent.id, stripe.stripe);
    const cards = await database.db.savedPaymentMethod.findMany({ where: { patientId: context.patientId }, include: { consent: true } });
    expect(cards).toHaveLength(1);
    const organization = await database.db.organization.findUniqueOrThrow({ where: { id: context.organizationId } });
    expect(cards[0]!.consent).toMatchObject({
      termsVersion: "pay-page-2026-11",
      termsText: consentTermsText("pay-page-2026-11", organization.name),
      acceptedBy: "patient_online",
      acceptedByUserId: null,
      ip: "198.51.100.4",
      userAgent: "Mozilla/5.0 (iPhone) Safari/604.1",
    });
    expect(cards[0]!.source).toBe("pay_page");
    expect(await database.db.paymentConsent.count({ where: { patientId: context.patientId } })).toBe(1);
  });

  it("every saved card in the database has a consent with a terms text", async () => {
    const missing = await database.db.savedPaymentMethod.findMany({
      where: { OR: [{ consentId: null }, { consent: { termsText: "" } }], NOT: { stripePaymentMethodId: { startsWith: "pm_bare_" } } },
    });
    expect(missing).toEqual([]);
  });
});

describe("expiresSoon", () => {
  it("flags cards expiring this month or next, not later ones nor expired ones", () => {
    const today = { year: 2026, month: 12 };
    expect(expiresSoon({ expMonth: 12, expYear: 2026 }, today)).toBe(true);
    expect(expiresSoon({ expMonth: 1, expYear: 2027 }, today)).toBe(true);
    expect(expiresSoon({ expMonth: 2, expYear: 2027 }, today)).toBe(false);
    expect(expiresSoon({ expMonth: 11, expYear: 2026 }, today)).toBe(false);
  });
});
