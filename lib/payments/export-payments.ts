import type { Db } from "@/lib/db/client";
import { csvAmount, csvDateTime, csvFromPages } from "@/lib/csv/csv";
import { listPayments, type TListPaymentsInput } from "./list-payments";

/** The payments list with its filters, search and sort as CSV, read in keyset batches (constant memory). */
export async function* exportPaymentsCsv(
  db: Db,
  options: { organizationId: string; input: Omit<TListPaymentsInput, "cursor" | "limit"> },
): AsyncGenerator<string> {
  const { timezone } = await db.organization.findUniqueOrThrow({ where: { id: options.organizationId }, select: { timezone: true } });
  yield* csvFromPages({
    header: ["date", "patient", "invoice", "method", "card_last4", "reference", "status", "currency", "amount", "received", "refunded"],
    page: (cursor, limit) => listPayments(db, { organizationId: options.organizationId, input: { ...options.input, cursor, limit } }),
    row: (payment) => [
      csvDateTime(payment.createdAt, timezone),
      payment.patient?.name,
      payment.invoice?.number,
      payment.methodType,
      payment.cardLast4,
      payment.row.reference,
      payment.status,
      payment.currency,
      csvAmount(payment.amount, payment.currency),
      csvAmount(payment.amountReceived, payment.currency),
      csvAmount(payment.row.amountRefunded, payment.currency),
    ],
  });
}
