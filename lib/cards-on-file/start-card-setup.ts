import type Stripe from "stripe";
import type { Db } from "@/lib/db/client";
import { recordAuditEvent, type AuditActor } from "@/lib/audit/record-audit-event";
import { recordConsent, type ConsentGiver } from "@/lib/consent/record-consent";
import { CARD_ON_FILE_TERMS_VERSION } from "@/lib/consent/terms";
import { AppError } from "@/lib/errors";
import { ensureStripeCustomer } from "@/lib/payments/ensure-stripe-customer";
import { createSetupIntent } from "@/lib/stripe/create-setup-intent";
import { idempotencyKey } from "@/lib/stripe/idempotency-key";

export type CardSetupStarted = { setupId: string; clientSecret: string; termsText: string };

export type TStartCardSetupOptions = {
  organizationId: string;
  patientId: string;
  /** Front desk (staff for the patient present) or the patient's card link. */
  source: "front_desk" | "card_link";
  cardLinkId?: string;
  /** Who ticked the terms: the staff member for the patient, or the patient online. */
  by: ConsentGiver;
  /** The terms box was ticked; without it nothing is written. */
  acceptedTerms: boolean;
  /** Make the new card the patient's default (it replaces the current default). */
  makeDefault: boolean;
  /** A card of the patient's to remove once the new one is saved (the patient replaces their card). */
  replacesCardId?: string;
  ip: string | null;
  userAgent: string | null;
  actor: AuditActor;
  stripe?: Stripe;
};

/**
 * Starts saving a card on file: records the patient's consent (the terms as shown, who ticked
 * them, IP and browser) and the setup attempt in one transaction, committed before Stripe is
 * called; then a SetupIntent (`usage=off_session`) on the patient's Stripe customer, with the
 * attempt's id as idempotency key. The browser confirms it with the card; `applySetupIntent`
 * saves the card when Stripe says it succeeded.
 */
export async function startCardSetup(db: Db, options: TStartCardSetupOptions): Promise<CardSetupStarted> {
  if (!options.acceptedTerms) {
    throw new AppError("VALIDATION_FAILED", "The terms must be accepted to keep a card on file.", {
      fields: {
        acceptedTerms: [
          options.by.kind === "staff_on_behalf" ? "Confirm that the patient agreed to these terms." : "Please accept the terms to save your card.",
        ],
      },
    });
  }
  const setup = await db.$transaction(async (tx) => {
    const patient = await tx.patient.findFirst({
      where: { id: options.patientId, organizationId: options.organizationId },
      select: { id: true, archivedAt: true },
    });
    if (!patient) throw new AppError("NOT_FOUND", "That patient does not exist.");
    if (patient.archivedAt) throw new AppError("CONFLICT", "This patient is archived: restore them before adding a card.");
    if (options.replacesCardId) {
      const replaced = await tx.savedPaymentMethod.findFirst({
        where: { id: options.replacesCardId, patientId: patient.id, removedAt: null },
        select: { id: true },
      });
      if (!replaced) throw new AppError("VALIDATION_FAILED", "That card is not on file.", { fields: { replacesCardId: ["Choose a card that is on file."] } });
    }
    const consent = await recordConsent(tx, {
      organizationId: options.organizationId,
      patientId: patient.id,
      version: CARD_ON_FILE_TERMS_VERSION,
      by: options.by,
      ip: options.ip,
      userAgent: options.userAgent,
    });
    const created = await tx.cardSetup.create({
      data: {
        organizationId: options.organizationId,
        patientId: patient.id,
        consentId: consent.id,
        source: options.source,
        cardLinkId: options.cardLinkId ?? null,
        makeDefault: options.makeDefault || options.replacesCardId !== undefined,
        replacesCardId: options.replacesCardId ?? null,
      },
      select: { id: true },
    });
    await recordAuditEvent(tx, {
      organizationId: options.organizationId,
      actor: options.actor,
      action: "card_on_file.consent_recorded",
      target: { type: "patient", id: patient.id },
      after: { consentId: consent.id, cardSetupId: created.id, acceptedBy: options.by.kind, source: options.source },
    });
    return { id: created.id, termsText: consent.termsText };
  });

  let setupIntent: Stripe.SetupIntent;
  try {
    const customerId = await ensureStripeCustomer(db, { organizationId: options.organizationId, patientId: options.patientId, stripe: options.stripe });
    setupIntent = await createSetupIntent(
      {
        customerId,
        metadata: { organizationId: options.organizationId, patientId: options.patientId, cardSetupId: setup.id },
        idempotencyKey: idempotencyKey("card-setup", setup.id, "create-setup-intent"),
      },
      options.stripe,
    );
  } catch (error) {
    throw new AppError("SERVICE_UNAVAILABLE", "Saving cards is unavailable right now. Try again in a few minutes.", { cause: error });
  }
  await db.cardSetup.update({ where: { id: setup.id }, data: { stripeSetupIntentId: setupIntent.id } });
  if (!setupIntent.client_secret) throw new Error(`SetupIntent ${setupIntent.id} came back without a client secret`);
  return { setupId: setup.id, clientSecret: setupIntent.client_secret, termsText: setup.termsText };
}
