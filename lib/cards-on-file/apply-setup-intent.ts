import type Stripe from "stripe";
import type { Db, Tx } from "@/lib/db/client";
import { lockPatientCards } from "@/lib/db/locks";
import { recoverMembershipsWithNewCard, recoverPlansWithNewCard } from "@/lib/autopay/recover-plans";
import { runAutopay } from "@/lib/autopay/run-autopay";
import { logger } from "@/lib/observability/logger";
import { AUTOMATIC_ACTOR, recordAuditEvent } from "@/lib/audit/record-audit-event";
import { readStripeMetadata } from "@/lib/stripe/metadata";
import { detachPaymentMethod, retrievePaymentMethod, retrieveSetupIntent, type SetupIntentWithCard } from "@/lib/stripe/payment-methods";

export type SetupApplied =
  | {
      state: "saved";
      cardId: string;
      setupId: string;
      organizationId: string;
      patientId: string;
      becameSaved: boolean;
      detachAfterCommit: string | null;
      /** Plans that waited on a card and now have this one, with what is overdue due now: charged after the commit. */
      recoverPlanIds: string[];
      /** Memberships whose overdue periods the new card pays at once (after the commit). */
      recoverMembershipIds: string[];
    }
  | { state: "pending" | "failed"; setupId: string; organizationId: string; patientId: string; message: string | null }
  | null;

/** Makes `cardId` the patient's one default card (the partial unique index allows one). */
export async function makeDefaultCard(tx: Tx, options: { patientId: string; cardId: string }): Promise<void> {
  await tx.savedPaymentMethod.updateMany({ where: { patientId: options.patientId, isDefault: true, NOT: { id: options.cardId } }, data: { isDefault: false } });
  await tx.savedPaymentMethod.update({ where: { id: options.cardId }, data: { isDefault: true } });
}

/**
 * Applies a SetupIntent's outcome to its card setup, convergently: called on the browser's
 * return from `confirmSetup` and on `setup_intent.succeeded`, in any order, any number of times,
 * it saves one card (brand, last 4, expiry from Stripe), linked to the consent recorded when the
 * setup started, made default if asked (or if the patient has none), and removes the card it
 * replaces. Null for a SetupIntent that is not one of ours.
 */
export async function applySetupIntent(tx: Tx, setupIntent: SetupIntentWithCard, paymentMethod: Stripe.PaymentMethod | null): Promise<SetupApplied> {
  const ids = readStripeMetadata(setupIntent.metadata);
  const found = await tx.cardSetup.findFirst({
    where: {
      OR: [
        { stripeSetupIntentId: setupIntent.id },
        ...(ids?.cardSetupId ? [{ id: ids.cardSetupId, organizationId: ids.organizationId, stripeSetupIntentId: null }] : []),
      ],
    },
    select: { id: true, patientId: true },
  });
  if (!found) return null;
  await lockPatientCards(tx, found.patientId);
  const setup = await tx.cardSetup.findUniqueOrThrow({ where: { id: found.id } });
  const base = { setupId: setup.id, organizationId: setup.organizationId, patientId: setup.patientId };
  if (setup.status === "succeeded" && setup.savedPaymentMethodId) {
    return {
      state: "saved",
      cardId: setup.savedPaymentMethodId,
      ...base,
      becameSaved: false,
      detachAfterCommit: null,
      recoverPlanIds: [],
      recoverMembershipIds: [],
    };
  }
  if (setupIntent.status !== "succeeded" || !paymentMethod?.card) {
    const failed = setupIntent.status === "requires_payment_method" && setupIntent.last_setup_error;
    return { state: failed ? "failed" : "pending", ...base, message: setupIntent.last_setup_error?.message ?? null };
  }
  const consent = await tx.paymentConsent.findUniqueOrThrow({ where: { id: setup.consentId }, select: { acceptedAt: true } });
  const card = paymentMethod.card;
  const existing = await tx.savedPaymentMethod.findUnique({ where: { stripePaymentMethodId: paymentMethod.id }, select: { id: true } });
  const saved =
    existing ??
    (await tx.savedPaymentMethod.create({
      data: {
        organizationId: setup.organizationId,
        patientId: setup.patientId,
        stripePaymentMethodId: paymentMethod.id,
        brand: card.brand.slice(0, 20),
        last4: card.last4,
        expMonth: card.exp_month,
        expYear: card.exp_year,
        consentedAt: consent.acceptedAt,
        consentId: setup.consentId,
        source: setup.source,
      },
      select: { id: true },
    }));
  const hasDefault = await tx.savedPaymentMethod.count({ where: { patientId: setup.patientId, isDefault: true, removedAt: null } });
  if (setup.makeDefault || hasDefault === 0) await makeDefaultCard(tx, { patientId: setup.patientId, cardId: saved.id });
  let detachAfterCommit: string | null = null;
  if (setup.replacesCardId && setup.replacesCardId !== saved.id) {
    const replaced = await tx.savedPaymentMethod.updateManyAndReturn({
      where: { id: setup.replacesCardId, patientId: setup.patientId, removedAt: null },
      data: { removedAt: new Date(), isDefault: false },
      select: { stripePaymentMethodId: true },
    });
    detachAfterCommit = replaced[0]?.stripePaymentMethodId ?? null;
  }
  const now = new Date();
  await tx.cardSetup.update({ where: { id: setup.id }, data: { status: "succeeded", savedPaymentMethodId: saved.id, completedAt: now } });
  // The one place a card gets saved (browser return and webhook alike, once per setup: the status above).
  const recoverPlanIds = await recoverPlansWithNewCard(tx, { organizationId: setup.organizationId, patientId: setup.patientId, cardId: saved.id, now });
  const recoverMembershipIds = await recoverMembershipsWithNewCard(tx, {
    organizationId: setup.organizationId,
    patientId: setup.patientId,
    cardId: saved.id,
    now,
  });
  await recordAuditEvent(tx, {
    organizationId: setup.organizationId,
    actor: AUTOMATIC_ACTOR,
    action: "card_on_file.saved",
    target: { type: "patient", id: setup.patientId },
    after: { cardId: saved.id, card: `${card.brand} ${card.last4}`, source: setup.source, consentId: setup.consentId, replacedCardId: setup.replacesCardId },
  });
  return { state: "saved", cardId: saved.id, ...base, becameSaved: true, detachAfterCommit, recoverPlanIds, recoverMembershipIds };
}

/**
 * What must follow a saved card after the commit: the replaced card is detached in Stripe (a
 * failure leaves it removed on our side, never charged), and the plans and memberships that waited on a card are
 * charged what is overdue at once (a failure here leaves the attempts due: the next scheduled
 * run charges them, with the same idempotency keys).
 */
export async function afterSetupApplied(db: Db, result: SetupApplied, stripe?: Stripe): Promise<void> {
  if (result?.state !== "saved") return;
  if (result.detachAfterCommit) await detachPaymentMethod(result.detachAfterCommit, stripe);
  for (const planId of result.recoverPlanIds) {
    try {
      await runAutopay(db, { now: new Date(), stripe, organizationId: result.organizationId, planId });
    } catch (error) {
      logger.warn({ err: error, planId }, "charging a plan's overdue installments after a new card failed; the next autopay run charges them");
    }
  }
  for (const membershipId of result.recoverMembershipIds) {
    try {
      await runAutopay(db, { now: new Date(), stripe, organizationId: result.organizationId, membershipId });
    } catch (error) {
      logger.warn({ err: error, membershipId }, "charging a membership's overdue periods after a new card failed; the next autopay run charges them");
    }
  }
}

/** Stripe's SetupIntent with its card, fetched outside any transaction. */
export async function fetchSetupIntent(
  setupIntentId: string,
  stripe?: Stripe,
): Promise<{ setupIntent: SetupIntentWithCard; paymentMethod: Stripe.PaymentMethod | null }> {
  const setupIntent = await retrieveSetupIntent(setupIntentId, stripe);
  const paymentMethod =
    typeof setupIntent.payment_method === "string" ? await retrievePaymentMethod(setupIntent.payment_method, stripe) : (setupIntent.payment_method ?? null);
  return { setupIntent, paymentMethod };
}

/**
 * The browser's return from `confirmSetup`: fetches the setup's SetupIntent from Stripe and
 * applies it (the webhook may have done so already). Scoped: a setup of another organization or
 * patient is not found.
 */
export async function completeCardSetup(
  db: Db,
  options: { organizationId: string; setupId: string; patientId?: string; cardLinkId?: string; stripe?: Stripe },
): Promise<SetupApplied> {
  const setup = await db.cardSetup.findFirst({
    where: {
      id: options.setupId,
      organizationId: options.organizationId,
      ...(options.patientId ? { patientId: options.patientId } : {}),
      ...(options.cardLinkId ? { cardLinkId: options.cardLinkId } : {}),
    },
    select: { stripeSetupIntentId: true },
  });
  if (!setup?.stripeSetupIntentId) return null;
  const { setupIntent, paymentMethod } = await fetchSetupIntent(setup.stripeSetupIntentId, options.stripe);
  const result = await db.$transaction((tx) => applySetupIntent(tx, setupIntent, paymentMethod));
  await afterSetupApplied(db, result, options.stripe);
  return result;
}
