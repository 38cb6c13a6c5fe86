import type { Db } from "@/lib/db/client";

/** A journal a dispute posted, each line with its account and amount (debit positive, minor units). */
export type DisputeJournal = { id: string; memo: string; createdAt: Date; lines: { account: string; amount: number }[] };

/**
 * One payment's disputes, newest first, each with its invoice's number and the journals it
 * posted (oldest first). Empty for another organization's payment.
 */
export async function listPaymentDisputes(db: Db, options: { organizationId: string; paymentId: string }) {
  const disputes = await db.dispute.findMany({
    where: { paymentId: options.paymentId, organizationId: options.organizationId },
    include: { invoice: { select: { number: true } } },
    orderBy: { createdAt: "desc" },
  });
  if (disputes.length === 0) return [];
  const journals = await db.journalEntry.findMany({
    where: { organizationId: options.organizationId, sourceType: "dispute", sourceId: { in: disputes.map((dispute) => dispute.id) } },
    include: { lines: { include: { account: { select: { code: true, name: true } } } } },
    orderBy: { createdAt: "asc" },
  });
  return disputes.map((dispute) => ({
    ...dispute,
    journals: journals
      .filter((journal) => journal.sourceId === dispute.id)
      .map((journal): DisputeJournal => ({
        id: journal.id,
        memo: journal.memo,
        createdAt: journal.createdAt,
        lines: journal.lines.map((line) => ({ account: `${line.account.code} ${line.account.name}`, amount: line.amount })),
      })),
  }));
}
