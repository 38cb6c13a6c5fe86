import type { Db } from "@/lib/db/client";
import { HOLD_WARNING_MS } from "./authorization-hold";

export type AuthorizedPaymentItem = {
  id: string;
  currency: string;
  amountCapturable: number;
  authorizedAt: Date | null;
  captureBefore: Date | null;
  cardBrand: string | null;
  cardLast4: string | null;
  /** Null only for a payment made for no single invoice / patient (not a card authorization today). */
  invoice: { id: string; number: string | null } | null;
  patient: { id: string; name: string } | null;
};

/** Card authorizations awaiting capture, the soonest to lapse first. */
export async function listAuthorizedPayments(db: Db, options: { organizationId: string; limit?: number }): Promise<AuthorizedPaymentItem[]> {
  const rows = await db.payment.findMany({
    where: { organizationId: options.organizationId, status: "requires_capture" },
    include: { invoice: { select: { id: true, number: true } }, patient: { select: { id: true, firstName: true, lastName: true } } },
    orderBy: [{ captureBefore: { sort: "asc", nulls: "last" } }, { id: "asc" }],
    take: options.limit ?? 100,
  });
  return rows.map((payment) => ({
    id: payment.id,
    currency: payment.currency,
    amountCapturable: payment.amountCapturable,
    authorizedAt: payment.authorizedAt,
    captureBefore: payment.captureBefore,
    cardBrand: payment.cardBrand,
    cardLast4: payment.cardLast4,
    invoice: payment.invoice,
    patient: payment.patient && { id: payment.patient.id, name: `${payment.patient.firstName} ${payment.patient.lastName}` },
  }));
}

/** For the dashboard: holds awaiting capture, and those lapsing within 48 hours (or already lapsed). */
export async function countAuthorizedPayments(db: Db, organizationId: string, now = new Date()): Promise<{ total: number; expiringSoon: number }> {
  const [total, expiringSoon] = await Promise.all([
    db.payment.count({ where: { organizationId, status: "requires_capture" } }),
    db.payment.count({ where: { organizationId, status: "requires_capture", captureBefore: { lt: new Date(now.getTime() + HOLD_WARNING_MS) } } }),
  ]);
  return { total, expiringSoon };
}

/** How a hold's expiry reads to staff: "Expires in 20 h", "Expires in 5 days", or "Expired". */
export function holdExpiry(captureBefore: Date | null, now = new Date()): { label: string; tone: "ok" | "warning" | "expired" } {
  if (!captureBefore) return { label: "Expiry unknown", tone: "warning" };
  const left = captureBefore.getTime() - now.getTime();
  if (left <= 0) return { label: "Expired", tone: "expired" };
  const hours = Math.floor(left / 3_600_000);
  const label = hours < 1 ? "Expires in under 1 h" : hours < 48 ? `Expires in ${hours} h` : `Expires in ${Math.round(left / 86_400_000)} days`;
  return { label, tone: left < HOLD_WARNING_MS ? "warning" : "ok" };
}
