import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { listSavedCards } from "@/lib/payments/list-saved-cards";
import type { TPaymentMethodView } from "./cards-on-file.types";

/** A patient's cards on file for the REST API (default first). NOT_FOUND for a patient of another organization. */
export async function listPaymentMethods(db: Db, options: { organizationId: string; patientId: string }): Promise<TPaymentMethodView[]> {
  const patient = await db.patient.findFirst({ where: { id: options.patientId, organizationId: options.organizationId }, select: { id: true } });
  if (!patient) throw new AppError("NOT_FOUND", "That patient does not exist.");
  const cards = await listSavedCards(db, options);
  return cards.map((card) => ({
    id: card.id,
    type: "card",
    brand: card.brand,
    last4: card.last4,
    expMonth: card.expMonth,
    expYear: card.expYear,
    isDefault: card.isDefault,
    source: card.source,
    consent: card.acceptedBy ? { acceptedBy: card.acceptedBy, acceptedAt: card.consentedAt.toISOString() } : null,
  }));
}
