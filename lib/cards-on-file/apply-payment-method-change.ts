import type Stripe from "stripe";
import type { Tx } from "@/lib/db/client";
import { AUTOMATIC_ACTOR, recordAuditEvent } from "@/lib/audit/record-audit-event";

/**
 * Brings a saved card in line with Stripe's current PaymentMethod (fetched by the caller, outside
 * the transaction): the card networks' account updater (`payment_method.automatically_updated`)
 * or an API update (`payment_method.updated`) changes brand, last 4 or expiry; a card detached in
 * Stripe (`payment_method.detached`, e.g. from Stripe's dashboard) can no longer be charged, so it
 * is removed here too. Convergent: any order, any number of times. False when the card is not ours.
 */
export async function applyPaymentMethodChange(tx: Tx, paymentMethod: Stripe.PaymentMethod): Promise<boolean> {
  const card = await tx.savedPaymentMethod.findUnique({ where: { stripePaymentMethodId: paymentMethod.id } });
  if (!card) return false;
  if (card.removedAt) return true;
  if (!paymentMethod.customer) {
    await tx.savedPaymentMethod.update({ where: { id: card.id }, data: { removedAt: new Date(), isDefault: false } });
    await recordAuditEvent(tx, {
      organizationId: card.organizationId,
      actor: AUTOMATIC_ACTOR,
      action: "card_on_file.detached_in_stripe",
      target: { type: "patient", id: card.patientId },
      after: { cardId: card.id, card: `${card.brand} ${card.last4}` },
    });
    return true;
  }
  const fresh = paymentMethod.card;
  if (!fresh) return true;
  const next = { brand: fresh.brand.slice(0, 20), last4: fresh.last4, expMonth: fresh.exp_month, expYear: fresh.exp_year };
  if (next.brand === card.brand && next.last4 === card.last4 && next.expMonth === card.expMonth && next.expYear === card.expYear) return true;
  await tx.savedPaymentMethod.update({ where: { id: card.id }, data: next });
  await recordAuditEvent(tx, {
    organizationId: card.organizationId,
    actor: AUTOMATIC_ACTOR,
    action: "card_on_file.updated",
    target: { type: "patient", id: card.patientId },
    before: { last4: card.last4, expMonth: card.expMonth, expYear: card.expYear },
    after: { last4: next.last4, expMonth: next.expMonth, expYear: next.expYear },
  });
  return true;
}
