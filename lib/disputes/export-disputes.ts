import type { Db } from "@/lib/db/client";
import { csvAmount, csvDateTime, csvFromPages } from "@/lib/csv/csv";
import { listDisputes, type TListDisputesInput } from "./list-disputes";

/** The disputes list with its filter, search and sort as CSV, read in keyset batches (constant memory). */
export async function* exportDisputesCsv(
  db: Db,
  options: { organizationId: string; input: Omit<TListDisputesInput, "cursor" | "limit"> },
): AsyncGenerator<string> {
  const { timezone } = await db.organization.findUniqueOrThrow({ where: { id: options.organizationId }, select: { timezone: true } });
  yield* csvFromPages({
    header: ["opened", "patient", "invoice", "reason", "status", "evidence_due", "evidence_recorded", "currency", "amount"],
    page: (cursor, limit) => listDisputes(db, { organizationId: options.organizationId, input: { ...options.input, cursor, limit } }),
    row: (dispute) => [
      csvDateTime(dispute.createdAt, timezone),
      dispute.payment.patient ? `${dispute.payment.patient.firstName} ${dispute.payment.patient.lastName}` : null,
      dispute.invoice ? dispute.invoice.number : "prepayment",
      dispute.reason,
      dispute.status,
      dispute.evidenceDueBy ? csvDateTime(dispute.evidenceDueBy, timezone) : null,
      dispute.evidenceSubmittedAt ? csvDateTime(dispute.evidenceSubmittedAt, timezone) : null,
      dispute.currency,
      csvAmount(dispute.amount, dispute.currency),
    ],
  });
}
