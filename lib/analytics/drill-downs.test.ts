import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays, startOfDayIn, todayIn } from "@/lib/invoices/dates";
import { updateOrganization } from "@/lib/organizations/update-organization";
import { createPaymentAttempt } from "@/lib/payments/create-payment-attempt";
import { listPayments } from "@/lib/payments/list-payments";
import { recordManualPayment } from "@/lib/payments/record-manual-payment";
import { syncPaymentIntent } from "@/lib/payments/sync-payment-intent";
import { voidManualPayment } from "@/lib/payments/void-manual-payment";
import { requestRefund } from "@/lib/refunds/request-refund";
import { readPaymentListParams } from "@/lib/search/list-params";
import { processStripeEvent } from "@/lib/webhooks/process-stripe-event";
import { confirmCard } from "@/tests/card-payments";
import { createTestOpenInvoice, createTestOrganization, createTestPatient, testActor } from "@/tests/factories";
import { startTestStripe, type TestStripe } from "@/tests/stripe";
import { setupTestDatabase } from "@/tests/test-database";
import { collectionsDrillDownHref, refundsDrillDownHref } from "./drill-downs";
import { getAnalyticsReport } from "./get-analytics-report";

const database = setupTestDatabase();
let stripe: TestStripe;
beforeAll(async () => {
  stripe = await startTestStripe({ asyncDelayMs: 0 });
});
afterAll(async () => {
  await stripe.close();
});

const TIMEZONE = "America/Los_Angeles";

describe("analytics drill-downs: the payments list behind collections and refunds", () => {
  it("lists exactly the payments whose money the month's figure counts, dated like the journals", { timeout: 120_000 }, async () => {
    const org = await createTestOrganization(database.db);
    const { organizationId } = org;
    await updateOrganization(database.db, {
      organizationId,
      actor: org.adminActor,
      input: { name: "Drill Clinic", country: "US", timezone: TIMEZONE, currency: "USD" },
    });
    const actor = testActor(org.adminUserId, org.adminEmail);
    const patient = await createTestPatient(database.db, { organizationId, firstName: "Ada" });
    const invoice = (total: number) => createTestOpenInvoice(database.db, { organizationId, patientId: patient.id, total });

    // Card payments succeed now (the emulator's clock cannot go back), so "this month" is the
    // clinic's current month and "last month" the one before it.
    const today = todayIn(TIMEZONE);
    const thisMonth = { from: `${today.slice(0, 8)}01`, to: addDays(`${addDays(`${today.slice(0, 8)}01`, 32).slice(0, 8)}01`, -1) };
    const lastMonthEnd = addDays(thisMonth.from, -1);
    const lastMonth = { from: `${lastMonthEnd.slice(0, 8)}01`, to: lastMonthEnd };
    const at = (date: string, hours: number) => new Date(startOfDayIn(date, TIMEZONE).getTime() + hours * 3_600_000);

    const card = async (total: number, createdAt?: Date, paymentMethod = "pm_card_visa") => {
      const { id: invoiceId } = await invoice(total);
      const attempt = await createPaymentAttempt(database.db, { organizationId, invoiceId, stripe: stripe.stripe });
      // Started on an earlier day than it succeeded (a patient who left the pay page open overnight).
      if (createdAt) await database.db.payment.update({ where: { id: attempt.paymentId }, data: { createdAt } });
      await confirmCard(stripe.stripe, attempt.paymentIntent.id, paymentMethod);
      await syncPaymentIntent(database.db, attempt.paymentIntent.id, stripe.stripe);
      return { id: attempt.paymentId, paymentIntentId: attempt.paymentIntent.id };
    };
    const cash = async (total: number, now: Date) => {
      const { id: invoiceId } = await invoice(total);
      return (
        await recordManualPayment(database.db, { organizationId, actor, now, input: { patientId: patient.id, method: "cash", amount: total, invoiceId } })
      ).id;
    };

    // Created on the last day of last month at 10 pm, succeeded now: this month's money, not last month's.
    const overnight = (await card(12_000, at(lastMonthEnd, 22))).id;
    const cardToday = (await card(8_000)).id;
    // Its refund fails at the card network today: requested and failed this month, nothing returned.
    const refundFails = await card(6_000, undefined, "pm_card_refundFail");
    const cashLastMonth = await cash(3_000, at(lastMonthEnd, 12));
    const cashThisMonth = await cash(2_500, at(thisMonth.from, 9));
    // Recorded and voided last month: nets to nothing there.
    const voidedLastMonth = await cash(1_000, at(lastMonth.from, 9));
    await voidManualPayment(database.db, {
      organizationId,
      paymentId: voidedLastMonth,
      actor,
      input: { reason: "Entered twice" },
      now: at(lastMonth.from, 11),
    });
    // Refunds requested now, one of a payment created last month.
    await requestRefund(database.db, { organizationId, paymentId: overnight, actor, input: { amount: 2_000 }, stripe: stripe.stripe });
    await requestRefund(database.db, { organizationId, paymentId: cardToday, actor, input: { amount: 3_000 }, stripe: stripe.stripe });
    await requestRefund(database.db, { organizationId, paymentId: refundFails.id, actor, input: { amount: 1_500 }, stripe: stripe.stripe });
    await expect
      .poll(async () => (await stripe.stripe.refunds.list({ payment_intent: refundFails.paymentIntentId })).data[0]?.status, { timeout: 30_000 })
      .toBe("failed");
    const refundEvents = await stripe.stripe.events.list({ limit: 100, types: ["refund.created", "refund.updated", "refund.failed"] });
    for (const event of refundEvents.data.toReversed()) await processStripeEvent(database.db, event, stripe.stripe);
    expect(await database.db.refund.findFirstOrThrow({ where: { paymentId: refundFails.id } })).toMatchObject({ status: "failed" });

    const rowsOf = async (href: string) => {
      const url = new URL(href, "http://localhost");
      expect(url.pathname).toBe("/app/payments");
      const { input } = readPaymentListParams(url.searchParams);
      return (await listPayments(database.db, { organizationId, input: { ...input, limit: 100 } })).data;
    };
    const summary = (range: { from: string; to: string }) => getAnalyticsReport(database.db, { organizationId, report: "summary", query: range });
    const ids = (rows: { id: string }[]) => rows.map((row) => row.id).sort();

    const [thisSummary, lastSummary] = await Promise.all([summary(thisMonth), summary(lastMonth)]);
    expect(thisSummary.collections.current).toBe(12_000 + 8_000 + 6_000 + 2_500);
    expect(lastSummary.collections.current).toBe(3_000);

    const paidThisMonth = await rowsOf(collectionsDrillDownHref(thisSummary.period));
    expect(ids(paidThisMonth)).toEqual([overnight, cardToday, refundFails.id, cashThisMonth].sort());
    expect(paidThisMonth.reduce((sum, row) => sum + row.amountReceived, 0)).toBe(thisSummary.collections.current);
    const paidLastMonth = await rowsOf(collectionsDrillDownHref(lastSummary.period));
    expect(ids(paidLastMonth)).toEqual([cashLastMonth]);
    expect(paidLastMonth.reduce((sum, row) => sum + row.amountReceived, 0)).toBe(lastSummary.collections.current);
    // What the old drill-down (created in the month) showed: the overnight payment in the wrong
    // month, and not the cash received last month (its row was created now, when it was recorded).
    const createdLastMonth = await rowsOf(`/app/payments?status=succeeded&from=${lastMonth.from}&to=${lastMonth.to}`);
    expect(ids(createdLastMonth)).toEqual([overnight]);

    expect(thisSummary.refunds.current).toBe(5_000);
    expect(lastSummary.refunds.current).toBe(0);
    const refundedThisMonth = await rowsOf(refundsDrillDownHref(thisSummary.period));
    expect(ids(refundedThisMonth)).toEqual([overnight, cardToday].sort());
    expect(refundedThisMonth.reduce((sum, row) => sum + row.row.amountRefunded, 0)).toBe(thisSummary.refunds.current);
    expect(await rowsOf(refundsDrillDownHref(lastSummary.period))).toEqual([]);
    // The old drill-down (refunded, created in the month) missed the refund of the overnight payment.
    expect(ids(await rowsOf(`/app/payments?status=refunded&from=${thisMonth.from}&to=${thisMonth.to}`))).not.toContain(overnight);
  });
});
