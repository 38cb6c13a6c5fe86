import type { Db, Tx } from "@/lib/db/client";

export type SavedCardView = { id: string; brand: string; last4: string; expMonth: number; expYear: number; consentedAt: Date };

/** A patient's cards on file (brand, last 4, expiry and when they consented), newest first. */
export async function listSavedCards(db: Db | Tx, options: { organizationId: string; patientId: string }): Promise<SavedCardView[]> {
  return db.savedPaymentMethod.findMany({
    where: { organizationId: options.organizationId, patientId: options.patientId, removedAt: null },
    select: { id: true, brand: true, last4: true, expMonth: true, expYear: true, consentedAt: true },
    orderBy: { createdAt: "desc" },
  });
}
