import type { Db } from "@/lib/db/client";
import { sql, sqlOf, type SqlFragment } from "@/lib/db/sql";
import { formatDateTime, formatDay } from "@/lib/dates/format-date";
import { needsResponseWhere } from "@/lib/disputes/list-disputes";
import { formatMoney } from "@/lib/money/currency";
import type { AlertRuleSettings } from "./alert-rules";
import type { AlertRuleKind } from "./alerts.types";

/** Whether a rule's condition holds at `now`, and what held, in words. */
export type ConditionOutcome = { holds: false } | { holds: true; detail: string };

export type ConditionContext<R extends AlertRuleKind> = {
  organizationId: string;
  now: Date;
  settings: AlertRuleSettings[R];
  organization: { timezone: string; currency: string };
};

const HOUR_MS = 3_600_000;
const plural = (count: number, one: string, many: string) => `${count.toLocaleString("en-US")} ${count === 1 ? one : many}`;
const percent = (failed: number, total: number) => `${((failed / total) * 100).toFixed(1)}%`;
const hoursText = (hours: number) => (hours === 1 ? "hour" : `${hours} hours`);

/**
 * A card attempt: a card PaymentIntent (pay page or saved card) whose outcome is known: it
 * succeeded, was authorized (a hold), or was declined. It failed when it was declined and never
 * went through afterwards (a decline the patient then retried successfully on the same intent
 * counts as a success). Attempts are ordered and windowed by when they were started, on the
 * payments (organization_id, created_at) index.
 */
function cardAttempts(organizationId: string, now: Date): SqlFragment {
  return sql`organization_id = ${organizationId}::uuid AND method_type = 'card' AND source <> 'manual' AND created_at <= ${now}::timestamptz
    AND (succeeded_at IS NOT NULL OR authorized_at IS NOT NULL OR failed_at IS NOT NULL OR status = 'failed')`;
}

/**
 * Card failure rate above the threshold over the last N attempts or over the last hours (each
 * window evaluated, each needing the minimum number of attempts); the detail says which fired.
 */
export async function cardFailureRate(db: Db, context: ConditionContext<"card_failure_rate">): Promise<ConditionOutcome> {
  const { settings, now, organizationId } = context;
  const failed = sql`succeeded_at IS NULL AND authorized_at IS NULL`;
  const since = new Date(now.getTime() - settings.windowHours * HOUR_MS);
  const [row] = await sqlOf(db).query<{ lastCount: number; lastFailed: number; windowCount: number; windowFailed: number }>(sql`
    WITH last_attempts AS (
      SELECT ${failed} AS failed FROM payments WHERE ${cardAttempts(organizationId, now)} ORDER BY created_at DESC LIMIT ${settings.lastAttempts}::int
    ), in_window AS (
      SELECT ${failed} AS failed FROM payments WHERE ${cardAttempts(organizationId, now)} AND created_at > ${since}::timestamptz
    )
    SELECT
      (SELECT count(*)::int FROM last_attempts) AS "lastCount",
      (SELECT (count(*) FILTER (WHERE failed))::int FROM last_attempts) AS "lastFailed",
      (SELECT count(*)::int FROM in_window) AS "windowCount",
      (SELECT (count(*) FILTER (WHERE failed))::int FROM in_window) AS "windowFailed"`);
  const fired: string[] = [];
  const above = (failedCount: number, total: number) => total >= settings.minAttempts && total > 0 && (failedCount / total) * 100 > settings.thresholdPercent;
  if (row && above(row.lastFailed, row.lastCount)) {
    fired.push(
      row.lastCount >= settings.lastAttempts
        ? `${percent(row.lastFailed, row.lastCount)} of the last ${plural(row.lastCount, "card attempt", "card attempts")} failed`
        : `${percent(row.lastFailed, row.lastCount)} of the ${plural(row.lastCount, "card attempt", "card attempts")} so far failed`,
    );
  }
  if (row && above(row.windowFailed, row.windowCount)) {
    fired.push(
      `${percent(row.windowFailed, row.windowCount)} of ${plural(row.windowCount, "card attempt", "card attempts")} in the last ${hoursText(settings.windowHours)} failed`,
    );
  }
  if (fired.length === 0) return { holds: false };
  return { holds: true, detail: `${fired.join("; ")} (threshold ${settings.thresholdPercent}%).` };
}

/** More than the allowed number of Stripe webhook deliveries failed to apply (5xx) in the window. */
export async function webhookFailures(db: Db, context: ConditionContext<"webhook_failures">): Promise<ConditionOutcome> {
  const { settings, now, organizationId } = context;
  const since = new Date(now.getTime() - settings.windowHours * HOUR_MS);
  const [row] = await sqlOf(db).query<{ failures: number; latestType: string | null }>(sql`
    SELECT count(*)::int AS failures, (array_agg(type ORDER BY failed_at DESC))[1] AS "latestType"
    FROM stripe_event_failures
    WHERE organization_id = ${organizationId}::uuid AND failed_at > ${since}::timestamptz AND failed_at <= ${now}::timestamptz`);
  const failures = row?.failures ?? 0;
  if (failures <= settings.maxFailures) return { holds: false };
  return {
    holds: true,
    detail: `${plural(failures, "Stripe webhook delivery", "Stripe webhook deliveries")} failed to apply in the last ${hoursText(settings.windowHours)} (more than ${settings.maxFailures}; latest: ${row?.latestType ?? "unknown"}). Stripe delivers them again; check the server's logs.`,
  };
}

/** A dispute was opened and still waits for the clinic's response (no evidence recorded, not closed). */
export async function disputeOpened(db: Db, context: ConditionContext<"dispute_opened">): Promise<ConditionOutcome> {
  const { now, organizationId, organization } = context;
  const disputes = await db.dispute.findMany({
    where: { ...needsResponseWhere(organizationId), createdAt: { lte: now } },
    select: { amount: true, currency: true, evidenceDueBy: true, invoice: { select: { number: true } } },
    orderBy: [{ evidenceDueBy: { sort: "asc", nulls: "last" } }, { createdAt: "asc" }],
  });
  const [first] = disputes;
  if (!first) return { holds: false };
  const clock = { timeZone: organization.timezone };
  const what = `${formatMoney(first.amount, first.currency)} on ${first.invoice ? (first.invoice.number ?? "an invoice") : "a prepayment"}${first.evidenceDueBy ? `, evidence due ${formatDay(first.evidenceDueBy, clock)}` : ""}`;
  return {
    holds: true,
    detail:
      disputes.length === 1
        ? `A dispute was opened and awaits your response: ${what}.`
        : `${disputes.length} disputes await your response; the soonest: ${what}.`,
  };
}

/** A payment has been processing or waiting for the patient's authentication (3-D Secure) for longer than allowed. */
export async function paymentStuck(db: Db, context: ConditionContext<"payment_stuck">): Promise<ConditionOutcome> {
  const { settings, now, organizationId, organization } = context;
  const before = new Date(now.getTime() - settings.hours * HOUR_MS);
  const stuck = await db.payment.groupBy({
    by: ["status"],
    where: { organizationId, status: { in: ["processing", "requires_action"] }, updatedAt: { lte: before } },
    _count: { _all: true },
    _min: { updatedAt: true },
  });
  if (stuck.length === 0) return { holds: false };
  const count = (status: string) => stuck.find((group) => group.status === status)?._count._all ?? 0;
  const oldest = stuck.map((group) => group._min.updatedAt).reduce<Date | null>((a, b) => (b && (!a || b < a) ? b : a), null);
  const parts = [
    count("processing") > 0 ? `${plural(count("processing"), "payment", "payments")} processing` : null,
    count("requires_action") > 0 ? `${plural(count("requires_action"), "payment", "payments")} awaiting the patient's authentication` : null,
  ].filter(Boolean);
  return {
    holds: true,
    detail: `${parts.join(" and ")} for more than ${hoursText(settings.hours)}${oldest ? ` (unchanged since ${formatDateTime(oldest, { timeZone: organization.timezone })})` : ""}.`,
  };
}

/** The alerts' own emails, which this rule leaves out (a failing alert email must not raise another alert). */
export const ALERT_EMAIL_KIND = "alert";

/** An email failed to send (its attempts ran out, or the receiving server refused it) in the window. */
export async function emailFailed(db: Db, context: ConditionContext<"email_failed">): Promise<ConditionOutcome> {
  const { settings, now, organizationId } = context;
  const since = new Date(now.getTime() - settings.windowHours * HOUR_MS);
  const failed = await db.email.groupBy({
    by: ["kind"],
    where: { organizationId, status: "failed", kind: { not: ALERT_EMAIL_KIND }, updatedAt: { gt: since, lte: now } },
    _count: { _all: true },
    orderBy: { kind: "asc" },
  });
  const total = failed.reduce((sum, group) => sum + group._count._all, 0);
  if (total === 0) return { holds: false };
  return {
    holds: true,
    detail: `${plural(total, "email", "emails")} could not be delivered in the last ${hoursText(settings.windowHours)} (${failed.map((group) => group.kind.replaceAll("_", " ")).join(", ")}).`,
  };
}
