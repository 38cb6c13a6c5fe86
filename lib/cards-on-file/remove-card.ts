import type Stripe from "stripe";
import type { Db } from "@/lib/db/client";
import { recordAuditEvent, type AuditActor } from "@/lib/audit/record-audit-event";
import { AppError } from "@/lib/errors";
import { detachPaymentMethod } from "@/lib/stripe/payment-methods";
import { lockPatientCards } from "@/lib/db/locks";

/**
 * Removes a card on file: detaches it in Stripe first (so it can never be charged again), then
 * marks it removed (it stays listed nowhere and is charged by nothing; its consent stays on
 * record). If our write were lost after the detach, `payment_method.detached` removes it. A card
 * of another patient or organization, or one already removed, is NOT_FOUND.
 */
export async function removeCard(
  db: Db,
  options: { organizationId: string; patientId: string; cardId: string; actor: AuditActor; stripe?: Stripe },
): Promise<void> {
  const card = await db.savedPaymentMethod.findFirst({
    where: { id: options.cardId, organizationId: options.organizationId, patientId: options.patientId, removedAt: null },
    select: { id: true, stripePaymentMethodId: true, brand: true, last4: true },
  });
  if (!card) throw new AppError("NOT_FOUND", "That card is not on file for this patient.");
  try {
    await detachPaymentMethod(card.stripePaymentMethodId, options.stripe);
  } catch (error) {
    throw new AppError("SERVICE_UNAVAILABLE", "Cards cannot be removed right now. Try again in a few minutes.", { cause: error });
  }
  await db.$transaction(async (tx) => {
    await lockPatientCards(tx, options.patientId);
    const removed = await tx.savedPaymentMethod.updateMany({ where: { id: card.id, removedAt: null }, data: { removedAt: new Date(), isDefault: false } });
    if (removed.count === 0) return;
    await recordAuditEvent(tx, {
      organizationId: options.organizationId,
      actor: options.actor,
      action: "card_on_file.removed",
      target: { type: "patient", id: options.patientId },
      after: { cardId: card.id, card: `${card.brand} ${card.last4}` },
    });
  });
}
