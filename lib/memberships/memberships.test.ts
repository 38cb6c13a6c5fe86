import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chargeInstant } from "@/lib/autopay/charge-time";
import { billMemberships } from "@/lib/autopay/bill-memberships";
import { runAutopay } from "@/lib/autopay/run-autopay";
import { issueCardLink } from "@/lib/card-links/create-card-link";
import { AppError } from "@/lib/errors";
import { addDays } from "@/lib/invoices/dates";
import { checkLedger } from "@/lib/ledger/balances";
import { recordManualPayment } from "@/lib/payments/record-manual-payment";
import { saveCardWithConsent } from "@/tests/cards-on-file";
import { createTestOrganization, createTestPatient, testActor } from "@/tests/factories";
import { listStripeRequests, startTestStripe, type TestStripe } from "@/tests/stripe";
import { setupTestDatabase } from "@/tests/test-database";
import { enrollMembership } from "./enroll-membership";
import { findInvoiceMembershipPeriod, getMembershipOrThrow, listMemberships, listPatientLiveMemberships } from "./get-membership";
import {
  cancelMembership,
  cancelMembershipFromCardLink,
  changeMembershipCard,
  pauseMembership,
  resumeMembership,
  undoCancelAtPeriodEnd,
} from "./manage-membership";
import { archiveMembershipPlan, createMembershipPlan, listMembershipPlans, updateMembershipPlan } from "./membership-plans";
import { periodStartOf } from "./membership-schedule";

const database = setupTestDatabase();
const actor = testActor();
let stripe: TestStripe;

beforeAll(async () => {
  stripe = await startTestStripe();
});
afterAll(async () => {
  await stripe.close();
});

const NEW_YORK = { timezone: "America/New_York", chargeHour: 8 };
const HOUR = 3_600_000;
/** An instant shortly after the clinic's 08:00 charge time on a date. */
const chargeTime = (date: string) => new Date(chargeInstant(date, NEW_YORK).getTime() + HOUR);
const GOOD_CARD = "4242424242424242";

async function clinicWithMember(options: { card?: string | null; amount?: number; interval?: "monthly" | "yearly" } = {}) {
  const org = await createTestOrganization(database.db);
  const patient = await createTestPatient(database.db, { organizationId: org.organizationId, firstName: "Ada", email: "ada.member@example.test" });
  const card =
    options.card === null
      ? null
      : await saveCardWithConsent(database.db, stripe.stripe, { organizationId: org.organizationId, patientId: patient.id, number: options.card ?? GOOD_CARD });
  const plan = await createMembershipPlan(database.db, {
    organizationId: org.organizationId,
    actor,
    input: { name: "Direct care", description: "Unlimited visits", amount: options.amount ?? 5_000, interval: options.interval ?? "monthly" },
  });
  return { org, organizationId: org.organizationId, patientId: patient.id, card, plan };
}

async function periodCharges(membershipId: string) {
  const periods = await database.db.membershipPeriod.findMany({ where: { membershipId }, select: { id: true } });
  return database.db.autopayCharge.findMany({
    where: { subjectType: "membership_period", subjectId: { in: periods.map((period) => period.id) } },
    include: { payment: true },
    orderBy: [{ scheduledFor: "asc" }, { attempt: "asc" }],
  });
}

async function fieldsOf(promise: Promise<unknown>): Promise<Record<string, string[]> | undefined> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(AppError);
  return (error as AppError).fields;
}

const BALANCED = { unbalancedCurrencies: [], invoiceMismatches: [], patientCreditMismatches: [], allocationMismatches: [], claimMismatches: [] };

describe("the membership schedule", () => {
  it("keeps the anchor day: the 31st falls on shorter months' last day, a yearly Feb 29 on Feb 28", () => {
    expect([1, 2, 3, 4, 13, 14].map((sequence) => periodStartOf("2027-01-31", "monthly", sequence))).toEqual([
      "2027-01-31",
      "2027-02-28",
      "2027-03-31",
      "2027-04-30",
      "2028-01-31",
      "2028-02-29",
    ]);
    expect([1, 2, 5].map((sequence) => periodStartOf("2028-02-29", "yearly", sequence))).toEqual(["2028-02-29", "2029-02-28", "2032-02-29"]);
  });
});

describe("memberships", () => {
  it(
    "renews for 13 months from the 31st with one soft decline recovered on its retry: 13 invoices in our numbering, 13 paid periods, consent on every charge, a balanced ledger",
    { timeout: 300_000 },
    async () => {
      const { organizationId, patientId, card, plan } = await clinicWithMember();
      const declining = await saveCardWithConsent(database.db, stripe.stripe, { organizationId, patientId, number: "4000000000009995", isDefault: false });
      const enrolled = await enrollMembership(database.db, {
        organizationId,
        actor,
        input: { patientId, membershipPlanId: plan.id, startDate: "2027-01-31" },
        now: new Date("2027-01-20T15:00:00Z"),
        stripe: stripe.stripe,
      });
      expect(enrolled).toMatchObject({ status: "active", nextChargeDate: "2027-01-31", periods: [], card: { id: card!.id } });
      const membershipId = enrolled.id;
      for (let sequence = 1; sequence <= 13; sequence++) {
        const start = periodStartOf("2027-01-31", "monthly", sequence);
        // Before the charge hour on the day: nothing yet.
        expect(
          await runAutopay(database.db, { organizationId, now: new Date(chargeInstant(start, NEW_YORK).getTime() - 60_000), stripe: stripe.stripe }),
        ).toMatchObject({ invoiced: 0, charged: 0 });
        if (sequence === 4) {
          // The patient's bank declines this one (insufficient funds: soft): retried 1 day after the period start on the card they gave meanwhile.
          await changeMembershipCard(database.db, { organizationId, membershipId, actor, input: { savedPaymentMethodId: declining.id } });
          expect(await runAutopay(database.db, { organizationId, now: chargeTime(start), stripe: stripe.stripe })).toMatchObject({
            invoiced: 1,
            charged: 1,
            failed: 1,
          });
          await changeMembershipCard(database.db, { organizationId, membershipId, actor, input: { savedPaymentMethodId: card!.id } });
          expect(await runAutopay(database.db, { organizationId, now: chargeTime(addDays(start, 1)), stripe: stripe.stripe })).toMatchObject({
            invoiced: 0,
            charged: 1,
            succeeded: 1,
          });
          continue;
        }
        expect(await runAutopay(database.db, { organizationId, now: chargeTime(start), stripe: stripe.stripe })).toMatchObject({
          invoiced: 1,
          charged: 1,
          succeeded: 1,
        });
        // A second run at the same instant changes nothing.
        expect(await runAutopay(database.db, { organizationId, now: chargeTime(start), stripe: stripe.stripe })).toMatchObject({ invoiced: 0, charged: 0 });
      }
      const view = await getMembershipOrThrow(database.db, { organizationId, membershipId, now: chargeTime("2028-02-01") });
      expect(view.status).toBe("active");
      expect(view.nextChargeDate).toBe("2028-02-29");
      const periods = [...view.periods].reverse();
      expect(periods.map((period) => [period.sequence, period.periodStart, period.periodEnd, period.status, period.amount])).toEqual(
        Array.from({ length: 13 }, (_, index) => [
          index + 1,
          periodStartOf("2027-01-31", "monthly", index + 1),
          periodStartOf("2027-01-31", "monthly", index + 2),
          "paid",
          5_000,
        ]),
      );
      expect(periods.slice(0, 3).map((period) => period.periodStart)).toEqual(["2027-01-31", "2027-02-28", "2027-03-31"]);
      expect(periods[3]!.attempts.map((attempt) => [attempt.attempt, attempt.status, attempt.declineCode])).toEqual([
        [1, "failed", "insufficient_funds"],
        [2, "succeeded", null],
      ]);
      // 13 invoices, each finalized in the organization's one numbering, one line, paid.
      const invoices = await database.db.invoice.findMany({
        where: { id: { in: periods.map((period) => period.invoiceId) } },
        include: { lines: true },
        orderBy: { number: "asc" },
      });
      expect(invoices).toHaveLength(13);
      expect(new Set(invoices.map((invoice) => invoice.number)).size).toBe(13);
      expect(invoices.every((invoice) => /^INV-\d+$/.test(invoice.number ?? "") && invoice.status === "paid" && invoice.total === 5_000)).toBe(true);
      const february = invoices.find((invoice) => invoice.id === periods[1]!.invoiceId)!;
      expect(february.lines.map((line) => line.description)).toEqual(["Direct care membership, Feb 28, 2027 – Mar 30, 2027"]);
      // 14 attempts (one declined), each with the card's recorded consent; 13 payments succeeded, each with its receipt.
      const charges = await periodCharges(membershipId);
      expect(charges).toHaveLength(14);
      for (const charge of charges) {
        const withConsent = await database.db.autopayCharge.findUniqueOrThrow({ where: { id: charge.id }, include: { consent: true, card: true } });
        expect(withConsent.consent?.patientId).toBe(patientId);
        expect(withConsent.card!.consentId).toBe(withConsent.consentId);
      }
      expect(charges.filter((charge) => charge.payment?.status === "succeeded")).toHaveLength(13);
      const requests = await listStripeRequests(stripe.emulator.url, { secretKey: stripe.secretKey });
      const intents = requests.filter(
        (request) =>
          request.method === "POST" && request.path === "/v1/payment_intents" && charges.some((charge) => charge.idempotencyKey === request.idempotency_key),
      );
      expect(intents).toHaveLength(14);
      const emails = await database.db.email.findMany({ where: { organizationId }, select: { kind: true, text: true } });
      expect(emails.filter((email) => email.kind === "receipt")).toHaveLength(13);
      const failed = emails.filter((email) => email.kind === "autopay_failed");
      expect(failed).toHaveLength(1);
      expect(failed[0]!.text).toContain("We will try again on May 1, 2027");
      expect(failed[0]!.text).not.toMatch(/Direct care|visits/);
      expect(await checkLedger(database.db)).toEqual(BALANCED);
    },
  );

  it("bills a yearly membership from Feb 29 on Feb 28 of the next years", { timeout: 60_000 }, async () => {
    const { organizationId, patientId, plan } = await clinicWithMember({ interval: "yearly", amount: 60_000 });
    const { id: membershipId } = await enrollMembership(database.db, {
      organizationId,
      actor,
      input: { patientId, membershipPlanId: plan.id, startDate: "2028-02-29" },
      now: new Date("2028-02-01T15:00:00Z"),
      stripe: stripe.stripe,
    });
    for (const start of ["2028-02-29", "2029-02-28"]) {
      expect(await runAutopay(database.db, { organizationId, now: chargeTime(start), stripe: stripe.stripe })).toMatchObject({ invoiced: 1, succeeded: 1 });
    }
    // Nothing in between (a month later, half a year later).
    expect(await runAutopay(database.db, { organizationId, now: chargeTime("2029-09-30"), stripe: stripe.stripe })).toMatchObject({ invoiced: 0 });
    const view = await getMembershipOrThrow(database.db, { organizationId, membershipId });
    expect(view.periods.map((period) => [period.periodStart, period.periodEnd, period.status, period.amount])).toEqual([
      ["2029-02-28", "2030-02-28", "paid", 60_000],
      ["2028-02-29", "2029-02-28", "paid", 60_000],
    ]);
    expect(view.nextChargeDate).toBe("2030-02-28");
  });

  it("cancels at the period's end: no more invoices, canceled when the period ends; undo is possible before", { timeout: 60_000 }, async () => {
    const { organizationId, patientId, plan } = await clinicWithMember();
    const now = chargeTime("2027-03-10");
    const started = await enrollMembership(database.db, {
      organizationId,
      actor,
      input: { patientId, membershipPlanId: plan.id, startDate: "2027-03-10" },
      now,
      stripe: stripe.stripe,
    });
    // Starting today: the first period is invoiced and charged at once.
    expect(started.periods.map((period) => [period.status, period.periodStart, period.periodEnd])).toEqual([["paid", "2027-03-10", "2027-04-10"]]);
    const membershipId = started.id;
    await cancelMembership(database.db, { organizationId, membershipId, actor, now, input: { when: "period_end" } });
    await undoCancelAtPeriodEnd(database.db, { organizationId, membershipId, actor, now });
    const ending = await cancelMembership(database.db, { organizationId, membershipId, actor, now, input: { when: "period_end" } });
    expect(ending).toMatchObject({ status: "active", cancelAtPeriodEnd: true, cancelRequestedBy: "staff_on_behalf", nextChargeDate: null });
    await expect(
      cancelMembership(database.db, { organizationId, membershipId, actor, now, input: { when: "period_end", refundAmount: 100 } }),
    ).rejects.toThrow();
    expect(await runAutopay(database.db, { organizationId, now: chargeTime("2027-04-09"), stripe: stripe.stripe })).toMatchObject({ invoiced: 0 });
    expect((await getMembershipOrThrow(database.db, { organizationId, membershipId })).status).toBe("active");
    expect(await runAutopay(database.db, { organizationId, now: chargeTime("2027-04-10"), stripe: stripe.stripe })).toMatchObject({ invoiced: 0, charged: 0 });
    expect(await runAutopay(database.db, { organizationId, now: chargeTime("2027-05-10"), stripe: stripe.stripe })).toMatchObject({ invoiced: 0, charged: 0 });
    const ended = await getMembershipOrThrow(database.db, { organizationId, membershipId });
    expect(ended).toMatchObject({ status: "canceled", canceledAt: chargeTime("2027-04-10").toISOString() });
    expect(ended.periods).toHaveLength(1);
    const emails = await database.db.email.findMany({ where: { organizationId, kind: "membership_canceled" }, select: { text: true } });
    expect(emails.at(-1)!.text).toContain("will end after April 9, 2027");
  });

  it("cancels now with a refund of the unused part: refund row, credit note and journal; the ledger balances", { timeout: 60_000 }, async () => {
    const { organizationId, patientId, plan } = await clinicWithMember({ amount: 3_000 });
    const { id: membershipId } = await enrollMembership(database.db, {
      organizationId,
      actor,
      input: { patientId, membershipPlanId: plan.id, startDate: "2027-06-01" },
      now: chargeTime("2027-06-01"),
      stripe: stripe.stripe,
    });
    // 10 of June's 30 days used: 20/30 of $30 unused.
    const view = await getMembershipOrThrow(database.db, { organizationId, membershipId, now: chargeTime("2027-06-11") });
    expect(view).toMatchObject({ refundableAmount: 3_000, suggestedRefund: 2_000 });
    await expect(
      fieldsOf(
        cancelMembership(database.db, { organizationId, membershipId, actor, now: chargeTime("2027-06-11"), input: { when: "now", refundAmount: 3_001 } }),
      ),
    ).resolves.toEqual({ refundAmount: ["Refund at most $30.00."] });
    const canceled = await cancelMembership(database.db, {
      organizationId,
      membershipId,
      actor,
      now: chargeTime("2027-06-11"),
      input: { when: "now", refundAmount: view.suggestedRefund },
      stripe: stripe.stripe,
    });
    expect(canceled).toMatchObject({ status: "canceled", refundableAmount: 0, nextChargeDate: null });
    const refunds = await database.db.refund.findMany({ where: { organizationId } });
    expect(refunds.map((refund) => [refund.amount, refund.invoiceId])).toEqual([[2_000, view.periods[0]!.invoiceId]]);
    const journals = await database.db.journalEntry.findMany({ where: { organizationId, sourceType: "refund" }, select: { kind: true } });
    expect(journals.length).toBeGreaterThan(0);
    // The invoice stays settled: a credit note for the refunded part.
    expect(await database.db.creditNote.findMany({ where: { organizationId }, select: { invoiceId: true, amount: true } })).toEqual([
      { invoiceId: view.periods[0]!.invoiceId, amount: 2_000 },
    ]);
    expect(await runAutopay(database.db, { organizationId, now: chargeTime("2027-07-01"), stripe: stripe.stripe })).toMatchObject({ invoiced: 0 });
    expect(await checkLedger(database.db)).toEqual(BALANCED);
  });

  it("skips the periods that start while paused; resuming continues at the next anchor date on or after the resume date", { timeout: 60_000 }, async () => {
    const { organizationId, patientId, plan } = await clinicWithMember();
    const { id: membershipId } = await enrollMembership(database.db, {
      organizationId,
      actor,
      input: { patientId, membershipPlanId: plan.id, startDate: "2027-01-10" },
      now: chargeTime("2027-01-10"),
      stripe: stripe.stripe,
    });
    await pauseMembership(database.db, { organizationId, membershipId, actor, now: chargeTime("2027-01-20") });
    expect(await runAutopay(database.db, { organizationId, now: chargeTime("2027-02-10"), stripe: stripe.stripe })).toMatchObject({ invoiced: 0 });
    const resumed = await resumeMembership(database.db, { organizationId, membershipId, actor, now: chargeTime("2027-03-15") });
    expect(resumed).toMatchObject({ status: "active", nextChargeDate: "2027-04-10" });
    expect(await runAutopay(database.db, { organizationId, now: chargeTime("2027-03-15"), stripe: stripe.stripe })).toMatchObject({ invoiced: 0 });
    expect(await runAutopay(database.db, { organizationId, now: chargeTime("2027-04-10"), stripe: stripe.stripe })).toMatchObject({
      invoiced: 1,
      succeeded: 1,
    });
    const view = await getMembershipOrThrow(database.db, { organizationId, membershipId });
    expect(view.periods.map((period) => [period.sequence, period.periodStart, period.status])).toEqual([
      [4, "2027-04-10", "paid"],
      [1, "2027-01-10", "paid"],
    ]);
  });

  it(
    "charges a membership starting today as the patient is enrolled, even before the clinic's charge hour; the next period at the charge hour",
    { timeout: 60_000 },
    async () => {
      const { organizationId, patientId, plan } = await clinicWithMember();
      // 06:30 in New York, before the 08:00 charge hour.
      const early = new Date("2027-05-05T10:30:00Z");
      const enrolled = await enrollMembership(database.db, {
        organizationId,
        actor,
        input: { patientId, membershipPlanId: plan.id, startDate: "2027-05-05" },
        now: early,
        stripe: stripe.stripe,
      });
      expect(enrolled.periods).toHaveLength(1);
      const charges = await periodCharges(enrolled.id);
      expect(charges.map((charge) => [charge.status, charge.scheduledFor.toISOString()])).toEqual([["succeeded", early.toISOString()]]);
      expect(
        await runAutopay(database.db, { organizationId, now: new Date(chargeInstant("2027-06-05", NEW_YORK).getTime() - 60_000), stripe: stripe.stripe }),
      ).toMatchObject({
        invoiced: 0,
      });
      expect(await runAutopay(database.db, { organizationId, now: chargeTime("2027-06-05"), stripe: stripe.stripe })).toMatchObject({
        invoiced: 1,
        succeeded: 1,
      });
    },
  );

  it("two runs at once invoice the period once and charge it once", { timeout: 60_000 }, async () => {
    const { organizationId, patientId, plan } = await clinicWithMember();
    const { id: membershipId } = await enrollMembership(database.db, {
      organizationId,
      actor,
      input: { patientId, membershipPlanId: plan.id, startDate: "2027-05-05" },
      now: new Date("2027-05-01T15:00:00Z"),
    });
    await Promise.all([
      runAutopay(database.db, { organizationId, now: chargeTime("2027-05-05"), stripe: stripe.stripe }),
      runAutopay(database.db, { organizationId, now: chargeTime("2027-05-05"), stripe: stripe.stripe }),
      billMemberships(database.db, { organizationId, now: chargeTime("2027-05-05") }),
    ]);
    expect(await database.db.membershipPeriod.count({ where: { membershipId } })).toBe(1);
    // The bare billing step may have written the period after both runs looked for charges: the next run charges it.
    await runAutopay(database.db, { organizationId, now: chargeTime("2027-05-05"), stripe: stripe.stripe });
    const charges = await periodCharges(membershipId);
    expect(charges.map((charge) => [charge.attempt, charge.status])).toEqual([[1, "succeeded"]]);
    expect(await database.db.payment.count({ where: { organizationId } })).toBe(1);
    const requests = await listStripeRequests(stripe.emulator.url, { secretKey: stripe.secretKey });
    expect(requests.filter((request) => request.path === "/v1/payment_intents" && request.idempotency_key === charges[0]!.idempotencyKey)).toHaveLength(1);
  });

  it("refuses a second enrollment in the same plan and one without a card or link, writing nothing", { timeout: 60_000 }, async () => {
    const { organizationId, patientId, plan } = await clinicWithMember({ card: null });
    const input = { patientId, membershipPlanId: plan.id, startDate: "2027-05-05" };
    const now = new Date("2027-05-01T15:00:00Z");
    await expect(fieldsOf(enrollMembership(database.db, { organizationId, actor, input, now }))).resolves.toEqual({
      savedPaymentMethodId: ["Choose a card on file, or send the patient a link to add one."],
    });
    expect(await database.db.patientMembership.count({ where: { organizationId } })).toBe(0);
    const first = await enrollMembership(database.db, { organizationId, actor, input: { ...input, sendCardLink: true }, now });
    expect(first).toMatchObject({ status: "active", card: null });
    const link = await database.db.email.findFirstOrThrow({ where: { organizationId, kind: "membership_card_link" } });
    expect(link.text).toMatch(/please add a card here: http\S+\/card\//);
    await expect(fieldsOf(enrollMembership(database.db, { organizationId, actor, input: { ...input, sendCardLink: true }, now }))).resolves.toEqual({
      membershipPlanId: ["This patient is already a member of this plan."],
    });
    // Concurrent enrollments: the partial unique index keeps one.
    const other = await createTestPatient(database.db, { organizationId, firstName: "Bo", email: "bo@example.test" });
    const racing = await Promise.allSettled(
      [0, 1].map(() => enrollMembership(database.db, { organizationId, actor, input: { ...input, patientId: other.id, sendCardLink: true }, now })),
    );
    expect(racing.filter((result) => result.status === "fulfilled")).toHaveLength(1);
    expect(await database.db.patientMembership.count({ where: { organizationId } })).toBe(2);
    await expect(
      fieldsOf(enrollMembership(database.db, { organizationId, actor, input: { ...input, startDate: "2027-04-30", sendCardLink: true }, now })),
    ).resolves.toMatchObject({ startDate: ["The membership cannot start in the past."] });
    await archiveMembershipPlan(database.db, { organizationId, membershipPlanId: plan.id, actor });
    const third = await createTestPatient(database.db, { organizationId, firstName: "Cy", email: "cy@example.test" });
    await expect(
      fieldsOf(enrollMembership(database.db, { organizationId, actor, input: { ...input, patientId: third.id, sendCardLink: true }, now })),
    ).resolves.toEqual({ membershipPlanId: ["This membership plan is archived and takes no new members."] });
  });

  it(
    "defaults after a hard decline when the clinic says so: an attention item names the membership, nothing more is invoiced",
    { timeout: 60_000 },
    async () => {
      const { organizationId, patientId, plan } = await clinicWithMember({ card: "4000000000009987" });
      await database.db.autopaySettings.create({ data: { organizationId, afterLastFailure: "defaulted" } });
      const view = await enrollMembership(database.db, {
        organizationId,
        actor,
        input: { patientId, membershipPlanId: plan.id, startDate: "2027-05-05" },
        now: chargeTime("2027-05-05"),
        stripe: stripe.stripe,
      });
      expect(view).toMatchObject({ status: "defaulted", nextChargeDate: null });
      expect(view.periods.map((period) => [period.status, period.attempts.map((attempt) => attempt.declineCode)])).toEqual([["failed", ["lost_card"]]]);
      const items = await database.db.attentionItem.findMany({ where: { organizationId } });
      expect(items.map((item) => [item.kind, item.membershipId, item.subjectId, item.resolvedAt])).toEqual([
        ["autopay_failed", view.id, view.periods[0]!.id, null],
      ]);
      const email = await database.db.email.findFirstOrThrow({ where: { organizationId, kind: "autopay_failed" } });
      expect(email.text).toMatch(/Please add a new card or replace the one on file here: http\S+\/card\//);
      expect(await runAutopay(database.db, { organizationId, now: chargeTime("2027-06-05"), stripe: stripe.stripe })).toMatchObject({
        invoiced: 0,
        charged: 0,
      });
    },
  );

  it("does not charge a period paid at the desk before its charge went out", { timeout: 60_000 }, async () => {
    const { organizationId, patientId, plan } = await clinicWithMember();
    const { id: membershipId } = await enrollMembership(database.db, {
      organizationId,
      actor,
      input: { patientId, membershipPlanId: plan.id, startDate: "2027-05-05" },
      now: new Date("2027-05-01T15:00:00Z"),
    });
    // The period is invoiced; before the charges are claimed, the patient pays at the desk.
    expect(await billMemberships(database.db, { organizationId, now: chargeTime("2027-05-05") })).toBe(1);
    const [period] = await database.db.membershipPeriod.findMany({ where: { membershipId } });
    await recordManualPayment(database.db, { organizationId, actor, input: { patientId, invoiceId: period!.invoiceId, method: "cash", amount: 5_000 } });
    expect(await runAutopay(database.db, { organizationId, now: chargeTime("2027-05-05"), stripe: stripe.stripe })).toMatchObject({ charged: 0 });
    const charges = await periodCharges(membershipId);
    expect(charges.map((charge) => [charge.status, charge.paymentId])).toEqual([["canceled", null]]);
    expect((await getMembershipOrThrow(database.db, { organizationId, membershipId })).periods[0]).toMatchObject({ status: "paid" });
  });

  it("lets the patient cancel from their card link at the period's end, never another patient's membership", { timeout: 60_000 }, async () => {
    const { organizationId, patientId, plan } = await clinicWithMember();
    const now = new Date("2027-05-01T15:00:00Z");
    const mine = await enrollMembership(database.db, { organizationId, actor, input: { patientId, membershipPlanId: plan.id, startDate: "2027-05-05" }, now });
    const other = await createTestPatient(database.db, { organizationId, firstName: "Bo", email: "bo@example.test" });
    const theirs = await enrollMembership(database.db, {
      organizationId,
      actor,
      input: { patientId: other.id, membershipPlanId: plan.id, startDate: "2027-05-05", sendCardLink: true },
      now,
    });
    const link = await database.db.$transaction((tx) => issueCardLink(tx, { organizationId, patientId, actor, email: false, now }));
    const token = link.url.split("/card/")[1]!;
    expect((await listPatientLiveMemberships(database.db, { organizationId, patientId })).map((row) => row.id)).toEqual([mine.id]);
    await expect(
      cancelMembershipFromCardLink(database.db, { token, membershipId: theirs.id, ip: "203.0.113.9", userAgent: "test", now }),
    ).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    expect(await database.db.patientMembership.findUniqueOrThrow({ where: { id: theirs.id } })).toMatchObject({ cancelAtPeriodEnd: false });
    const summary = await cancelMembershipFromCardLink(database.db, { token, membershipId: mine.id, ip: "203.0.113.9", userAgent: "test", now });
    expect(summary).toMatchObject({ id: mine.id, status: "active", cancelAtPeriodEnd: true, cancelRequestedBy: "patient_online" });
    const audit = await database.db.auditEvent.findFirstOrThrow({ where: { organizationId, action: "membership.cancel_scheduled" } });
    expect(audit).toMatchObject({ actorLabel: "patient (card link)" });
    expect(await database.db.email.count({ where: { organizationId, kind: "membership_canceled" } })).toBe(1);
  });

  it("manages plans: duplicate names refused on the name field, price changes apply to later periods, live members counted", { timeout: 60_000 }, async () => {
    const { organizationId, patientId, plan } = await clinicWithMember();
    await expect(
      fieldsOf(createMembershipPlan(database.db, { organizationId, actor, input: { name: "Direct care", amount: 5_000, interval: "monthly" } })),
    ).resolves.toEqual({
      name: ["Another membership plan already has this name."],
    });
    await expect(
      fieldsOf(createMembershipPlan(database.db, { organizationId, actor, input: { name: "Tiny", amount: 10, interval: "monthly" } })),
    ).resolves.toEqual({
      amount: ["Enter at least $0.50."],
    });
    const { id: membershipId } = await enrollMembership(database.db, {
      organizationId,
      actor,
      input: { patientId, membershipPlanId: plan.id, startDate: "2027-05-05" },
      now: chargeTime("2027-05-05"),
      stripe: stripe.stripe,
    });
    await updateMembershipPlan(database.db, {
      organizationId,
      actor,
      membershipPlanId: plan.id,
      input: { name: "Direct care", amount: 6_000, interval: "monthly" },
    });
    await runAutopay(database.db, { organizationId, now: chargeTime("2027-06-05"), stripe: stripe.stripe });
    const view = await getMembershipOrThrow(database.db, { organizationId, membershipId });
    expect(view.periods.map((period) => period.amount)).toEqual([6_000, 5_000]);
    expect(await listMembershipPlans(database.db, { organizationId })).toMatchObject([{ name: "Direct care", activeMembers: 1, amount: 6_000 }]);
    expect((await listMemberships(database.db, { organizationId, status: "active" })).data.map((row) => row.id)).toEqual([membershipId]);
    const stranger = await createTestOrganization(database.db);
    await expect(getMembershipOrThrow(database.db, { organizationId: stranger.organizationId, membershipId })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("flags a card that expires before the membership's next charge, naming the membership", { timeout: 60_000 }, async () => {
    const { organizationId, patientId, plan, card } = await clinicWithMember();
    await database.db.savedPaymentMethod.update({ where: { id: card!.id }, data: { expMonth: 4, expYear: 2027 } });
    const { id: membershipId } = await enrollMembership(database.db, {
      organizationId,
      actor,
      input: { patientId, membershipPlanId: plan.id, startDate: "2027-05-05" },
      now: new Date("2027-04-01T15:00:00Z"),
    });
    await runAutopay(database.db, { organizationId, now: new Date("2027-04-02T15:00:00Z"), stripe: stripe.stripe });
    const items = await database.db.attentionItem.findMany({ where: { organizationId, kind: "card_expiring", resolvedAt: null } });
    expect(items.map((item) => [item.membershipId, item.subjectId, item.message])).toEqual([
      [membershipId, card!.id, "The card on file (visa 4242) expires 04/2027, before the membership's next charge on 2027-05-05."],
    ]);
    // Set to end at the period's end: no next charge, the item is resolved.
    await cancelMembership(database.db, { organizationId, membershipId, actor, now: new Date("2027-04-03T15:00:00Z"), input: { when: "period_end" } });
    await runAutopay(database.db, { organizationId, now: new Date("2027-04-03T16:00:00Z"), stripe: stripe.stripe });
    expect(await database.db.attentionItem.count({ where: { organizationId, kind: "card_expiring", resolvedAt: null } })).toBe(0);
  });

  it(
    "cancels now while a period is unpaid and waiting on a retry: its invoice is voided (journal reversed), its retry canceled",
    { timeout: 60_000 },
    async () => {
      const { organizationId, patientId, plan } = await clinicWithMember({ card: "4000000000009995" });
      const { id: membershipId, periods } = await enrollMembership(database.db, {
        organizationId,
        actor,
        input: { patientId, membershipPlanId: plan.id, startDate: "2027-06-01" },
        now: chargeTime("2027-06-01"),
        stripe: stripe.stripe,
      });
      expect(periods[0]!.attempts.map((attempt) => attempt.status)).toEqual(["failed", "scheduled"]);
      expect(await findInvoiceMembershipPeriod(database.db, { organizationId, invoiceId: periods[0]!.invoiceId })).toEqual({
        membershipId,
        planName: "Direct care",
        sequence: 1,
        periodStart: "2027-06-01",
        periodEnd: "2027-07-01",
      });
      const canceled = await cancelMembership(database.db, { organizationId, membershipId, actor, now: chargeTime("2027-06-01"), input: { when: "now" } });
      expect(canceled.status).toBe("canceled");
      expect(canceled.periods.map((period) => [period.status, period.attempts.map((attempt) => attempt.status)])).toEqual([
        ["canceled", ["failed", "canceled"]],
      ]);
      expect(await database.db.invoice.findUniqueOrThrow({ where: { id: periods[0]!.invoiceId } })).toMatchObject({ status: "void", amountDue: 0 });
      expect(await runAutopay(database.db, { organizationId, now: chargeTime("2027-06-02"), stripe: stripe.stripe })).toMatchObject({
        charged: 0,
        invoiced: 0,
      });
      expect(await checkLedger(database.db)).toEqual(BALANCED);
    },
  );

  it("one membership that cannot be invoiced (its patient archived) does not stop the others", { timeout: 60_000 }, async () => {
    const { organizationId, patientId, plan } = await clinicWithMember();
    const other = await createTestPatient(database.db, { organizationId, firstName: "Bo", email: "bo@example.test" });
    await saveCardWithConsent(database.db, stripe.stripe, { organizationId, patientId: other.id, number: GOOD_CARD });
    const now = new Date("2027-05-01T15:00:00Z");
    const archived = await enrollMembership(database.db, {
      organizationId,
      actor,
      input: { patientId, membershipPlanId: plan.id, startDate: "2027-05-05" },
      now,
    });
    const billed = await enrollMembership(database.db, {
      organizationId,
      actor,
      input: { patientId: other.id, membershipPlanId: plan.id, startDate: "2027-05-05" },
      now,
    });
    await database.db.patient.update({ where: { id: patientId }, data: { archivedAt: now } });
    expect(await runAutopay(database.db, { organizationId, now: chargeTime("2027-05-05"), stripe: stripe.stripe })).toMatchObject({
      invoiced: 1,
      succeeded: 1,
    });
    expect(await database.db.membershipPeriod.count({ where: { membershipId: billed.id } })).toBe(1);
    expect(await database.db.membershipPeriod.count({ where: { membershipId: archived.id } })).toBe(0);
  });
});
