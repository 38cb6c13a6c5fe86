import type Stripe from "stripe";
import { describe, expect, it } from "vitest";
import type { Db } from "@/lib/db/client";
import type { PaymentStatus } from "@/lib/db/generated/enums";
import { processStripeEvent } from "@/lib/webhooks/process-stripe-event";
import { addTestMember, createTestOpenInvoice, createTestOrganization, createTestPatient, testActor } from "@/tests/factories";
import { setupTestDatabase } from "@/tests/test-database";
import type { AlertRuleKind } from "./alerts.types";
import { evaluateAlerts } from "./evaluate-alerts";
import { getActiveAlerts } from "./get-active-alerts";
import { listAlertHistory } from "./list-alert-history";
import { updateAlertRules, type TUpdateAlertRulesInput } from "./update-alert-rules";
import { DEFAULT_ALERT_RULE_SETTINGS } from "./alert-rules";

/**
 * Alerts against a real database with a clock the test holds: each rule fires when its condition
 * holds, stays one alert (and one email per admin) however often and however concurrently it is
 * evaluated, clears by itself when the condition ends, and fires again later, emailing again only
 * after the rule's email interval.
 */
const database = setupTestDatabase();
const HOUR = 3_600_000;
const T0 = new Date("2026-11-02T15:00:00Z");
const at = (hours: number) => new Date(T0.getTime() + hours * HOUR);

/** A clinic with two admins and a billing member (who gets no alert emails). */
async function clinic() {
  const org = await createTestOrganization(database.db);
  await addTestMember(database.db, { organizationId: org.organizationId, role: "admin", email: `second-admin@${org.slug}.test` });
  await addTestMember(database.db, { organizationId: org.organizationId, role: "billing" });
  return org;
}

async function alertsOf(organizationId: string, rule: AlertRuleKind) {
  return database.db.alert.findMany({ where: { organizationId, rule }, orderBy: { firedAt: "asc" } });
}

async function alertEmails(organizationId: string) {
  return database.db.email.findMany({ where: { organizationId, kind: "alert" }, orderBy: { createdAt: "asc" } });
}

function outcomeOf(results: Awaited<ReturnType<typeof evaluateAlerts>>, rule: AlertRuleKind) {
  return results.find((result) => result.rule === rule)?.outcome;
}

const invoices = new Map<string, { invoiceId: string; patientId: string }>();

/** An open invoice of the clinic's for card attempts to belong to (a card payment always has its invoice and patient). */
async function invoiceFor(organizationId: string) {
  let invoice = invoices.get(organizationId);
  if (!invoice) {
    const patient = await createTestPatient(database.db, { organizationId });
    const open = await createTestOpenInvoice(database.db, { organizationId, patientId: patient.id, total: 12_000 });
    invoice = { invoiceId: open.id, patientId: patient.id };
    invoices.set(organizationId, invoice);
  }
  return invoice;
}

/** Card attempts as payment rows (what the pay page and the webhook leave): `failed` were declined and never went through. */
async function cardAttempts(db: Db, options: { organizationId: string; succeeded: number; failed: number; createdAt: Date }) {
  const rows = [
    ...Array.from({ length: options.succeeded }, () => ({ status: "succeeded" as PaymentStatus, succeededAt: options.createdAt })),
    ...Array.from({ length: options.failed }, () => ({ status: "failed" as PaymentStatus, failedAt: options.createdAt, failureCode: "card_declined" })),
  ];
  const owner = await invoiceFor(options.organizationId);
  await db.payment.createMany({
    data: rows.map((row, index) => ({
      organizationId: options.organizationId,
      ...owner,
      source: "pay_page" as const,
      methodType: "card" as const,
      currency: "USD",
      amount: 5_000,
      createdAt: new Date(options.createdAt.getTime() + index),
      ...row,
    })),
  });
}

function rulesInput(changes: Partial<TUpdateAlertRulesInput> = {}): TUpdateAlertRulesInput {
  const defaults = Object.fromEntries(Object.entries(DEFAULT_ALERT_RULE_SETTINGS).map(([rule, settings]) => [rule, { enabled: true, ...settings }]));
  return { ...(defaults as TUpdateAlertRulesInput), ...changes };
}

describe("card failure rate", () => {
  it("fires over the last 100 attempts, stays one alert under repeated and concurrent evaluation, clears, and fires again", async () => {
    const org = await clinic();
    const { organizationId } = org;
    await cardAttempts(database.db, { organizationId, succeeded: 93, failed: 7, createdAt: at(-48) });

    const first = await evaluateAlerts(database.db, { organizationId, now: T0 });
    expect(outcomeOf(first, "card_failure_rate")).toBe("fired");
    const [alert] = await alertsOf(organizationId, "card_failure_rate");
    expect(alert).toMatchObject({ detail: "7.0% of the last 100 card attempts failed (threshold 5%).", firedAt: T0, clearedAt: null, emailedAt: T0 });
    const emails = await alertEmails(organizationId);
    expect(emails.map((email) => email.toAddress).sort()).toEqual([org.adminEmail, `second-admin@${org.slug}.test`].sort());
    expect(emails[0]).toMatchObject({ subject: `Alert at Clinic ${org.slug}: Card failures` });
    expect(emails[0]!.text).toContain("7.0% of the last 100 card attempts failed");

    // Many evaluations, some at once (as two app instances would): still one alert, no more email.
    for (let minute = 1; minute <= 5; minute += 1) await evaluateAlerts(database.db, { organizationId, now: at(minute / 60) });
    const concurrent = await Promise.all(Array.from({ length: 8 }, () => evaluateAlerts(database.db, { organizationId, now: at(0.1) })));
    expect(concurrent.map((results) => outcomeOf(results, "card_failure_rate"))).toEqual(Array(8).fill("active"));
    expect(await alertsOf(organizationId, "card_failure_rate")).toHaveLength(1);
    expect(await alertEmails(organizationId)).toHaveLength(2);
    expect((await getActiveAlerts(database.db, { organizationId })).map((active) => active.rule)).toEqual(["card_failure_rate"]);

    // 100 newer attempts that went through: the last 100 have no failures, and the alert clears by itself.
    await cardAttempts(database.db, { organizationId, succeeded: 100, failed: 0, createdAt: at(-30) });
    expect(outcomeOf(await evaluateAlerts(database.db, { organizationId, now: at(1) }), "card_failure_rate")).toBe("cleared");
    expect((await alertsOf(organizationId, "card_failure_rate"))[0]).toMatchObject({ clearedAt: at(1), activeRule: null });
    expect(await getActiveAlerts(database.db, { organizationId })).toEqual([]);
    expect(outcomeOf(await evaluateAlerts(database.db, { organizationId, now: at(1.5) }), "card_failure_rate")).toBe("quiet");

    // Failing again within the email interval (24 h after the first email): a new alert, no email.
    await cardAttempts(database.db, { organizationId, succeeded: 0, failed: 10, createdAt: at(-29) });
    expect(outcomeOf(await evaluateAlerts(database.db, { organizationId, now: at(2) }), "card_failure_rate")).toBe("fired");
    const [, second] = await alertsOf(organizationId, "card_failure_rate");
    expect(second).toMatchObject({ detail: "10.0% of the last 100 card attempts failed (threshold 5%).", firedAt: at(2), clearedAt: null, emailedAt: null });
    expect(await alertEmails(organizationId)).toHaveLength(2);

    // Cleared, then firing again after the interval: emailed again, once per admin.
    await cardAttempts(database.db, { organizationId, succeeded: 100, failed: 0, createdAt: at(-28) });
    expect(outcomeOf(await evaluateAlerts(database.db, { organizationId, now: at(3) }), "card_failure_rate")).toBe("cleared");
    await cardAttempts(database.db, { organizationId, succeeded: 0, failed: 6, createdAt: at(-27) });
    expect(outcomeOf(await evaluateAlerts(database.db, { organizationId, now: at(25) }), "card_failure_rate")).toBe("fired");
    expect((await alertsOf(organizationId, "card_failure_rate"))[2]).toMatchObject({ emailedAt: at(25) });
    expect(await alertEmails(organizationId)).toHaveLength(4);

    const history = await listAlertHistory(database.db, { organizationId, input: { limit: 2 } });
    expect(history.data.map((item) => [item.firedAt, item.clearedAt, item.emailed])).toEqual([
      [at(25).toISOString(), null, true],
      [at(2).toISOString(), at(3).toISOString(), false],
    ]);
    const older = await listAlertHistory(database.db, { organizationId, input: { limit: 2, cursor: history.nextCursor! } });
    expect(older.data.map((item) => item.firedAt)).toEqual([T0.toISOString()]);
    expect(older.nextCursor).toBeNull();
  });

  it("fires on the last 24 hours alone, and says so, when the last 100 attempts are under the threshold", async () => {
    const { organizationId } = await clinic();
    await cardAttempts(database.db, { organizationId, succeeded: 200, failed: 0, createdAt: at(-72) });
    await cardAttempts(database.db, { organizationId, succeeded: 10, failed: 2, createdAt: at(-2) });
    await evaluateAlerts(database.db, { organizationId, now: T0 });
    const [alert] = await alertsOf(organizationId, "card_failure_rate");
    expect(alert?.detail).toBe("16.7% of 12 card attempts in the last 24 hours failed (threshold 5%).");
    // A day later the recent attempts are out of the window, and 2 of the last 100 (2%) is under 5%.
    expect(outcomeOf(await evaluateAlerts(database.db, { organizationId, now: at(23) }), "card_failure_rate")).toBe("cleared");
  });

  it("names both windows when both fire, and waits for the minimum number of attempts", async () => {
    const { organizationId } = await clinic();
    await cardAttempts(database.db, { organizationId, succeeded: 8, failed: 1, createdAt: at(-1) });
    expect(outcomeOf(await evaluateAlerts(database.db, { organizationId, now: T0 }), "card_failure_rate")).toBe("quiet");
    await cardAttempts(database.db, { organizationId, succeeded: 0, failed: 1, createdAt: at(-0.5) });
    await evaluateAlerts(database.db, { organizationId, now: T0 });
    expect((await alertsOf(organizationId, "card_failure_rate"))[0]?.detail).toBe(
      "20.0% of the 10 card attempts so far failed; 20.0% of 10 card attempts in the last 24 hours failed (threshold 5%).",
    );
  });

  it("follows the clinic's thresholds, and a rule turned off clears its alert", async () => {
    const org = await clinic();
    const { organizationId } = org;
    await cardAttempts(database.db, { organizationId, succeeded: 97, failed: 3, createdAt: at(-48) });
    expect(outcomeOf(await evaluateAlerts(database.db, { organizationId, now: T0 }), "card_failure_rate")).toBe("quiet");
    const rules = rulesInput();
    await updateAlertRules(database.db, {
      organizationId,
      actor: org.adminActor,
      input: { ...rules, card_failure_rate: { ...rules.card_failure_rate, thresholdPercent: 2.5 } },
    });
    expect(outcomeOf(await evaluateAlerts(database.db, { organizationId, now: at(1) }), "card_failure_rate")).toBe("fired");
    expect((await alertsOf(organizationId, "card_failure_rate"))[0]?.detail).toBe("3.0% of the last 100 card attempts failed (threshold 2.5%).");
    await updateAlertRules(database.db, {
      organizationId,
      actor: org.adminActor,
      input: { ...rules, card_failure_rate: { ...rules.card_failure_rate, thresholdPercent: 2.5, enabled: false } },
    });
    expect(outcomeOf(await evaluateAlerts(database.db, { organizationId, now: at(2) }), "card_failure_rate")).toBe("cleared");
  });
});

/** A Stripe that fails every read, as during an outage: applying any event then fails (the webhook answers 5xx). */
const unreachableStripe = new Proxy(
  {},
  {
    get: () =>
      new Proxy(
        {},
        {
          get: () => async () => {
            throw Object.assign(new Error("socket hang up"), { code: "ECONNRESET" });
          },
        },
      ),
  },
) as unknown as Stripe;

function stripeEvent(id: string, type: string, object: Record<string, unknown>): Stripe.Event {
  return { id, type, created: Math.floor(Date.now() / 1000), data: { object } } as unknown as Stripe.Event;
}

describe("Stripe webhook failures", () => {
  it("are recorded with the clinic the object belongs to, fire above the threshold, and clear when the window passes", async () => {
    const org = await clinic();
    const { organizationId } = org;
    const other = await createTestOrganization(database.db);
    await database.db.payment.create({
      data: {
        organizationId,
        ...(await invoiceFor(organizationId)),
        source: "pay_page",
        methodType: "card",
        currency: "USD",
        amount: 100,
        status: "succeeded",
        stripePaymentIntentId: "pi_alerts_disputed",
      },
    });
    const fail = async (event: Stripe.Event) => expect(processStripeEvent(database.db, event, unreachableStripe)).rejects.toThrow("socket hang up");
    for (let n = 0; n < 3; n += 1) {
      await fail(
        stripeEvent(`evt_alerts_pi_${n}`, "payment_intent.succeeded", {
          id: `pi_alerts_${n}`,
          object: "payment_intent",
          metadata: { organization_id: organizationId },
        }),
      );
    }
    await fail(
      stripeEvent("evt_alerts_other", "payment_intent.succeeded", {
        id: "pi_other",
        object: "payment_intent",
        metadata: { organization_id: other.organizationId },
      }),
    );
    const failures = await database.db.stripeEventFailure.findMany({ where: { organizationId } });
    expect(failures).toHaveLength(3);
    expect(failures[0]).toMatchObject({ type: "payment_intent.succeeded", error: "Error:ECONNRESET" });
    // Nothing of a failed event stays claimed: Stripe's redelivery will apply it.
    expect(await database.db.stripeEvent.count({ where: { id: { startsWith: "evt_alerts_" } } })).toBe(0);

    // 3 failures is not more than 3: quiet. The real clock is what the failures carry, so evaluate at it.
    const now = new Date();
    expect(outcomeOf(await evaluateAlerts(database.db, { organizationId, now }), "webhook_failures")).toBe("quiet");
    // A dispute's event names no metadata of ours: its PaymentIntent's payment tells the clinic.
    await fail(stripeEvent("evt_alerts_dispute", "charge.dispute.created", { id: "dp_alerts", object: "dispute", payment_intent: "pi_alerts_disputed" }));
    const afterFourth = new Date();
    const evaluated = await Promise.all([1, 2, 3].map(() => evaluateAlerts(database.db, { organizationId, now: afterFourth })));
    expect(evaluated.map((results) => outcomeOf(results, "webhook_failures")).sort()).toEqual(["active", "active", "fired"]);
    const [alert] = await alertsOf(organizationId, "webhook_failures");
    expect(alert?.detail).toMatch(/^4 Stripe webhook deliveries failed to apply in the last 24 hours \(more than 3; latest: charge\.dispute\.created\)/);
    expect(await alertEmails(organizationId)).toHaveLength(2);
    expect(outcomeOf(await evaluateAlerts(database.db, { organizationId: other.organizationId, now }), "webhook_failures")).toBe("quiet");

    // A day on, the failures are out of the window: the alert clears.
    const later = new Date(afterFourth.getTime() + 25 * HOUR);
    expect(outcomeOf(await evaluateAlerts(database.db, { organizationId, now: later }), "webhook_failures")).toBe("cleared");
    expect((await alertsOf(organizationId, "webhook_failures"))[0]?.clearedAt).toEqual(later);
  });
});

async function openDispute(organizationId: string, options: { createdAt: Date; suffix: string }) {
  const patient = await createTestPatient(database.db, { organizationId });
  const invoice = await createTestOpenInvoice(database.db, { organizationId, patientId: patient.id, total: 12_000 });
  const payment = await database.db.payment.create({
    data: {
      organizationId,
      invoiceId: invoice.id,
      patientId: patient.id,
      source: "pay_page",
      methodType: "card",
      currency: "USD",
      amount: 12_000,
      status: "succeeded",
    },
  });
  return database.db.dispute.create({
    data: {
      organizationId,
      paymentId: payment.id,
      invoiceId: invoice.id,
      stripeDisputeId: `dp_alerts_${options.suffix}`,
      currency: "USD",
      amount: 12_000,
      reason: "fraudulent",
      status: "needs_response",
      evidenceDueBy: new Date("2026-11-12T23:59:59Z"),
      createdAt: options.createdAt,
    },
    include: { invoice: { select: { number: true } } },
  });
}

describe("dispute opened", () => {
  it("fires while a dispute awaits a response, clears when evidence is recorded, and fires again for the next one", async () => {
    const { organizationId } = await clinic();
    const dispute = await openDispute(organizationId, { createdAt: at(-1), suffix: organizationId.slice(0, 8) });
    const runs = await Promise.all(Array.from({ length: 5 }, () => evaluateAlerts(database.db, { organizationId, now: T0 })));
    expect(runs.filter((results) => outcomeOf(results, "dispute_opened") === "fired")).toHaveLength(1);
    const [alert] = await alertsOf(organizationId, "dispute_opened");
    expect(alert?.detail).toBe(`A dispute was opened and awaits your response: $120.00 on ${dispute.invoice!.number}, evidence due Nov 12, 2026.`);
    expect(await alertEmails(organizationId)).toHaveLength(2);

    await database.db.dispute.update({ where: { id: dispute.id }, data: { evidenceSubmittedAt: at(2), status: "under_review" } });
    expect(outcomeOf(await evaluateAlerts(database.db, { organizationId, now: at(2) }), "dispute_opened")).toBe("cleared");

    await openDispute(organizationId, { createdAt: at(3), suffix: `${organizationId.slice(0, 8)}b` });
    expect(outcomeOf(await evaluateAlerts(database.db, { organizationId, now: at(4) }), "dispute_opened")).toBe("fired");
    expect(await alertEmails(organizationId)).toHaveLength(2); // within the 24 h email interval
  });
});

describe("stuck payment", () => {
  it("fires for a payment processing longer than the limit, clears when it moves on, fires again after the interval with an email", async () => {
    const { organizationId } = await clinic();
    const payment = await database.db.payment.create({
      data: {
        organizationId,
        ...(await invoiceFor(organizationId)),
        source: "pay_page",
        methodType: "us_bank_account",
        currency: "USD",
        amount: 100,
        status: "processing",
      },
    });
    await database.db.payment.update({ where: { id: payment.id }, data: { updatedAt: at(-23) } });
    expect(outcomeOf(await evaluateAlerts(database.db, { organizationId, now: T0 }), "payment_stuck")).toBe("quiet");
    expect(outcomeOf(await evaluateAlerts(database.db, { organizationId, now: at(1.5) }), "payment_stuck")).toBe("fired");
    await Promise.all([1, 2, 3, 4].map(() => evaluateAlerts(database.db, { organizationId, now: at(2) })));
    expect((await alertsOf(organizationId, "payment_stuck"))[0]?.detail).toBe(
      "1 payment processing for more than 24 hours (unchanged since Nov 1, 2026, 11:00 AM).",
    );
    expect(await alertEmails(organizationId)).toHaveLength(2);

    await database.db.payment.update({ where: { id: payment.id }, data: { status: "succeeded", updatedAt: at(3) } });
    expect(outcomeOf(await evaluateAlerts(database.db, { organizationId, now: at(3) }), "payment_stuck")).toBe("cleared");

    const action = await database.db.payment.create({
      data: {
        organizationId,
        ...(await invoiceFor(organizationId)),
        source: "pay_page",
        methodType: "card",
        currency: "USD",
        amount: 100,
        status: "requires_action",
      },
    });
    await database.db.payment.update({ where: { id: action.id }, data: { updatedAt: at(4) } });
    expect(outcomeOf(await evaluateAlerts(database.db, { organizationId, now: at(30) }), "payment_stuck")).toBe("fired");
    expect((await alertsOf(organizationId, "payment_stuck"))[1]).toMatchObject({
      detail: "1 payment awaiting the patient's authentication for more than 24 hours (unchanged since Nov 2, 2026, 2:00 PM).",
      emailedAt: at(30),
    });
    expect(await alertEmails(organizationId)).toHaveLength(4);
  });
});

describe("email not delivered", () => {
  it("fires for a failed email in the window (never for the alerts' own), and clears when the window passes", async () => {
    const { organizationId } = await clinic();
    const failed = (kind: string, updatedAt: Date) =>
      database.db.email.create({
        data: { organizationId, kind, toAddress: "someone@example.test", subject: "s", text: "t", html: "h", status: "failed", updatedAt },
      });
    await failed("alert", at(-1));
    expect(outcomeOf(await evaluateAlerts(database.db, { organizationId, now: T0 }), "email_failed")).toBe("quiet");
    await failed("invoice", at(-1));
    await failed("receipt", at(-0.5));
    await Promise.all([1, 2, 3].map(() => evaluateAlerts(database.db, { organizationId, now: T0 })));
    const [alert] = await alertsOf(organizationId, "email_failed");
    expect(alert?.detail).toBe("2 emails could not be delivered in the last 24 hours (invoice, receipt).");
    expect(await alertEmails(organizationId)).toHaveLength(2 + 1); // the two admins' alert emails, and the failed one seeded above
    expect(outcomeOf(await evaluateAlerts(database.db, { organizationId, now: at(24) }), "email_failed")).toBe("cleared");
    await failed("invoice", at(30));
    expect(outcomeOf(await evaluateAlerts(database.db, { organizationId, now: at(31) }), "email_failed")).toBe("fired");
    expect((await alertsOf(organizationId, "email_failed"))[1]).toMatchObject({ emailedAt: at(31) });
  });
});

describe("alert rules", () => {
  it("start with the defaults, save only what changed, with one audit event", async () => {
    const org = await clinic();
    const { organizationId } = org;
    await evaluateAlerts(database.db, { organizationId, now: T0 });
    const rows = await database.db.alertRule.findMany({ where: { organizationId }, orderBy: { rule: "asc" } });
    expect(rows.map((row) => [row.rule, row.enabled])).toEqual([
      ["card_failure_rate", true],
      ["webhook_failures", true],
      ["dispute_opened", true],
      ["payment_stuck", true],
      ["email_failed", true],
    ]);
    expect(rows[0]?.settings).toEqual(DEFAULT_ALERT_RULE_SETTINGS.card_failure_rate);

    const rules = rulesInput();
    expect(await updateAlertRules(database.db, { organizationId, actor: testActor(org.adminUserId), input: rules })).toEqual({ changed: [] });
    const changed = await updateAlertRules(database.db, {
      organizationId,
      actor: testActor(org.adminUserId),
      input: {
        ...rules,
        payment_stuck: { enabled: true, hours: "12" as unknown as number, emailIntervalHours: 6 },
        dispute_opened: { enabled: false, emailIntervalHours: 24 },
      },
    });
    expect(changed.changed.sort()).toEqual(["dispute_opened", "payment_stuck"]);
    const audit = await database.db.auditEvent.findMany({ where: { organizationId, action: "alert_rules.updated" } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      before: { payment_stuck: { enabled: true, settings: { hours: 24, emailIntervalHours: 24 } }, dispute_opened: { enabled: true } },
      after: { payment_stuck: { enabled: true, settings: { hours: 12, emailIntervalHours: 6 } }, dispute_opened: { enabled: false } },
    });
  });

  it("refuse bad thresholds with a message per field", async () => {
    const org = await clinic();
    const rules = rulesInput();
    const attempt = updateAlertRules(database.db, {
      organizationId: org.organizationId,
      actor: org.adminActor,
      input: {
        ...rules,
        card_failure_rate: { ...rules.card_failure_rate, thresholdPercent: 0, lastAttempts: 2.5 },
        webhook_failures: { ...rules.webhook_failures, windowHours: 500 },
      },
    });
    await expect(attempt).rejects.toMatchObject({
      issues: expect.arrayContaining([
        expect.objectContaining({ path: ["card_failure_rate", "thresholdPercent"], message: "Enter a percentage from 0.1 to 100." }),
        expect.objectContaining({ path: ["card_failure_rate", "lastAttempts"], message: "Enter the number of attempts as a whole number." }),
        expect.objectContaining({ path: ["webhook_failures", "windowHours"], message: "Enter the hours from 1 to 168." }),
      ]),
    });
  });

  it("one clinic's payments never raise another clinic's alert", async () => {
    const first = await clinic();
    const second = await clinic();
    await cardAttempts(database.db, { organizationId: first.organizationId, succeeded: 50, failed: 50, createdAt: at(-1) });
    await cardAttempts(database.db, { organizationId: second.organizationId, succeeded: 100, failed: 0, createdAt: at(-1) });
    expect(outcomeOf(await evaluateAlerts(database.db, { organizationId: second.organizationId, now: T0 }), "card_failure_rate")).toBe("quiet");
    expect(outcomeOf(await evaluateAlerts(database.db, { organizationId: first.organizationId, now: T0 }), "card_failure_rate")).toBe("fired");
    expect(await getActiveAlerts(database.db, { organizationId: second.organizationId })).toEqual([]);
  });
});
