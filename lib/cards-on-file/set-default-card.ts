import type { Db } from "@/lib/db/client";
import { recordAuditEvent, type AuditActor } from "@/lib/audit/record-audit-event";
import { AppError } from "@/lib/errors";
import { lockPatientCards } from "@/lib/db/locks";
import { makeDefaultCard } from "./apply-setup-intent";

/**
 * Makes a card the patient's default (what plans and memberships charge unless they name another).
 * Only a card on file with a consent can be the default. A card of another patient or
 * organization, or a removed one, is NOT_FOUND.
 */
export async function setDefaultCard(db: Db, options: { organizationId: string; patientId: string; cardId: string; actor: AuditActor }): Promise<void> {
  await db.$transaction(async (tx) => {
    await lockPatientCards(tx, options.patientId);
    const card = await tx.savedPaymentMethod.findFirst({
      where: { id: options.cardId, organizationId: options.organizationId, patientId: options.patientId, removedAt: null },
      select: { id: true, consentId: true, isDefault: true, brand: true, last4: true },
    });
    if (!card) throw new AppError("NOT_FOUND", "That card is not on file for this patient.");
    if (!card.consentId) throw new AppError("CONFLICT", "This card has no recorded consent: add it again with the patient's agreement.");
    if (card.isDefault) return;
    await makeDefaultCard(tx, { patientId: options.patientId, cardId: card.id });
    await recordAuditEvent(tx, {
      organizationId: options.organizationId,
      actor: options.actor,
      action: "card_on_file.made_default",
      target: { type: "patient", id: options.patientId },
      after: { cardId: card.id, card: `${card.brand} ${card.last4}` },
    });
  });
}
