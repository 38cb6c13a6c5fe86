import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getInvoiceRefundTotals } from "@/lib/invoices/get-invoice-refund-totals";
import { extractPdfText } from "@/lib/pdf/extract-pdf-text";
import { renderInvoicePdf } from "@/lib/pdf/render-invoice-pdf";
import { requestRefund } from "@/lib/refunds/request-refund";
import { confirmCard, createOpenInvoice, createPaidInvoice } from "@/tests/card-payments";
import { testActor } from "@/tests/factories";
import { startTestStripe, type TestStripe } from "@/tests/stripe";
import { setupTestDatabase } from "@/tests/test-database";
import { createPaymentAttempt } from "./create-payment-attempt";
import { getPayPage } from "./get-pay-page";
import { getPaymentDetail } from "./get-payment-detail";
import { getReceipt } from "./get-receipt";
import { listPayments } from "./list-payments";
import { recordManualPayment } from "./record-manual-payment";
import { syncPaymentIntent } from "./sync-payment-intent";
import { handlePaymentIntentEvent } from "@/lib/webhooks/handlers/payment-intent-event";

const database = setupTestDatabase();
const actor = testActor();
let stripe: TestStripe;

beforeAll(async () => {
  // Asynchronous refunds (card 7726) stay pending for this file's whole run.
  stripe = await startTestStripe({ asyncDelayMs: 600_000 });
});
afterAll(async () => {
  await stripe.close();
});

const refund = (organizationId: string, paymentId: string, amount: number, mode: "credit_note" | "reopen_balance" = "credit_note") =>
  requestRefund(database.db, { organizationId, paymentId, actor, input: { amount, reason: "requested_by_customer", mode }, stripe: stripe.stripe });

describe("refunds where money is shown", () => {
  it("a $40 refund of a $150 card payment: the payment list and page, the invoice totals, the pay page and the PDF all show it", async () => {
    const { organizationId, invoiceId, paymentId } = await createPaidInvoice(database.db, stripe.stripe, { unitAmount: 15_000 });
    const token = await linkFor(organizationId, invoiceId);
    await refund(organizationId, paymentId, 4_000);

    const listed = await listPayments(database.db, { organizationId });
    expect(listed.data.find((payment) => payment.id === paymentId)?.display).toMatchObject({ label: "Partially refunded · $40.00", refunded: 4_000 });
    // The "Refunded" filter finds it; a payment with no refund is not in it.
    const other = await createPaidInvoice(database.db, stripe.stripe, { organizationId, unitAmount: 5_000 });
    expect((await listPayments(database.db, { organizationId, input: { status: "refunded" } })).data.map((payment) => payment.id)).toEqual([paymentId]);
    expect((await listPayments(database.db, { organizationId, input: { status: "succeeded" } })).data.map((payment) => payment.id).sort()).toEqual(
      [paymentId, other.paymentId].sort(),
    );

    const detail = await getPaymentDetail(database.db, { organizationId, paymentId });
    expect(detail.display.label).toBe("Partially refunded · $40.00");

    expect(await getInvoiceRefundTotals(database.db, invoiceId)).toEqual({ refunded: 4_000, refundPending: 0, reopened: 0 });
    const payPage = await getPayPage(database.db, token);
    expect(payPage).toMatchObject({ kind: "paid", refunds: { refunded: 4_000 } });

    // The paid invoice's PDF: no pay block even when a link is passed; payments and refunds listed; refunded amounts in the totals.
    const text = extractPdfText(await renderInvoicePdf(database.db, { organizationId, invoiceId, payLink: { url: "http://localhost:3000/pay/AbCdEfGhIj12" } }));
    expect(text).not.toContain("Pay online");
    expect(text).toMatch(/Paid\s+\$150\.00/);
    expect(text).toMatch(/Refunded\s+−\$40\.00/);
    expect(text).toMatch(/Net paid\s+\$110\.00/);
    expect(text).toMatch(/Balance due\s+\$0\.00/);
    expect(text).toContain("PAYMENTS AND REFUNDS");
    expect(text).toMatch(/Payment, Visa •••• 4242 · receipt RCT-00001\s+\$150\.00/);
    expect(text).toMatch(/Refund to Visa •••• 4242\s+−\$40\.00/);

    // The full refund reads "Refunded".
    await refund(organizationId, paymentId, 11_000);
    expect((await getPaymentDetail(database.db, { organizationId, paymentId })).display).toMatchObject({ key: "refunded", label: "Refunded" });
  });

  it("a refund that reopens the balance: Paid stays what was collected, the balance is due again, and the pay block returns", async () => {
    const { organizationId, invoiceId, paymentId } = await createPaidInvoice(database.db, stripe.stripe, { unitAmount: 15_000 });
    await refund(organizationId, paymentId, 4_000, "reopen_balance");
    expect(await getInvoiceRefundTotals(database.db, invoiceId)).toEqual({ refunded: 4_000, refundPending: 0, reopened: 4_000 });
    const text = extractPdfText(await renderInvoicePdf(database.db, { organizationId, invoiceId, payLink: { url: "http://localhost:3000/pay/AbCdEfGhIj12" } }));
    expect(text).toMatch(/Paid\s+\$150\.00/);
    expect(text).toMatch(/Refunded\s+−\$40\.00/);
    expect(text).toMatch(/Net paid\s+\$110\.00/);
    expect(text).toMatch(/Balance due\s+\$40\.00/);
    expect(text).toContain("Pay online");
  });

  it("a pending refund shows as pending and is not counted as refunded", async () => {
    const { organizationId, invoiceId, paymentId } = await createPaidInvoice(database.db, stripe.stripe, { unitAmount: 15_000, card: "pm_card_pendingRefund" });
    await refund(organizationId, paymentId, 2_500);
    expect(await getInvoiceRefundTotals(database.db, invoiceId)).toEqual({ refunded: 0, refundPending: 2_500, reopened: 0 });
    expect((await getPaymentDetail(database.db, { organizationId, paymentId })).display).toMatchObject({
      key: "refund_pending",
      label: "Refund pending · $25.00",
    });
    expect((await listPayments(database.db, { organizationId, input: { status: "refunded" } })).data).toEqual([]);
    const text = extractPdfText(await renderInvoicePdf(database.db, { organizationId, invoiceId }));
    expect(text).toMatch(/Refund pending\s+−\$25\.00/);
    expect(text).toMatch(/Refund to Visa •••• 7726 \(pending\)\s+−\$25\.00/);
  });
});

describe("the timeline after a decline, a success and a refund", () => {
  it("the decline keeps its own time and stays before the success after the refund changes the payment row", async () => {
    const open = await createOpenInvoice(database.db, { unitAmount: 15_000 });
    const attempt = await createPaymentAttempt(database.db, { organizationId: open.organizationId, invoiceId: open.invoiceId, stripe: stripe.stripe });
    await confirmCard(stripe.stripe, attempt.paymentIntent.id, "pm_card_chargeDeclinedInsufficientFunds");
    await syncPaymentIntent(database.db, attempt.paymentIntent.id, stripe.stripe);
    const declined = await database.db.payment.findUniqueOrThrow({ where: { id: attempt.paymentId } });
    expect(declined).toMatchObject({ status: "failed", failureCode: "insufficient_funds" });
    expect(declined.failedAt).not.toBeNull();
    // Replaying the same decline (a second sync) keeps its time.
    await syncPaymentIntent(database.db, attempt.paymentIntent.id, stripe.stripe);
    expect((await database.db.payment.findUniqueOrThrow({ where: { id: attempt.paymentId } })).failedAt).toEqual(declined.failedAt);

    await new Promise((resolve) => setTimeout(resolve, 1_100)); // the success in a later second than the decline
    await confirmCard(stripe.stripe, attempt.paymentIntent.id, "pm_card_visa");
    await syncPaymentIntent(database.db, attempt.paymentIntent.id, stripe.stripe);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    await refund(open.organizationId, attempt.paymentId, 4_000);

    const { payment, timeline } = await getPaymentDetail(database.db, { organizationId: open.organizationId, paymentId: attempt.paymentId });
    expect(payment.updatedAt.getTime()).toBeGreaterThan(declined.failedAt!.getTime() + 2_000);
    const titles = timeline.map((entry) => entry.title);
    const decline = titles.indexOf("Card declined: insufficient funds");
    expect(decline).toBeGreaterThan(0);
    expect(timeline[decline]!.at).toEqual(declined.failedAt);
    expect(decline).toBeLessThan(titles.findIndex((title) => title.startsWith("Booked in the ledger: Card payment")));
    expect(titles.at(-1)).toMatch(/^Refund of \$40\.00 (requested|completed)$/);
    expect(titles.indexOf("Refund of $40.00 requested")).toBeGreaterThan(titles.findIndex((title) => title.startsWith("Booked in the ledger")));
    // Times never go backwards down the list by more than Stripe's rounding to the second.
    for (let index = 1; index < timeline.length; index++) {
      expect(Math.floor(timeline[index]!.at.getTime() / 1000)).toBeGreaterThanOrEqual(Math.floor(timeline[index - 1]!.at.getTime() / 1000));
    }
  });

  it("a decline whose event arrives only after the success still says why, at the event's time", async () => {
    const open = await createOpenInvoice(database.db, { unitAmount: 9_000 });
    const attempt = await createPaymentAttempt(database.db, { organizationId: open.organizationId, invoiceId: open.invoiceId, stripe: stripe.stripe });
    await confirmCard(stripe.stripe, attempt.paymentIntent.id, "pm_card_chargeDeclinedInsufficientFunds");
    // The patient retries at once; the success is recorded before the decline's event is delivered.
    await confirmCard(stripe.stripe, attempt.paymentIntent.id, "pm_card_visa");
    await syncPaymentIntent(database.db, attempt.paymentIntent.id, stripe.stripe);
    expect(await database.db.payment.findUniqueOrThrow({ where: { id: attempt.paymentId } })).toMatchObject({ status: "succeeded", failureCode: null });

    const events = await stripe.stripe.events.list({ type: "payment_intent.payment_failed", limit: 100 });
    const failed = events.data.find((event) => (event.data.object as { id: string }).id === attempt.paymentIntent.id);
    expect(failed).toBeDefined();
    expect(await handlePaymentIntentEvent(database.db, failed!, stripe.stripe)).toBe("applied");

    const { payment, timeline } = await getPaymentDetail(database.db, { organizationId: open.organizationId, paymentId: attempt.paymentId });
    expect(payment.status).toBe("succeeded");
    const decline = timeline.find((entry) => entry.title.startsWith("Card declined"));
    expect(decline?.title).toBe("Card declined: insufficient funds");
    expect(decline?.at).toEqual(new Date(failed!.created * 1000));
  });
});

describe("receipt numbers", () => {
  it("RCT-00001, RCT-00002, … per organization, gapless, for card and front-desk payments; the receipt page says where it was emailed", async () => {
    const first = await createPaidInvoice(database.db, stripe.stripe, { unitAmount: 5_000 });
    const { organizationId } = first;
    const second = await createOpenInvoice(database.db, { organizationId, unitAmount: 7_000 });
    const cash = await recordManualPayment(database.db, {
      organizationId,
      actor,
      input: { patientId: second.patient.id, invoiceId: second.invoiceId, method: "cash", amount: 7_000, emailReceipt: true },
    });
    const numbers = async (orgId: string) =>
      (await database.db.payment.findMany({ where: { organizationId: orgId, receiptNumber: { not: null } }, orderBy: { receiptNumber: "asc" } })).map(
        (payment) => [payment.id, payment.receiptNumber],
      );
    expect(await numbers(organizationId)).toEqual([
      [first.paymentId, "RCT-00001"],
      [cash.id, "RCT-00002"],
    ]);
    // Another organization starts at RCT-00001.
    const elsewhere = await createPaidInvoice(database.db, stripe.stripe, { unitAmount: 5_000 });
    expect(await numbers(elsewhere.organizationId)).toEqual([[elsewhere.paymentId, "RCT-00001"]]);

    // A failed payment attempt takes no number; ten front-desk payments at once take ten distinct, consecutive ones.
    const invoices = await Promise.all(Array.from({ length: 10 }, () => createOpenInvoice(database.db, { organizationId, unitAmount: 1_000 })));
    await Promise.all(
      invoices.map((invoice) =>
        recordManualPayment(database.db, {
          organizationId,
          actor,
          input: { patientId: invoice.patient.id, invoiceId: invoice.invoiceId, method: "cash", amount: 1_000 },
        }),
      ),
    );
    const all = (await numbers(organizationId)).map(([, number]) => number);
    expect(all).toEqual(Array.from({ length: 12 }, (_, index) => `RCT-${String(index + 1).padStart(5, "0")}`));
    expect((await database.db.organizationCounter.findUniqueOrThrow({ where: { organizationId_name: { organizationId, name: "receipt" } } })).value).toBe(12);

    // The patient's receipt page: the number, and where the receipt was emailed (masked); none for a payment not emailed.
    const cashLink = await linkFor(organizationId, second.invoiceId);
    const receipt = await getReceipt(database.db, { token: cashLink, paymentId: cash.id });
    expect(receipt).toMatchObject({ receiptNumber: "RCT-00002", emailedTo: { maskedAddress: "o•••@example.test" } });
    const firstLink = await linkFor(organizationId, first.invoiceId);
    expect((await getReceipt(database.db, { token: firstLink, paymentId: first.paymentId }))?.receiptNumber).toBe("RCT-00001");
    // The card payment's receipt email went out when it succeeded (the patient has an email address).
    expect((await getReceipt(database.db, { token: firstLink, paymentId: first.paymentId }))?.emailedTo?.maskedAddress).toBe("o•••@example.test");
    // Another invoice's payment through this link: no receipt (the page answers with the patient's 404).
    expect(await getReceipt(database.db, { token: firstLink, paymentId: cash.id })).toBeNull();
  });
});

/** A link row with a short id for an invoice of any status (links are only issued for payable invoices; a paid one keeps its earlier link). */
async function linkFor(organizationId: string, invoiceId: string): Promise<string> {
  const shortId = `T${invoiceId.replace(/-/g, "").slice(0, 11)}`;
  await database.db.paymentLink.create({ data: { organizationId, invoiceId, expiresAt: new Date(Date.now() + 86_400_000), shortId } });
  return shortId;
}
