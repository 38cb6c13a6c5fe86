import { csvAmount, csvDateTime, csvFromPages, type CsvValue } from "@/lib/csv/csv";
import type { Db } from "@/lib/db/client";
import { sql } from "@/lib/db/sql";
import { declineReason } from "@/lib/payments/decline-reasons";
import { MEMBERSHIP_ENDED_AT_SQL, MEMBERSHIP_OUTCOME_SQL, PLAN_ENDED_AT_SQL, PLAN_OUTCOME_SQL, RECOVERED_LATER_SQL } from "../get-recurring-report";
import { CSV_PAGE_ROWS, inPeriod, keysetPage, type ReportCsvOptions } from "./report-csv";

const HEADER = [
  "record",
  "at",
  "patient",
  "plan",
  "membership",
  "subject",
  "attempt",
  "result",
  "decline_code",
  "decline_reason",
  "recovered",
  "currency",
  "amount",
];

/** Every line of a CSV but its header (the second part of a file with one header). */
async function* withoutHeader(lines: AsyncGenerator<string>): AsyncGenerator<string> {
  let header = true;
  for await (const line of lines) {
    if (header) header = false;
    else yield line;
  }
}

/**
 * Plans, memberships and autopay as CSV, the rows behind the recurring figures, oldest first in
 * each part: one row per payment plan that ended in the period (when and how it ended first, its
 * total), one row per membership that ended in it (canceled or defaulted, its plan's price), then one
 * row per autopay charge attempt that reached a result in the period (its subject, attempt number,
 * result, decline, and for a failed first attempt whether a later attempt paid it).
 */
export async function* recurringCsv(db: Db, options: ReportCsvOptions): AsyncGenerator<string> {
  const { period, organizationId } = options;
  const money = (amount: number | null): CsvValue => (amount === null ? null : csvAmount(amount, period.currency));

  const planFilters = sql`p.organization_id = ${organizationId}::uuid AND p.currency = ${period.currency} AND ${inPeriod(PLAN_ENDED_AT_SQL, period)}`;
  yield* csvFromPages({
    header: HEADER,
    batch: CSV_PAGE_ROWS,
    page: (cursor, limit) =>
      keysetPage<{ id: string; sortAt: Date; patient: string; outcome: string; total: number }>(db, {
        head: sql`FROM payment_plans p WHERE ${planFilters}`,
        rows: (range) => sql`
          SELECT p.id::text AS id, ${PLAN_ENDED_AT_SQL} AS "sortAt", pt.first_name || ' ' || pt.last_name AS patient,
                 ${PLAN_OUTCOME_SQL} AS outcome, p.total_amount AS total
          FROM payment_plans p JOIN patients pt ON pt.id = p.patient_id
          WHERE ${planFilters} AND ${range}`,
        sort: PLAN_ENDED_AT_SQL,
        id: sql`p.id`,
        cursor,
        limit,
      }),
    row: (plan) => [
      "plan ended",
      csvDateTime(plan.sortAt, period.timezone),
      plan.patient,
      plan.id,
      null,
      null,
      null,
      plan.outcome,
      null,
      null,
      null,
      period.currency,
      money(plan.total),
    ],
  });

  const membershipFilters = sql`m.organization_id = ${organizationId}::uuid AND m.status IN ('canceled', 'defaulted') AND ${inPeriod(MEMBERSHIP_ENDED_AT_SQL, period)}`;
  yield* withoutHeader(
    csvFromPages({
      header: HEADER,
      batch: CSV_PAGE_ROWS,
      page: (cursor, limit) =>
        keysetPage<{ id: string; sortAt: Date; patient: string; planName: string; outcome: string; price: number }>(db, {
          head: sql`FROM patient_memberships m WHERE ${membershipFilters}`,
          rows: (range) => sql`
            SELECT m.id::text AS id, ${MEMBERSHIP_ENDED_AT_SQL} AS "sortAt", pt.first_name || ' ' || pt.last_name AS patient,
                   mp.name AS "planName", ${MEMBERSHIP_OUTCOME_SQL} AS outcome, mp.amount AS price
            FROM patient_memberships m
            JOIN membership_plans mp ON mp.id = m.membership_plan_id AND mp.currency = ${period.currency}
            JOIN patients pt ON pt.id = m.patient_id
            WHERE ${membershipFilters} AND ${range}`,
          sort: MEMBERSHIP_ENDED_AT_SQL,
          id: sql`m.id`,
          cursor,
          limit,
        }),
      row: (membership) => [
        "membership ended",
        csvDateTime(membership.sortAt, period.timezone),
        membership.patient,
        null,
        membership.id,
        membership.planName,
        null,
        membership.outcome,
        null,
        null,
        null,
        period.currency,
        money(membership.price),
      ],
    }),
  );

  const chargeFilters = sql`c.organization_id = ${organizationId}::uuid AND c.currency = ${period.currency} AND c.status IN ('succeeded', 'failed')
            AND ${inPeriod(sql`c.completed_at`, period)}`;
  yield* withoutHeader(
    csvFromPages({
      header: HEADER,
      batch: CSV_PAGE_ROWS,
      page: (cursor, limit) =>
        keysetPage<{
          id: string;
          sortAt: Date;
          patient: string;
          planId: string | null;
          membershipId: string | null;
          subjectType: string;
          sequence: number | null;
          attempt: number;
          status: string;
          declineCode: string | null;
          recovered: boolean;
          amount: number | null;
        }>(db, {
          head: sql`FROM autopay_charges c WHERE ${chargeFilters}`,
          rows: (range) => sql`
            SELECT c.id::text AS id, c.completed_at AS "sortAt", pt.first_name || ' ' || pt.last_name AS patient,
                   inst.plan_id::text AS "planId", period.membership_id::text AS "membershipId",
                   c.subject_type::text AS "subjectType", COALESCE(inst.sequence, period.sequence) AS sequence, c.attempt, c.status::text AS status,
                   c.decline_code AS "declineCode", ${RECOVERED_LATER_SQL} AS recovered, c.amount
            FROM autopay_charges c
            JOIN patients pt ON pt.id = c.patient_id
            LEFT JOIN payment_plan_installments inst ON c.subject_type = 'plan_installment' AND inst.id = c.subject_id
            LEFT JOIN membership_periods period ON c.subject_type = 'membership_period' AND period.id = c.subject_id
            WHERE ${chargeFilters} AND ${range}`,
          sort: sql`c.completed_at`,
          id: sql`c.id`,
          cursor,
          limit,
        }),
      row: (charge) => [
        "autopay attempt",
        csvDateTime(charge.sortAt, period.timezone),
        charge.patient,
        charge.planId,
        charge.membershipId,
        charge.subjectType === "plan_installment"
          ? charge.sequence === 0
            ? "down payment"
            : `installment ${charge.sequence ?? ""}`.trim()
          : `membership period ${charge.sequence ?? ""}`.trim(),
        charge.attempt,
        charge.status,
        charge.status === "failed" ? charge.declineCode || "unknown" : null,
        charge.status === "failed" ? declineReason(charge.declineCode ?? "") : null,
        charge.attempt === 1 && charge.status === "failed" ? (charge.recovered ? "yes" : "no") : null,
        period.currency,
        money(charge.amount),
      ],
    }),
  );
}
