import type { Logger } from "pino";
import type { Db } from "@/lib/db/client";
import { cardFailureRate, disputeOpened, emailFailed, paymentStuck, webhookFailures, type ConditionContext, type ConditionOutcome } from "./alert-conditions";
import { ALERT_RULES, type AlertRuleKind } from "./alerts.types";
import { ensureAlertRules, getAlertRules } from "./get-alert-rules";
import { queueAlertEmails } from "./queue-alert-emails";

const CONDITIONS: { [R in AlertRuleKind]: (db: Db, context: ConditionContext<R>) => Promise<ConditionOutcome> } = {
  card_failure_rate: cardFailureRate,
  webhook_failures: webhookFailures,
  dispute_opened: disputeOpened,
  payment_stuck: paymentStuck,
  email_failed: emailFailed,
};

/** What one evaluation did with a rule: fired a new alert (and emailed `emails` admins), kept an active one, cleared one, or nothing. */
export type RuleEvaluation = { rule: AlertRuleKind; outcome: "fired" | "active" | "cleared" | "quiet"; emails: number };

/**
 * Evaluates every alert rule of one organization at `now` (the clock is the caller's, so tests
 * control it): a rule whose condition holds gets an active alert (one at most: the
 * (organization_id, active_rule) unique key makes a concurrent second insert a no-op, so two app
 * instances evaluating at once fire once and email once), its detail kept current; a rule whose
 * condition ended, or that was turned off, has its alert cleared. A new alert emails the admins
 * unless an alert of the same rule already emailed them within the rule's email interval: one
 * email per rule per window, never a storm. Rule rows are made with the defaults on first use.
 */
export async function evaluateAlerts(db: Db, options: { organizationId: string; now: Date }): Promise<RuleEvaluation[]> {
  const { organizationId, now } = options;
  await ensureAlertRules(db, { organizationId });
  const [rules, organization] = await Promise.all([
    getAlertRules(db, { organizationId }),
    db.organization.findUniqueOrThrow({ where: { id: organizationId }, select: { timezone: true, currency: true } }),
  ]);
  const results: RuleEvaluation[] = [];
  for (const kind of ALERT_RULES) {
    const rule = rules[kind];
    const condition = CONDITIONS[kind] as (db: Db, context: ConditionContext<typeof kind>) => Promise<ConditionOutcome>;
    const outcome = rule.enabled ? await condition(db, { organizationId, now, settings: rule.settings, organization }) : ({ holds: false } as const);
    results.push(
      outcome.holds
        ? await fireAlert(db, { organizationId, rule: kind, detail: outcome.detail, now, emailIntervalHours: rule.settings.emailIntervalHours })
        : await clearAlert(db, { organizationId, rule: kind, now }),
    );
  }
  return results;
}

async function fireAlert(
  db: Db,
  options: { organizationId: string; rule: AlertRuleKind; detail: string; now: Date; emailIntervalHours: number },
): Promise<RuleEvaluation> {
  const { organizationId, rule, detail, now } = options;
  return db.$transaction(async (tx) => {
    // ON CONFLICT DO NOTHING on (organization_id, active_rule): a concurrent evaluator's insert waits for this one and then does nothing.
    const [created] = await tx.alert.createManyAndReturn({
      data: [{ organizationId, rule, activeRule: rule, detail, firedAt: now }],
      skipDuplicates: true,
      select: { id: true },
    });
    if (!created) {
      await tx.alert.updateMany({ where: { organizationId, activeRule: rule, NOT: { detail } }, data: { detail } });
      return { rule, outcome: "active", emails: 0 };
    }
    const emailedRecently = await tx.alert.findFirst({
      where: { organizationId, rule, emailedAt: { gt: new Date(now.getTime() - options.emailIntervalHours * 3_600_000) } },
      select: { id: true },
    });
    if (emailedRecently) return { rule, outcome: "fired", emails: 0 };
    const emails = await queueAlertEmails(tx, { organizationId, rule, detail, firedAt: now, emailIntervalHours: options.emailIntervalHours });
    if (emails > 0) await tx.alert.update({ where: { id: created.id }, data: { emailedAt: now } });
    return { rule, outcome: "fired", emails };
  });
}

async function clearAlert(db: Db, options: { organizationId: string; rule: AlertRuleKind; now: Date }): Promise<RuleEvaluation> {
  const { count } = await db.alert.updateMany({
    where: { organizationId: options.organizationId, activeRule: options.rule },
    data: { activeRule: null, clearedAt: options.now },
  });
  return { rule: options.rule, outcome: count > 0 ? "cleared" : "quiet", emails: 0 };
}

/**
 * Evaluates every organization's alerts (the cron job): one organization at a time, an error in
 * one logged and the others still evaluated. Returns totals.
 */
export async function evaluateAllAlerts(
  db: Db,
  options: { now: Date; log: Logger },
): Promise<{ organizations: number; fired: number; cleared: number; emails: number; errors: number }> {
  const organizations = await db.organization.findMany({ select: { id: true }, orderBy: { createdAt: "asc" } });
  const totals = { organizations: organizations.length, fired: 0, cleared: 0, emails: 0, errors: 0 };
  for (const organization of organizations) {
    try {
      for (const result of await evaluateAlerts(db, { organizationId: organization.id, now: options.now })) {
        if (result.outcome === "fired") totals.fired += 1;
        if (result.outcome === "cleared") totals.cleared += 1;
        totals.emails += result.emails;
      }
    } catch (error) {
      totals.errors += 1;
      options.log.error({ err: error, organizationId: organization.id }, "alert evaluation failed");
    }
  }
  return totals;
}
