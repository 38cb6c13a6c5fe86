import type { Db, Tx } from "@/lib/db/client";
import { sql, sqlOf, type Int8 } from "@/lib/db/sql";
import type { AnalyticsPeriod, DisputesReport } from "./analytics.types";
import { ledgerTotals, ratio } from "./ledger-figures";
import { loadLedgerFacts } from "./load-ledger-facts";
import { CURRENT, PREVIOUS } from "./report-ranges";

/** Statuses of disputes that are still open (chargebacks and inquiries awaiting an outcome). */
export const OPEN_DISPUTE_STATUSES = ["warning_needs_response", "warning_under_review", "needs_response", "under_review"] as const;

/**
 * Chargebacks of a period: opened (the ledger's dispute.opened journals: count and amount), won
 * and lost (disputes that closed in the period, by Stripe's outcome), losses and fees from the
 * ledger, and the disputes open now, soonest evidence deadline first.
 */
export async function getDisputesReport(db: Db | Tx, options: { organizationId: string; period: AnalyticsPeriod }): Promise<DisputesReport> {
  const { period } = options;
  const facts = await loadLedgerFacts(db, {
    organizationId: options.organizationId,
    period,
    series: false,
    figures: ["disputesOpened", "disputeLosses", "disputeFees"],
  });
  const current = ledgerTotals(facts, CURRENT);
  const previous = ledgerTotals(facts, PREVIOUS);
  const runner = sqlOf(db);
  const closed = await runner.query<{ status: "won" | "lost"; count: number; amount: Int8 }>(sql`
    SELECT status::text AS status, COUNT(*)::int AS count, SUM(amount)::bigint AS amount
    FROM disputes
    WHERE organization_id = ${options.organizationId}::uuid AND currency = ${period.currency} AND status IN ('won', 'lost')
      AND closed_at >= (${period.from}::date::timestamp AT TIME ZONE ${period.timezone})
      AND closed_at < ((${period.to}::date + 1)::timestamp AT TIME ZONE ${period.timezone})
    GROUP BY status`);
  const outcome = (status: "won" | "lost") => {
    const row = closed.find((candidate) => candidate.status === status);
    return { count: row?.count ?? 0, amount: Number(row?.amount ?? 0) };
  };
  const won = outcome("won");
  const lost = outcome("lost");
  const open = await runner.query<{ id: string; invoiceNumber: string | null; amount: number; reason: string; status: string; evidenceDueBy: Date | null }>(sql`
    SELECT d.id::text AS id, i.number AS "invoiceNumber", d.amount, d.reason, d.status::text AS status, d.evidence_due_by AS "evidenceDueBy"
    FROM disputes d JOIN invoices i ON i.id = d.invoice_id
    WHERE d.organization_id = ${options.organizationId}::uuid AND d.status::text = ANY(${[...OPEN_DISPUTE_STATUSES]}::text[])
    ORDER BY d.evidence_due_by ASC NULLS LAST, d.created_at ASC`);
  return {
    period,
    opened: {
      count: { current: current.disputesOpenedCount, previous: previous.disputesOpenedCount },
      amount: { current: current.disputesOpened, previous: previous.disputesOpened },
    },
    won,
    lost,
    winRate: ratio(won.count, won.count + lost.count),
    losses: { current: current.disputeLosses, previous: previous.disputeLosses },
    fees: { current: current.disputeFees, previous: previous.disputeFees },
    open: open.map((row) => ({ ...row, evidenceDueBy: row.evidenceDueBy ? row.evidenceDueBy.toISOString() : null })),
  };
}
