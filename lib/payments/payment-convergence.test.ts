/**
 * Issue 13, items 1 and 2, as properties: whatever the order in which Stripe delivers a payment's
 * events (refunds and disputes before the payment, duplicates), the books end the same; and
 * whatever a patient's tabs, the staff and Stripe do to an invoice, in any interleaving, Carebill
 * never keeps more than was owed and its books equal Stripe's.
 */
import fc from "fast-check";
import type Stripe from "stripe";
import { describe, expect, it } from "vitest";
import { isAppError } from "@/lib/errors";
import { voidInvoice } from "@/lib/invoices/void-invoice";
import { getTrialBalance } from "@/lib/ledger/balances";
import { createPaymentLink } from "@/lib/payment-links/create-payment-link";
import { revokePaymentLinks } from "@/lib/payment-links/revoke-payment-links";
import { requestRefund } from "@/lib/refunds/request-refund";
import { processStripeEvent } from "@/lib/webhooks/process-stripe-event";
import { createOpenInvoice } from "@/tests/card-payments";
import { testActor } from "@/tests/factories";
import { postEmulatorControl, startTestStripe, type TestStripe } from "@/tests/stripe";
import { setupTestDatabase } from "@/tests/test-database";
import { createPaymentAttempt } from "./create-payment-attempt";
import { recordManualPayment } from "./record-manual-payment";
import { reconcilePaymentAttempts } from "./reconcile-payment-attempts";

const database = setupTestDatabase();
const actor = testActor();

/** A fresh emulator per run, so its event list is that run's alone. */
async function withStripe<T>(run: (stripe: TestStripe) => Promise<T>): Promise<T> {
  // Refunds and disputes settle at the emulator's next request rather than a second later.
  const stripe = await startTestStripe({ asyncDelayMs: 0 });
  try {
    return await run(stripe);
  } finally {
    await stripe.close();
  }
}

const control = (stripe: TestStripe, path: string, body: unknown) => postEmulatorControl<Stripe.Dispute>(stripe, path, body);

/** Every event Stripe created so far, oldest first. */
async function allEvents(stripe: TestStripe): Promise<Stripe.Event[]> {
  return (await stripe.stripe.events.list({ limit: 100 }).autoPagingToArray({ limit: 10_000 })).toReversed();
}

/** The books of one invoice, without ids: what any delivery order must end in. */
async function booksOf(organizationId: string, invoiceId: string) {
  const db = database.db;
  const payments = await db.payment.findMany({
    where: { invoiceId },
    select: { status: true, amountReceived: true, appliedAmount: true, creditAmount: true, amountRefunded: true, disputed: true },
    orderBy: { createdAt: "asc" },
  });
  const refunds = (await db.refund.findMany({ where: { invoiceId }, select: { amount: true, status: true, fromCredit: true } })).toSorted(
    (a, b) => a.amount - b.amount,
  );
  const disputes = await db.dispute.findMany({ where: { invoiceId }, select: { status: true, amount: true } });
  const invoice = await db.invoice.findUniqueOrThrow({
    where: { id: invoiceId },
    select: { status: true, amountPaid: true, amountDue: true, amountCredited: true, disputed: true },
  });
  const balances = Object.fromEntries((await getTrialBalance(db, organizationId)).filter((row) => row.balance !== 0).map((row) => [row.code, row.balance]));
  return { payments, refunds, disputes, invoice, balances };
}

describe("events converge in any order", () => {
  it("a payment, two refunds made at Stripe and a lost dispute: every delivery order (refunds and dispute first, duplicates) gives the same books", async () => {
    /** One payment's life at Stripe; returns its events, not yet delivered. */
    async function scenario(stripe: TestStripe) {
      const invoice = await createOpenInvoice(database.db, { unitAmount: 10_000 });
      const attempt = await createPaymentAttempt(database.db, { organizationId: invoice.organizationId, invoiceId: invoice.invoiceId, stripe: stripe.stripe });
      const confirmed = await stripe.stripe.paymentIntents.confirm(attempt.paymentIntent.id, { payment_method: "pm_card_visa", expand: ["latest_charge"] });
      // Made in the Stripe dashboard while our webhook endpoint was down.
      await stripe.stripe.refunds.create({ payment_intent: attempt.paymentIntent.id, amount: 2_000 });
      await stripe.stripe.refunds.create({ payment_intent: attempt.paymentIntent.id, amount: 1_000 });
      const dispute = await control(stripe, "/disputes", { charge: (confirmed.latest_charge as Stripe.Charge).id });
      await control(stripe, `/disputes/${dispute.id}/close`, { status: "lost" });
      await stripe.stripe.paymentIntents.retrieve(attempt.paymentIntent.id); // lets the emulator settle its refunds
      return { invoice, events: await allEvents(stripe) };
    }

    const deliver = async (stripe: TestStripe, events: Stripe.Event[]) => {
      for (const event of events) {
        const outcome = await processStripeEvent(database.db, event, stripe.stripe);
        expect(outcome).not.toBe("not_ours");
      }
    };

    // The reference: Stripe's own order.
    const expected = await withStripe(async (stripe) => {
      const { invoice, events } = await scenario(stripe);
      await deliver(stripe, events);
      return booksOf(invoice.organizationId, invoice.invoiceId);
    });
    expect(expected.payments[0]).toMatchObject({ status: "succeeded", amountReceived: 10_000, amountRefunded: 3_000 });
    expect(expected.refunds.map((refund) => refund.amount)).toEqual([1_000, 2_000]);
    expect(expected.disputes).toHaveLength(1);

    // The exact failure reported: every refund event before the payment's, then the payment.
    await withStripe(async (stripe) => {
      const { invoice, events } = await scenario(stripe);
      const refundsFirst = [
        ...events.filter((event) => !event.type.startsWith("payment_intent.")),
        ...events.filter((event) => event.type.startsWith("payment_intent.")),
      ];
      await deliver(stripe, refundsFirst);
      expect(await booksOf(invoice.organizationId, invoice.invoiceId)).toEqual(expected);
    });

    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.integer({ min: 0, max: 3 }), async (seed, duplicates) => {
        await withStripe(async (stripe) => {
          const { invoice, events } = await scenario(stripe);
          const order = shuffled([...events, ...events.slice(0, duplicates)], seed);
          await deliver(stripe, order);
          expect(await booksOf(invoice.organizationId, invoice.invoiceId)).toEqual(expected);
        });
      }),
      { numRuns: 6 },
    );
    // Eight scenarios against the emulator: a budget that fits a busy machine.
  }, 300_000);
});

/** A deterministic shuffle (Fisher-Yates with a small LCG), so a failing seed replays. */
function shuffled<T>(items: T[], seed: number): T[] {
  const result = [...items];
  let state = seed || 1;
  for (let index = result.length - 1; index > 0; index--) {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    const other = state % (index + 1);
    [result[index], result[other]] = [result[other]!, result[index]!];
  }
  return result;
}

type Action =
  | { kind: "start"; amount: number | null }
  | { kind: "confirm"; tab: number; card: "pm_card_visa" | "pm_card_chargeDeclined" }
  | { kind: "void" }
  | { kind: "revoke" }
  | { kind: "cash"; amount: number }
  | { kind: "refund"; amount: number }
  | { kind: "dashboardRefund"; amount: number }
  | { kind: "janitor" };

const actionArbitrary: fc.Arbitrary<Action> = fc.oneof(
  fc.record({ kind: fc.constant("start" as const), amount: fc.option(fc.integer({ min: 50, max: 10_000 }), { nil: null }) }),
  fc.record({
    kind: fc.constant("confirm" as const),
    tab: fc.integer({ min: 0, max: 3 }),
    card: fc.constantFrom("pm_card_visa" as const, "pm_card_visa" as const, "pm_card_chargeDeclined" as const),
  }),
  fc.constant({ kind: "void" as const }),
  fc.constant({ kind: "revoke" as const }),
  fc.record({ kind: fc.constant("cash" as const), amount: fc.integer({ min: 100, max: 10_000 }) }),
  fc.record({ kind: fc.constant("refund" as const), amount: fc.integer({ min: 100, max: 5_000 }) }),
  fc.record({ kind: fc.constant("dashboardRefund" as const), amount: fc.integer({ min: 100, max: 5_000 }) }),
  fc.constant({ kind: "janitor" as const }),
);

describe("no interleaving keeps more than was owed", () => {
  it("tabs, confirms, voids, revokes, cash, refunds and shuffled webhooks: after each step, collected − refunded ≤ owed, and the books equal Stripe", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(actionArbitrary, { minLength: 3, maxLength: 9 }), fc.integer({ min: 0, max: 2 ** 31 - 1 }), async (actions, seed) => {
        await withStripe(async (stripe) => {
          const invoice = await createOpenInvoice(database.db, { unitAmount: 10_000 });
          const { organizationId, invoiceId } = invoice;
          let link = await createPaymentLink(database.db, { organizationId, invoiceId, actor });
          const tabs: string[] = [];
          const delivered = new Set<string>();
          let round = seed;
          // What the clinic's own people and the patient may be refused is an answer, not a failure.
          const expectRefusal = (error: unknown) => {
            if (isAppError(error) && ["CONFLICT", "VALIDATION_FAILED", "NOT_FOUND"].includes(error.code)) return;
            if ((error as { type?: string }).type === "StripeInvalidRequestError" || (error as { type?: string }).type === "StripeCardError") return;
            throw error;
          };

          for (const action of actions) {
            switch (action.kind) {
              case "start": {
                const started = await createPaymentAttempt(database.db, {
                  organizationId,
                  invoiceId,
                  amount: action.amount ?? undefined,
                  paymentLinkId: link.id,
                  stripe: stripe.stripe,
                }).catch(expectRefusal);
                if (started) tabs.push(started.paymentIntent.id);
                break;
              }
              case "confirm": {
                const paymentIntentId = tabs[action.tab % Math.max(tabs.length, 1)];
                if (paymentIntentId) await stripe.stripe.paymentIntents.confirm(paymentIntentId, { payment_method: action.card }).catch(expectRefusal);
                break;
              }
              case "void":
                await voidInvoice(database.db, { organizationId, invoiceId, actor, input: { reason: "Billed in error" }, stripe: stripe.stripe }).catch(
                  expectRefusal,
                );
                break;
              case "revoke":
                await revokePaymentLinks(database.db, { organizationId, invoiceId, actor, stripe: stripe.stripe });
                link = await createPaymentLink(database.db, { organizationId, invoiceId, actor }).catch((error: unknown) => (expectRefusal(error), link));
                break;
              case "cash":
                await recordManualPayment(database.db, {
                  organizationId,
                  actor,
                  input: { patientId: invoice.patient.id, method: "cash", amount: action.amount, invoiceId },
                  stripe: stripe.stripe,
                }).catch(expectRefusal);
                break;
              case "refund": {
                const paid = await database.db.payment.findFirst({ where: { invoiceId, status: "succeeded", source: "pay_page" } });
                if (paid)
                  await requestRefund(database.db, {
                    organizationId,
                    paymentId: paid.id,
                    actor,
                    input: { amount: action.amount },
                    stripe: stripe.stripe,
                  }).catch(expectRefusal);
                break;
              }
              case "dashboardRefund": {
                const paymentIntentId = tabs.at(-1);
                if (paymentIntentId) await stripe.stripe.refunds.create({ payment_intent: paymentIntentId, amount: action.amount }).catch(expectRefusal);
                break;
              }
              case "janitor":
                await reconcilePaymentAttempts(database.db, { stripe: stripe.stripe, now: new Date(Date.now() + 3 * 60_000) });
                break;
            }
            // Stripe delivers what happened, in any order, some twice.
            const pending = (await allEvents(stripe)).filter((event) => !delivered.has(event.id));
            round = (round * 48_271) % 2_147_483_647 || 1;
            for (const event of shuffled([...pending, ...pending.slice(0, round % 3)], round)) {
              await processStripeEvent(database.db, event, stripe.stripe);
              delivered.add(event.id);
            }
            await assertSafe(stripe, organizationId, invoiceId);
          }
        });
      }),
      { numRuns: 8 },
    );
  }, 300_000);
});

/** Collected − refunded at Stripe never exceeds what was owed (nothing is kept as credit here), and every Stripe amount is in our books. */
async function assertSafe(stripe: TestStripe, organizationId: string, invoiceId: string): Promise<void> {
  const invoice = await database.db.invoice.findUniqueOrThrow({ where: { id: invoiceId } });
  const payments = await database.db.payment.findMany({ where: { invoiceId } });
  const manual = payments
    .filter((payment) => payment.source === "manual" && payment.status === "succeeded")
    .reduce((sum, payment) => sum + payment.amountReceived, 0);
  let collected = 0;
  let refunded = 0;
  let fees = 0;
  for (const payment of payments.filter((one) => one.stripePaymentIntentId)) {
    const paymentIntent = await stripe.stripe.paymentIntents.retrieve(payment.stripePaymentIntentId!, { expand: ["latest_charge.balance_transaction"] });
    const refunds = (await stripe.stripe.refunds.list({ payment_intent: paymentIntent.id, limit: 100 })).data.filter(
      (refund) => refund.status === "pending" || refund.status === "succeeded",
    );
    const refundedHere = refunds.reduce((sum, refund) => sum + refund.amount, 0);
    collected += paymentIntent.amount_received;
    refunded += refundedHere;
    const charge = paymentIntent.latest_charge as Stripe.Charge | null;
    if (paymentIntent.status === "succeeded") fees += (charge?.balance_transaction as Stripe.BalanceTransaction | null)?.fee ?? 0;
    // The books equal Stripe, payment by payment.
    expect({ id: payment.id, received: payment.amountReceived, refunded: payment.amountRefunded }).toEqual({
      id: payment.id,
      received: paymentIntent.amount_received,
      refunded: refundedHere,
    });
    expect(await database.db.refund.count({ where: { paymentId: payment.id, status: { in: ["pending", "succeeded"] } } })).toBe(refunds.length);
  }
  // Refunds only lower what was kept; nothing here is kept as credit, so the net must fit the invoice.
  expect(collected - refunded + manual).toBeLessThanOrEqual(invoice.status === "void" ? 0 : invoice.total);
  const clearing = (await getTrialBalance(database.db, organizationId)).find((row) => row.code === "1010")?.balance ?? 0;
  expect(clearing).toBe(collected - refunded - fees);
}
