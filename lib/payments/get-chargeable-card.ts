import type { Db, Tx } from "@/lib/db/client";

export type ChargeableCard = { id: string; stripePaymentMethodId: string; consentId: string; brand: string; last4: string; expMonth: number; expYear: number };

/**
 * The card an off-session charge may use: the one named (else the patient's default card), only
 * while it is on file (not removed) and was saved under a recorded consent. Null otherwise: no
 * consent, no off-session charge.
 */
export async function getChargeableCard(
  tx: Db | Tx,
  options: { organizationId: string; patientId: string; savedPaymentMethodId?: string | null },
): Promise<ChargeableCard | null> {
  const card = await tx.savedPaymentMethod.findFirst({
    where: {
      organizationId: options.organizationId,
      patientId: options.patientId,
      removedAt: null,
      consentId: { not: null },
      ...(options.savedPaymentMethodId ? { id: options.savedPaymentMethodId } : { isDefault: true }),
    },
    select: { id: true, stripePaymentMethodId: true, consentId: true, brand: true, last4: true, expMonth: true, expYear: true },
  });
  if (!card?.consentId) return null;
  return { ...card, consentId: card.consentId };
}
