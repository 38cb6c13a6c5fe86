import type Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { issueCreditNote } from "@/lib/credit-notes/issue-credit-note";
import { resolveLostDispute } from "@/lib/disputes/resolve-lost-dispute";
import { createInvoice } from "@/lib/invoices/create-invoice";
import { addDays, startOfDayIn, todayIn } from "@/lib/invoices/dates";
import { finalizeInvoice } from "@/lib/invoices/finalize-invoice";
import { markInvoiceUncollectible } from "@/lib/invoices/mark-invoice-uncollectible";
import { voidInvoice } from "@/lib/invoices/void-invoice";
import { getTrialBalance } from "@/lib/ledger/balances";
import { updateOrganization } from "@/lib/organizations/update-organization";
import { applyPatientCredit } from "@/lib/patient-credit/apply-patient-credit";
import { createPaymentAttempt } from "@/lib/payments/create-payment-attempt";
import { declineReason } from "@/lib/payments/decline-reasons";
import { recordManualPayment } from "@/lib/payments/record-manual-payment";
import type { TRecordManualPaymentInput } from "@/lib/payments/manual-payments.types";
import { syncPaymentIntent } from "@/lib/payments/sync-payment-intent";
import { voidManualPayment } from "@/lib/payments/void-manual-payment";
import { requestRefund } from "@/lib/refunds/request-refund";
import { processStripeEvent } from "@/lib/webhooks/process-stripe-event";
import { confirmCard } from "@/tests/card-payments";
import { createTestOpenInvoice, createTestOrganization, createTestPatient, testActor } from "@/tests/factories";
import { postEmulatorControl, startTestStripe, type TestStripe } from "@/tests/stripe";
import { setupTestDatabase } from "@/tests/test-database";
import { periodBuckets } from "./analytics-period";
import { COLLECTION_CHANNELS, REPORT_NAMES, type CollectionChannel, type ServiceRow } from "./analytics.types";
import { getAnalyticsReport } from "./get-analytics-report";
import { JOURNAL_KIND_FIGURES } from "./ledger-figures";
import { refreshLedgerRollups } from "./refresh-ledger-rollups";

const database = setupTestDatabase();
let stripe: TestStripe;
beforeAll(async () => {
  stripe = await startTestStripe({ asyncDelayMs: 0 });
});
afterAll(async () => {
  await stripe.close();
});

const TIMEZONE = "America/Los_Angeles";
/** Stripe's US card price, 2.9% + 30¢, half up (what the emulator's balance transactions say). */
const cardFee = (amount: number) => Math.floor((amount * 290 + 5_000) / 10_000) + 30;
const DISPUTE_FEE = 1_500;
/** The documented rule: line i of an invoice totalling `total` gets floor(A × running_i ÷ total) − floor(A × running_(i−1) ÷ total). */
const shareOfLine = (amount: number, runningBefore: number, lineTotal: number, total: number) =>
  Math.floor((amount * (runningBefore + lineTotal)) / total) - Math.floor((amount * runningBefore) / total);

describe("analytics: a hand-computed month in Los Angeles", () => {
  it("every figure of every report, to the cent, with rollups and without", { timeout: 240_000 }, async () => {
    const org = await createTestOrganization(database.db);
    await updateOrganization(database.db, {
      organizationId: org.organizationId,
      actor: org.adminActor,
      input: { name: "Sunset Clinic", country: "US", timezone: TIMEZONE, currency: "USD" },
    });
    const { organizationId } = org;
    const actor = testActor(org.adminUserId, org.adminEmail);
    const patientA = await createTestPatient(database.db, { organizationId, firstName: "Ada" });
    const patientB = await createTestPatient(database.db, { organizationId, firstName: "Ben" });
    const patientC = await createTestPatient(database.db, { organizationId, firstName: "Cleo" });
    const patientD = await createTestPatient(database.db, { organizationId, firstName: "Dov" });

    // The month: the clinic's current month (card payments, refunds, disputes, credit notes,
    // write-offs, credit applied and voids happen today, which is always in it); events whose
    // domain operation takes a time are placed at chosen local times of the month.
    const today = todayIn(TIMEZONE);
    const monthStart = `${today.slice(0, 8)}01`;
    const monthEnd = addDays(`${addDays(monthStart, 32).slice(0, 8)}01`, -1);
    const nextMonthStart = addDays(monthEnd, 1);
    const day = (n: number) => `${today.slice(0, 8)}${String(n).padStart(2, "0")}`;
    const at = (date: string, hours: number, minutes = 0) => new Date(startOfDayIn(date, TIMEZONE).getTime() + (hours * 60 + minutes) * 60_000);

    const invoice = async (
      patientId: string,
      finalizedAt: Date,
      lines: { description: string; serviceCode?: string; quantity?: number; unitAmount: number }[],
      extra = {},
    ) => {
      const draft = await createInvoice(database.db, {
        organizationId,
        actor,
        input: { patientId, lines: lines.map((line) => ({ quantity: 1, ...line })), ...extra },
      });
      await finalizeInvoice(database.db, { organizationId, invoiceId: draft.id, actor, now: finalizedAt });
      return draft.id;
    };
    const pay = (patientId: string, now: Date, input: Omit<TRecordManualPaymentInput, "patientId">) =>
      recordManualPayment(database.db, { organizationId, actor, now, input: { patientId, ...input } });
    const cardAttempt = async (invoiceId: string, cards: string[]) => {
      const attempt = await createPaymentAttempt(database.db, { organizationId, invoiceId, stripe: stripe.stripe });
      for (const card of cards) {
        await confirmCard(stripe.stripe, attempt.paymentIntent.id, card);
        await syncPaymentIntent(database.db, attempt.paymentIntent.id, stripe.stripe);
      }
      return attempt;
    };

    // Invoices of the month (one with a 10% discount and 10% tax).
    await invoice(
      patientA.id,
      at(day(2), 10),
      [
        { description: "Consultation", serviceCode: "99213", unitAmount: 15_000 },
        { description: "Lab panel", serviceCode: "80053", quantity: 2, unitAmount: 2_500 },
      ],
      { discount: { percent: 10 }, taxRate: 10 },
    );
    const i1Lines = [15_000 - 1_500 + (15_000 - 1_500) / 10, 2 * 2_500 - 500 + (2 * 2_500 - 500) / 10];
    const i1Total = i1Lines[0]! + i1Lines[1]!;
    const i2 = await invoice(patientA.id, at(day(3), 9), [{ description: "Office visit", serviceCode: "99214", unitAmount: 30_000 }]);
    const i3 = await invoice(patientB.id, at(day(5), 11), [
      { description: "Office visit", serviceCode: "99214", unitAmount: 6_667 },
      { description: "Supplies", unitAmount: 3_333 },
    ]);
    const i4 = await invoice(patientB.id, at(day(7), 16), [{ description: "Physiotherapy", serviceCode: "97110", unitAmount: 8_000 }]);
    const i5 = await invoice(patientC.id, at(day(10), 10), [
      { description: "MRI", serviceCode: "70551", unitAmount: 20_000 },
      { description: "Contrast", unitAmount: 5_000 },
    ]);
    const i6 = await invoice(patientC.id, at(day(15), 10), [{ description: "Consultation", serviceCode: "99213", unitAmount: 6_000 }]);
    const i7 = await invoice(patientA.id, at(day(14), 10), [{ description: "Office visit", serviceCode: "99214", unitAmount: 12_000 }]);
    const i8 = await invoice(patientB.id, at(day(4), 10), [{ description: "Physiotherapy", serviceCode: "97110", unitAmount: 5_000 }]);
    const i9 = await invoice(patientA.id, at(day(11), 10), [{ description: "Consultation", serviceCode: "99213", unitAmount: 4_000 }]);
    const i10 = await invoice(patientB.id, at(day(12), 10), [{ description: "Lab panel", serviceCode: "80053", unitAmount: 7_000 }]);
    const i11 = await invoice(patientC.id, at(day(13), 10), [{ description: "MRI", serviceCode: "70551", unitAmount: 9_000 }]);

    // Older invoices (aging buckets; the first one and its partial payment fall in the previous period).
    const old = [
      { ageDays: 40, total: 1_000 },
      { ageDays: 75, total: 2_000 },
      { ageDays: 100, total: 3_000 },
      { ageDays: 150, total: 4_000 },
    ];
    const oldIds: string[] = [];
    for (const entry of old) {
      const created = await createTestOpenInvoice(database.db, {
        organizationId,
        patientId: patientD.id,
        total: entry.total,
        issuedOn: addDays(monthEnd, -entry.ageDays),
      });
      oldIds.push(created.id);
    }
    await pay(patientD.id, at(addDays(monthEnd, -39), 10), { method: "cash", amount: 500, invoiceId: oldIds[0]! });

    // Half of the history is rolled up from here on; the rest is read live.
    await refreshLedgerRollups(database.db, { organizationId });

    // Front-desk payments: partial cash and check on I3, a bank transfer voided the same day.
    await pay(patientB.id, at(day(6), 14), { method: "cash", amount: 4_000, invoiceId: i3 });
    await pay(patientB.id, at(day(8), 10), { method: "check", amount: 3_000, invoiceId: i3, reference: "1042" });
    const transfer = await pay(patientB.id, at(day(9), 12), { method: "bank_transfer", amount: 2_000, invoiceId: i3, reference: "TR-9" });
    await voidManualPayment(database.db, { organizationId, paymentId: transfer.id, actor, input: { reason: "Bounced" }, now: at(day(9), 15) });
    // Card terminal, 2,000 over what I5 owes, kept as patient credit; then applied to I6.
    await pay(patientC.id, at(day(12), 13), { method: "card_terminal", amount: 27_000, invoiceId: i5, keepExcessAsCredit: true });
    await applyPatientCredit(database.db, { organizationId, invoiceId: i6, actor, input: { amount: 2_000 } });
    // Late at night on the last day (this month) and just after midnight on the 1st (next month).
    await pay(patientC.id, at(monthEnd, 23, 30), { method: "cash", amount: 1_500, invoiceId: i6 });
    await pay(patientC.id, at(nextMonthStart, 0, 30), { method: "cash", amount: 1_000, invoiceId: i6 });

    // Card payments (today): I2 in full, then a 5,000 refund (with its credit note); I7 charged
    // back and lost; I9 declined (insufficient funds) then paid; I10 declined; I11 waiting for 3-D Secure.
    const i2Card = await cardAttempt(i2, ["pm_card_visa"]);
    await requestRefund(database.db, { organizationId, paymentId: i2Card.paymentId, actor, input: { amount: 5_000 }, stripe: stripe.stripe });
    const i7Card = await cardAttempt(i7, ["pm_card_visa"]);
    const charge = (await stripe.stripe.paymentIntents.retrieve(i7Card.paymentIntent.id)).latest_charge as string;
    const opened = await postEmulatorControl<Stripe.Dispute>(stripe, "/disputes", { charge, inquiry: false });
    const deliverDisputeEvents = async () => {
      const events = (await stripe.stripe.events.list({ limit: 100 })).data
        .filter((event) => event.type.startsWith("charge.dispute.") && (event.data.object as Stripe.Dispute).id === opened.id)
        .toReversed();
      for (const event of events) await processStripeEvent(database.db, event, stripe.stripe);
    };
    await deliverDisputeEvents();
    await postEmulatorControl(stripe, `/disputes/${opened.id}/close`, { status: "lost" });
    await deliverDisputeEvents();
    const dispute = await database.db.dispute.findUniqueOrThrow({ where: { stripeDisputeId: opened.id } });
    await resolveLostDispute(database.db, { organizationId, disputeId: dispute.id, actor, input: { resolution: "written_off" } });
    await cardAttempt(i9, ["pm_card_chargeDeclinedInsufficientFunds", "pm_card_visa"]);
    await cardAttempt(i10, ["pm_card_chargeDeclined"]);
    await cardAttempt(i11, ["pm_card_authenticationRequired"]);

    // A credit note and then a write-off on I4; I8 voided.
    await issueCreditNote(database.db, { organizationId, invoiceId: i4, actor, input: { amount: 1_000, reason: "Goodwill", disposition: "reduce_balance" } });
    await markInvoiceUncollectible(database.db, { organizationId, invoiceId: i4, actor, input: { reason: "Moved away" } });
    await voidInvoice(database.db, { organizationId, invoiceId: i8, actor, input: { reason: "Billed twice" } });

    // ---- The figures, by hand ----
    const charges = i1Total + 30_000 + 10_000 + 8_000 + 25_000 + 6_000 + 12_000 + 5_000 + 4_000 + 7_000 + 9_000 - 5_000;
    const discounts = 1_500 + 500;
    const creditNotes = 1_000 + 5_000;
    const writeOffs = 8_000 - 1_000;
    const card = 30_000 + 12_000 + 4_000;
    const channels: Record<CollectionChannel, { count: number; amount: number }> = {
      pay_page_card: { count: 3, amount: card },
      pay_page_bank: { count: 0, amount: 0 },
      desk_card: { count: 0, amount: 0 },
      saved_card: { count: 0, amount: 0 },
      autopay: { count: 0, amount: 0 },
      cash: { count: 2, amount: 4_000 + 1_500 },
      check: { count: 1, amount: 3_000 },
      card_terminal: { count: 1, amount: 27_000 },
      bank_transfer: { count: 1 - 1, amount: 2_000 - 2_000 },
    };
    const collections = card + 4_000 + 3_000 + 2_000 - 2_000 + 27_000 + 1_500;
    const refunds = 5_000;
    const fees = cardFee(30_000) + cardFee(12_000) + cardFee(4_000);
    const receivable = i1Total + (10_000 - 4_000 - 3_000) + (6_000 - 2_000 - 1_500 - 1_000) + 7_000 + 9_000 + (1_000 - 500) + 2_000 + 3_000 + 4_000;
    const last90NetCharges = charges - creditNotes + 1_000 + 2_000; // the invoices 40 and 75 days old are within the last 90 days
    const previous = { charges: 1_000, collections: 500 };

    // Series by day: what happened on each clinic day.
    type Point = Record<"charges" | "creditNotes" | "collections" | "refunds" | CollectionChannel, number>;
    const emptyPoint = (): Point => ({
      charges: 0,
      creditNotes: 0,
      collections: 0,
      refunds: 0,
      ...(Object.fromEntries(COLLECTION_CHANNELS.map((c) => [c, 0])) as Record<CollectionChannel, number>),
    });
    const series = new Map<string, Point>();
    const add = (date: string, field: keyof Point, amount: number) => {
      const point = series.get(date) ?? emptyPoint();
      point[field] += amount;
      series.set(date, point);
    };
    [
      [2, i1Total],
      [3, 30_000],
      [5, 10_000],
      [7, 8_000],
      [10, 25_000],
      [15, 6_000],
      [14, 12_000],
      [4, 5_000],
      [11, 4_000],
      [12, 7_000],
      [13, 9_000],
    ].forEach(([n, amount]) => add(day(n!), "charges", amount!));
    add(today, "charges", -5_000);
    add(today, "creditNotes", 6_000);
    for (const [date, channel, amount] of [
      [day(6), "cash", 4_000],
      [day(8), "check", 3_000],
      [day(9), "bank_transfer", 2_000 - 2_000],
      [day(12), "card_terminal", 27_000],
      [monthEnd, "cash", 1_500],
      [today, "pay_page_card", card],
    ] as const) {
      add(date, "collections", amount);
      add(date, channel, amount);
    }
    add(today, "refunds", 5_000);

    const query = { from: monthStart, to: monthEnd, granularity: "day" as const };
    const now = at(monthEnd, 23, 59);
    const expectAll = async () => {
      const report = <R extends (typeof REPORT_NAMES)[number]>(name: R) => getAnalyticsReport(database.db, { organizationId, report: name, query, now });
      const summary = await report("summary");
      expect(summary.period).toMatchObject({ from: monthStart, to: monthEnd, timezone: TIMEZONE, currency: "USD" });
      const buckets = periodBuckets(summary.period, "day");
      const point = (date: string) => series.get(date) ?? emptyPoint();
      expect(summary).toEqual({
        period: summary.period,
        charges: { current: charges, previous: previous.charges },
        discounts: { current: discounts, previous: 0 },
        creditNotes: { current: creditNotes, previous: 0 },
        writeOffs: { current: writeOffs, previous: 0 },
        netCharges: { current: charges - creditNotes, previous: previous.charges },
        collections: { current: collections, previous: previous.collections },
        refunds: { current: refunds, previous: 0 },
        netCollections: { current: collections - refunds, previous: previous.collections },
        creditApplied: { current: 2_000, previous: 0 },
        processingFees: { current: fees, previous: 0 },
        disputeLosses: { current: 12_000, previous: 0 },
        disputeFees: { current: DISPUTE_FEE, previous: 0 },
        grossCollectionRate: { current: collections / charges, previous: previous.collections / previous.charges },
        netCollectionRate: { current: (collections - refunds) / (charges - creditNotes - writeOffs), previous: previous.collections / previous.charges },
        receivables: {
          amount: receivable,
          openInvoices: 5 + 4,
          over90Amount: 3_000 + 4_000,
          over90Percent: (3_000 + 4_000) / receivable,
          daysInAR: receivable / (last90NetCharges / 90),
        },
        series: buckets.map((bucket) => {
          const p = point(bucket.from);
          return {
            start: bucket.from,
            end: bucket.to,
            charges: p.charges,
            netCharges: p.charges - p.creditNotes,
            collections: p.collections,
            refunds: p.refunds,
            netCollections: p.collections - p.refunds,
          };
        }),
      });
      // The month's last day at 23:30 is in the month; 00:30 on the 1st is not.
      expect(summary.series.at(-1)).toMatchObject({ start: monthEnd, collections: 1_500 });

      const aging = await report("aging");
      expect(aging).toEqual({
        asOf: monthEnd,
        currency: "USD",
        buckets: [
          { key: "0-30", count: 5, amount: i1Total + 3_000 + 1_500 + 7_000 + 9_000 },
          { key: "31-60", count: 1, amount: 500 },
          { key: "61-90", count: 1, amount: 2_000 },
          { key: "91-120", count: 1, amount: 3_000 },
          { key: "120+", count: 1, amount: 4_000 },
        ],
        total: { count: 9, amount: receivable },
        over90Amount: 7_000,
        over90Percent: 7_000 / receivable,
      });

      const collectionsReport = await report("collections");
      expect(collectionsReport).toEqual({
        period: summary.period,
        collections: { current: collections, previous: previous.collections },
        refunds: { current: refunds, previous: 0 },
        netCollections: { current: collections - refunds, previous: previous.collections },
        creditApplied: { current: 2_000, previous: 0 },
        processingFees: { current: fees, previous: 0 },
        byChannel: COLLECTION_CHANNELS.map((channel) => ({ channel, ...channels[channel] })),
        series: buckets.map((bucket) => {
          const p = point(bucket.from);
          return {
            start: bucket.from,
            end: bucket.to,
            collections: p.collections,
            refunds: p.refunds,
            netCollections: p.collections - p.refunds,
            ...Object.fromEntries(COLLECTION_CHANNELS.map((channel) => [channel, p[channel]])),
          };
        }),
      });

      const payments = await report("payments");
      expect(payments).toEqual({
        period: summary.period,
        attempted: { current: 5, previous: 0 },
        succeeded: { current: 3, previous: 0 },
        succeededFirstAttempt: { current: 2, previous: 0 },
        successRate: { current: 3 / 5, previous: null },
        firstAttemptSuccessRate: { current: 2 / 5, previous: null },
        threeDSecureShare: 1 / 5,
        declineReasons: [
          { code: "generic_decline", label: declineReason("generic_decline"), count: 1 },
          { code: "insufficient_funds", label: declineReason("insufficient_funds"), count: 1 },
        ],
        series: buckets.map((bucket) => ({
          start: bucket.from,
          end: bucket.to,
          ...(bucket.from === today ? { attempted: 5, succeeded: 3, failed: 1 } : { attempted: 0, succeeded: 0, failed: 0 }),
        })),
      });

      expect(await report("refunds")).toEqual({
        period: summary.period,
        count: { current: 1, previous: 0 },
        amount: { current: 5_000, previous: 0 },
        failed: { count: 0, amount: 0 },
        series: buckets.map((bucket) => ({
          start: bucket.from,
          end: bucket.to,
          count: bucket.from === today ? 1 : 0,
          amount: bucket.from === today ? 5_000 : 0,
        })),
      });

      expect(await report("disputes")).toEqual({
        period: summary.period,
        opened: { count: { current: 1, previous: 0 }, amount: { current: 12_000, previous: 0 } },
        won: { count: 0, amount: 0 },
        lost: { count: 1, amount: 12_000 },
        winRate: 0 / (0 + 1),
        losses: { current: 12_000, previous: 0 },
        fees: { current: DISPUTE_FEE, previous: 0 },
        open: [],
      });

      // Services: I3's payments shared across its two lines (6,667 and 3,333 of 10,000).
      const i3Office = shareOfLine(4_000, 0, 6_667, 10_000) + shareOfLine(3_000, 0, 6_667, 10_000);
      const i3Supplies = shareOfLine(4_000, 6_667, 3_333, 10_000) + shareOfLine(3_000, 6_667, 3_333, 10_000);
      const row = (serviceCode: string | null, description: string, netCharges: number, collected: number, lines: number): ServiceRow => ({
        serviceCode,
        description,
        netCharges,
        collections: collected,
        lines,
      });
      const rows = [
        row("99214", "Office visit", 30_000 - 5_000 + 6_667 + 12_000, 30_000 + 12_000 + i3Office, 3),
        row("70551", "MRI", 20_000 + 9_000, 20_000, 2),
        row("99213", "Consultation", i1Lines[0]! + 6_000 + 4_000, 4_000 + 1_500, 3),
        row("80053", "Lab panel", i1Lines[1]! + 7_000, 0, 2),
        row("97110", "Physiotherapy", 8_000 - 1_000 + 5_000 - 5_000, 0, 1 + 1 - 1),
        row(null, "Contrast", 5_000, 5_000, 1),
        row(null, "Supplies", 3_333, i3Supplies, 1),
      ];
      const services = await report("services");
      expect(services).toEqual({
        period: summary.period,
        byNetCharges: [...rows].sort((a, b) => b.netCharges - a.netCharges),
        byCollections: rows.filter((r) => r.collections !== 0).sort((a, b) => b.collections - a.collections),
      });
      expect(rows.reduce((sum, r) => sum + r.netCharges, 0)).toBe(charges - creditNotes);
    };

    await expectAll(); // rollups up to the middle of the month's history, the rest live
    await refreshLedgerRollups(database.db, { organizationId });
    await expectAll(); // everything rolled up

    // A/R: the report's figure = the AR account's balance = Σ open invoices' amount due.
    const balance = (await getTrialBalance(database.db, organizationId)).find((entry) => entry.code === "1100")!.balance;
    const open = await database.db.invoice.aggregate({ where: { organizationId, status: { in: ["open", "partially_paid"] } }, _sum: { amountDue: true } });
    expect(balance).toBe(receivable);
    expect(open._sum.amountDue).toBe(receivable);

    // Every kind this month posted is one the figures classify.
    const kinds = await database.db.journalEntry.groupBy({ by: ["kind"], where: { organizationId } });
    for (const { kind } of kinds) expect(Object.keys(JOURNAL_KIND_FIGURES)).toContain(kind);
  });
});
