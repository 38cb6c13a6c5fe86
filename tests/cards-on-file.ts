import type Stripe from "stripe";
import type { Db } from "@/lib/db/client";

/**
 * A card the patient saved with their recorded consent (terms text, who, when): a Stripe customer
 * and card at the emulator, our consent and card rows. `isDefault` makes it the patient's default.
 */
export async function saveCardWithConsent(
  db: Db,
  stripe: Stripe,
  options: { organizationId: string; patientId: string; number: string; isDefault?: boolean; acceptedAt?: Date },
) {
  const { organizationId, patientId, number } = options;
  const isDefault = options.isDefault ?? true;
  let { stripeCustomerId } = await db.patient.findUniqueOrThrow({ where: { id: patientId }, select: { stripeCustomerId: true } });
  if (!stripeCustomerId) {
    stripeCustomerId = (await stripe.customers.create({ metadata: { organization_id: organizationId } })).id;
    await db.patient.update({ where: { id: patientId }, data: { stripeCustomerId } });
  }
  const paymentMethod = await stripe.paymentMethods.create({ type: "card", card: { number, exp_month: 12, exp_year: 2034, cvc: "123" } });
  await stripe.paymentMethods.attach(paymentMethod.id, { customer: stripeCustomerId });
  const consent = await db.paymentConsent.create({
    data: {
      organizationId,
      patientId,
      termsVersion: "card-on-file-test",
      termsText: "I authorize the clinic to charge this card for my payment plan or membership.",
      acceptedBy: "staff_on_behalf",
      acceptedAt: options.acceptedAt ?? new Date("2027-01-05T14:00:00Z"),
    },
  });
  if (isDefault) await db.savedPaymentMethod.updateMany({ where: { patientId, isDefault: true }, data: { isDefault: false } });
  return db.savedPaymentMethod.create({
    data: {
      organizationId,
      patientId,
      stripePaymentMethodId: paymentMethod.id,
      brand: "visa",
      last4: number.slice(-4),
      expMonth: 12,
      expYear: 2034,
      consentedAt: consent.acceptedAt,
      consentId: consent.id,
      source: "front_desk",
      isDefault,
    },
  });
}

/**
 * A card on file as our rows alone (the consent and the saved card, default, Visa 4242), with no
 * Stripe customer or card behind it: for tests that never charge it (a start in the future, no down
 * payment).
 */
export async function insertCardOnFileRows(db: Db, options: { organizationId: string; patientId: string }) {
  const { organizationId, patientId } = options;
  const consent = await db.paymentConsent.create({
    data: {
      organizationId,
      patientId,
      termsVersion: "card-on-file-test",
      termsText: "I authorize the clinic to charge this card.",
      acceptedBy: "staff_on_behalf",
      acceptedAt: new Date(),
    },
  });
  return db.savedPaymentMethod.create({
    data: {
      organizationId,
      patientId,
      stripePaymentMethodId: `pm_test_${patientId.slice(0, 8)}`,
      brand: "visa",
      last4: "4242",
      expMonth: 12,
      expYear: 2034,
      consentedAt: consent.acceptedAt,
      consentId: consent.id,
      isDefault: true,
    },
  });
}
