import type { Db, Tx } from "@/lib/db/client";

/** What the new-plan form offers for a patient: their open invoices (oldest first) and the cards that may be charged off-session (saved with consent, default first). */
export async function listPlanOptions(db: Db | Tx, options: { organizationId: string; patientId: string }) {
  const [invoices, cards] = await Promise.all([
    db.invoice.findMany({
      where: { organizationId: options.organizationId, patientId: options.patientId, status: { in: ["open", "partially_paid"] } },
      orderBy: [{ finalizedAt: "asc" }],
      select: { id: true, number: true, amountDue: true, currency: true },
    }),
    db.savedPaymentMethod.findMany({
      where: { organizationId: options.organizationId, patientId: options.patientId, removedAt: null, consentId: { not: null } },
      orderBy: [{ isDefault: "desc" }, { createdAt: "desc" }],
      select: { id: true, brand: true, last4: true, expMonth: true, expYear: true },
    }),
  ]);
  return { invoices, cards };
}
