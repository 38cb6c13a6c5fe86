import type { Db, Tx } from "@/lib/db/client";

export type SavedCardView = {
  id: string;
  brand: string;
  last4: string;
  expMonth: number;
  expYear: number;
  consentedAt: Date;
  isDefault: boolean;
  source: "pay_page" | "front_desk" | "card_link";
  /** Who accepted the terms (null: a card without a recorded consent, which nothing charges). */
  acceptedBy: "patient_online" | "staff_on_behalf" | null;
};

/** A patient's cards on file (brand, last 4, expiry, default, where from and the consent), default first, then newest. */
export async function listSavedCards(db: Db | Tx, options: { organizationId: string; patientId: string }): Promise<SavedCardView[]> {
  const cards = await db.savedPaymentMethod.findMany({
    where: { organizationId: options.organizationId, patientId: options.patientId, removedAt: null },
    select: {
      id: true,
      brand: true,
      last4: true,
      expMonth: true,
      expYear: true,
      consentedAt: true,
      isDefault: true,
      source: true,
      consent: { select: { acceptedBy: true } },
    },
    orderBy: [{ isDefault: "desc" }, { createdAt: "desc" }],
  });
  return cards.map(({ consent, ...card }) => ({ ...card, acceptedBy: consent?.acceptedBy ?? null }));
}

/**
 * Whether a card expires this month or next (in the clinic's calendar, given as year and month):
 * the cards list flags it so staff ask for a new one before a plan's charge fails.
 */
export function expiresSoon(card: { expMonth: number; expYear: number }, today: { year: number; month: number }): boolean {
  const months = (card.expYear - today.year) * 12 + (card.expMonth - today.month);
  return months >= 0 && months <= 1;
}

/** Whether the card's expiry month is behind us. */
export function isExpired(card: { expMonth: number; expYear: number }, today: { year: number; month: number }): boolean {
  return card.expYear * 12 + card.expMonth < today.year * 12 + today.month;
}
