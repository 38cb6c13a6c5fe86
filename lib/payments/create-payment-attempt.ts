import { randomUUID } from "node:crypto";
import Stripe from "stripe";
import { z } from "zod";
import type { Db, Tx } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { describeInvoiceState, lockInvoice } from "@/lib/invoices/lock-invoice";
import { createPaymentIntent } from "@/lib/stripe/create-payment-intent";
import { getStripe } from "@/lib/stripe/get-stripe";
import { asPaymentIntentWithCharge, PAYMENT_INTENT_EXPAND, retrievePaymentIntent, type PaymentIntentWithCharge } from "@/lib/stripe/retrieve-payment-intent";
import { minimumCardPayment } from "@/lib/money/card-minimum";
import { formatMoney, MAX_AMOUNT } from "@/lib/money/currency";
import { ensureStripeCustomer } from "./ensure-stripe-customer";
import { IN_FLIGHT_STATUSES, OPEN_ATTEMPT_STATUSES } from "./payment-status";
import { syncPaymentIntent } from "./sync-payment-intent";
import { invoicePayment, patientPayment } from "./payment-owner";
import { getPatientOrThrow } from "@/lib/patients/get-patient-or-throw";
import { sql, sqlOf } from "@/lib/db/sql";
import { recordConsent, type ConsentGiver } from "@/lib/consent/record-consent";
import { CARD_ON_FILE_TERMS_VERSION, PAY_PAGE_TERMS_VERSION, type ConsentTermsVersion } from "@/lib/consent/terms";
import { recordAuditEvent, type AuditActor } from "@/lib/audit/record-audit-event";
import type { PaymentSource } from "@/lib/db/generated/enums";

export const ZPaymentAmount = z.object({
  /** Minor units; omitted means "the whole balance". */
  amount: z
    .number({ error: "Enter the amount in minor units (a whole number)." })
    .int("Enter a whole amount in minor units.")
    .positive("Enter an amount above zero.")
    .optional(),
  /** The patient agrees to keep this card on file for later payments to the clinic. */
  saveCard: z.boolean({ error: "saveCard must be true or false." }).default(false),
  /** Money received beyond what the invoice owes (another payment landed meanwhile) stays as credit instead of going back to the card. */
  keepExcessAsCredit: z.boolean({ error: "keepExcessAsCredit must be true or false." }).default(false),
});

/**
 * Staff taking the card at the front desk for the patient present ("Pay with card" on the invoice
 * page): the attempt is a `desk_card` payment, and a ticked "save this card" records the card-on-file
 * consent as given by the patient through this staff member (`staff_on_behalf`).
 */
export type DeskAttempt = { actor: AuditActor & { userId: string } };

/** Who starts the attempt decides its source and the consent a ticked "save my card" records. */
function attemptChannel(desk: DeskAttempt | undefined): { source: PaymentSource; termsVersion: ConsentTermsVersion; by: ConsentGiver } {
  return desk
    ? { source: "desk_card", termsVersion: CARD_ON_FILE_TERMS_VERSION, by: { kind: "staff_on_behalf", userId: desk.actor.userId } }
    : { source: "pay_page", termsVersion: PAY_PAGE_TERMS_VERSION, by: { kind: "patient_online" } };
}

type Attempt = { paymentId: string; clientSecret: string; amount: number; currency: string; paymentIntent: PaymentIntentWithCharge };
type AttemptRow = {
  id: string;
  organizationId: string;
  /** Null for a prepayment (collected at the desk for no invoice). */
  invoiceId: string | null;
  patientId: string;
  amount: number;
  currency: string;
  saveCard: boolean;
  stripePaymentIntentId: string | null;
  captureMethod: "automatic" | "manual";
};

/** Stripe statuses in which an intent is still waiting for a card and may be updated and reused. */
const REUSABLE_INTENT_STATUSES = new Set(["requires_payment_method", "requires_confirmation"]);

/**
 * Starts (or rejoins) the card payment of an invoice on the pay page, or at the front desk
 * (`desk`). There is one live PaymentIntent per invoice and channel: every tab, retry and double
 * click gets the same one, its amount (and whether it saves the card) updated in place when the
 * patient or staff change it, never a second intent that could charge the same balance again. The amount is checked against what the invoice still owes minus money
 * already moving (3-D Secure, processing, authorized), under the invoice's row lock; the attempt
 * row is committed before Stripe is called (no transaction is held across the network), and its
 * id derives the idempotency key, so concurrent or retried calls create one intent.
 */
export async function createPaymentAttempt(
  db: Db,
  options: {
    organizationId: string;
    invoiceId: string;
    amount?: number;
    saveCard?: boolean;
    keepExcessAsCredit?: boolean;
    paymentLinkId?: string;
    /** Staff at the front desk take the card (the patient present); absent: the patient on the pay page. */
    desk?: DeskAttempt;
    /** The browser (IP and user agent), recorded with the consent when "save my card" is ticked. */
    client?: { ip: string | null; userAgent: string | null };
    stripe?: Stripe;
  },
): Promise<Attempt> {
  const input = ZPaymentAmount.parse({ amount: options.amount, saveCard: options.saveCard, keepExcessAsCredit: options.keepExcessAsCredit });
  return reserveAndPrepare(db, () => reserveAttempt(db, { ...options, ...input }), {
    saveCard: input.saveCard,
    stripe: options.stripe,
    conflict: "This invoice's payment changed while we were preparing yours. Reload the page to see what is still owed.",
  });
}

/**
 * Reserves the attempt row, then prepares its intent. An intent that moved on at Stripe meanwhile
 * (another tab confirmed it) is recorded, then we start over once or twice before giving up with `conflict`.
 */
async function reserveAndPrepare(
  db: Db,
  reserve: () => Promise<AttemptRow & { desiredAmount: number }>,
  options: { saveCard: boolean; stripe?: Stripe; conflict: string },
): Promise<Attempt> {
  for (let round = 0; ; round++) {
    const row = await reserve();
    const attempt = await prepareIntent(db, row, { amount: row.desiredAmount, saveCard: options.saveCard, stripe: options.stripe });
    if (attempt) return attempt;
    if (round >= 2) throw new AppError("CONFLICT", options.conflict);
  }
}

/** The columns of an attempt row that reserving reads back, for an invoice's or a prepayment's. */
const ATTEMPT_SELECT = {
  id: true,
  organizationId: true,
  invoiceId: true,
  patientId: true,
  amount: true,
  currency: true,
  saveCard: true,
  keepExcessAsCredit: true,
  stripePaymentIntentId: true,
  consentId: true,
} as const;

/**
 * "Save my card" ticked: the consent is recorded now, before the card is confirmed, as it is given
 * (terms as shown, who ticked them, IP and browser); the card saved when the payment succeeds
 * points at it.
 */
async function recordAttemptConsent(
  tx: Tx,
  options: {
    organizationId: string;
    channel: ReturnType<typeof attemptChannel>;
    patientId: string;
    paymentId: string;
    desk?: DeskAttempt;
    client?: { ip: string | null; userAgent: string | null };
  },
): Promise<string> {
  const { channel, patientId, paymentId } = options;
  const consent = await recordConsent(tx, {
    organizationId: options.organizationId,
    patientId,
    version: channel.termsVersion,
    by: channel.by,
    ip: options.client?.ip ?? null,
    userAgent: options.client?.userAgent ?? null,
  });
  if (options.desk) {
    await recordAuditEvent(tx, {
      organizationId: options.organizationId,
      actor: options.desk.actor,
      action: "card_on_file.consent_recorded",
      target: { type: "patient", id: patientId },
      after: { consentId: consent.id, paymentId, acceptedBy: channel.by.kind, source: "front_desk" },
    });
  }
  return consent.id;
}

/**
 * "Card (type it in)" on the visit page's "Collect estimate": a `desk_card` attempt for no invoice
 * (a prepayment), the patient present. When it succeeds the whole amount becomes the patient's
 * credit (`applyPaymentIntent`). As with an invoice's, there is one live attempt per patient at the
 * desk: a double click or a changed amount rejoins it (its intent updated in place), decided under
 * the patient's row lock. The amount is the staff's (at least the card minimum); a prepayment is
 * always captured at once, whatever the clinic's capture setting, since nothing is owed yet.
 */
export async function createPrepaymentAttempt(
  db: Db,
  options: {
    organizationId: string;
    patientId: string;
    amount: number;
    saveCard?: boolean;
    desk: DeskAttempt;
    client?: { ip: string | null; userAgent: string | null };
    stripe?: Stripe;
  },
): Promise<Attempt> {
  const input = ZPaymentAmount.parse({ amount: options.amount, saveCard: options.saveCard });
  if (input.amount === undefined) throw new AppError("VALIDATION_FAILED", "Enter an amount.", { fields: { amount: ["Enter an amount."] } });
  const amount = input.amount;
  return reserveAndPrepare(
    db,
    async () => ({ ...(await reservePrepaymentAttempt(db, { ...options, amount, saveCard: input.saveCard })), desiredAmount: amount }),
    {
      saveCard: input.saveCard,
      stripe: options.stripe,
      conflict: "This card payment changed while we were preparing it. Look at the patient's payments before trying again.",
    },
  );
}

async function reservePrepaymentAttempt(
  db: Db,
  options: {
    organizationId: string;
    patientId: string;
    amount: number;
    saveCard: boolean;
    desk: DeskAttempt;
    client?: { ip: string | null; userAgent: string | null };
  },
): Promise<AttemptRow> {
  const channel = attemptChannel(options.desk);
  return db.$transaction(async (tx) => {
    const patient = await getPatientOrThrow(tx, { id: options.patientId, organizationId: options.organizationId });
    // One desk attempt per patient: concurrent starts queue here (NO KEY UPDATE leaves inserts referencing the patient alone).
    await sqlOf(tx).query(sql`SELECT id FROM patients WHERE id = ${patient.id}::uuid FOR NO KEY UPDATE`);
    const { currency } = await tx.organization.findUniqueOrThrow({ where: { id: options.organizationId }, select: { currency: true } });
    const minimum = minimumCardPayment(currency);
    if (options.amount < minimum || options.amount > MAX_AMOUNT) {
      throw new AppError("VALIDATION_FAILED", "That amount cannot be charged.", {
        fields: {
          amount: [
            options.amount < minimum
              ? `Charge at least ${formatMoney(minimum, currency)} by card, or take it in cash.`
              : `Charge at most ${formatMoney(MAX_AMOUNT, currency)}.`,
          ],
        },
      });
    }
    const select = ATTEMPT_SELECT;
    const consentFor = (paymentId: string) => recordAttemptConsent(tx, { ...options, channel, patientId: patient.id, paymentId });
    const open = await tx.payment.findFirst({
      where: {
        patientId: patient.id,
        organizationId: options.organizationId,
        prepayment: true,
        source: channel.source,
        status: { in: [...OPEN_ATTEMPT_STATUSES] },
      },
      orderBy: { createdAt: "desc" },
      select,
    });
    if (open) {
      if (options.saveCard && !open.consentId) await tx.payment.update({ where: { id: open.id }, data: { consentId: await consentFor(open.id) } });
      return { ...patientPayment(open), captureMethod: "automatic" as const };
    }
    const id = randomUUID();
    const created = await tx.payment.create({
      data: {
        id,
        organizationId: options.organizationId,
        invoiceId: null,
        patientId: patient.id,
        prepayment: true,
        // Nothing is owed: all of it is the patient's credit, never an excess to send back.
        keepExcessAsCredit: true,
        source: channel.source,
        methodType: "card",
        status: "requires_payment_method",
        currency,
        amount: options.amount,
        saveCard: options.saveCard,
        consentId: options.saveCard ? await consentFor(id) : null,
      },
      select,
    });
    await recordAuditEvent(tx, {
      organizationId: options.organizationId,
      actor: options.desk.actor,
      action: "payment.desk_card_started",
      target: { type: "payment", id },
      after: { prepayment: true, patientId: patient.id, amount: options.amount, saveCard: options.saveCard },
    });
    return { ...patientPayment(created), captureMethod: "automatic" as const };
  });
}

/** Under the invoice lock: checks the amount and finds the invoice's open attempt, or records a new one. */
async function reserveAttempt(
  db: Db,
  options: {
    organizationId: string;
    invoiceId: string;
    amount?: number;
    saveCard: boolean;
    keepExcessAsCredit: boolean;
    paymentLinkId?: string;
    desk?: DeskAttempt;
    client?: { ip: string | null; userAgent: string | null };
  },
): Promise<AttemptRow & { desiredAmount: number }> {
  const channel = attemptChannel(options.desk);
  return db.$transaction(async (tx) => {
    const invoice = await lockInvoice(tx, { id: options.invoiceId, organizationId: options.organizationId });
    if (invoice.status !== "open" && invoice.status !== "partially_paid") {
      throw new AppError(
        "CONFLICT",
        invoice.status === "paid" ? "This invoice is already paid." : `${describeInvoiceState({ ...invoice, number: null })}, so it cannot be paid.`,
      );
    }
    const inFlight = await tx.payment.aggregate({
      where: { invoiceId: invoice.id, status: { in: [...IN_FLIGHT_STATUSES] } },
      _sum: { amount: true },
    });
    const owed = invoice.amountDue - (inFlight._sum.amount ?? 0);
    if (owed <= 0) throw new AppError("CONFLICT", "A payment for the rest of this invoice is already being processed.");
    const minimum = minimumCardPayment(invoice.currency);
    if (owed < minimum) {
      throw new AppError(
        "CONFLICT",
        `Only ${formatMoney(owed, invoice.currency)} is left to pay, less than the smallest card payment (${formatMoney(minimum, invoice.currency)}). Please pay it at the clinic.`,
      );
    }
    const amount = options.amount ?? owed;
    if (amount > owed || amount < minimum) {
      throw new AppError("VALIDATION_FAILED", "That amount cannot be paid.", {
        fields: {
          amount: [
            amount > owed
              ? `Pay at most what is still owed (${formatMoney(owed, invoice.currency)}).`
              : `Pay at least ${formatMoney(minimum, invoice.currency)}.`,
          ],
        },
      });
    }
    const { cardCaptureMethod } = await tx.organization.findUniqueOrThrow({ where: { id: options.organizationId }, select: { cardCaptureMethod: true } });
    const select = ATTEMPT_SELECT;
    const consentFor = (patientId: string, paymentId: string) => recordAttemptConsent(tx, { ...options, channel, patientId, paymentId });
    const open = await tx.payment.findFirst({
      where: { invoiceId: invoice.id, source: channel.source, status: { in: [...OPEN_ATTEMPT_STATUSES] } },
      orderBy: { createdAt: "desc" },
      select,
    });
    if (open) {
      // The latest choice about an excess applies; it involves no Stripe call.
      if (open.keepExcessAsCredit !== options.keepExcessAsCredit)
        await tx.payment.update({ where: { id: open.id }, data: { keepExcessAsCredit: options.keepExcessAsCredit } });
      if (options.saveCard && !open.consentId)
        await tx.payment.update({ where: { id: open.id }, data: { consentId: await consentFor(invoice.patientId, open.id) } });
      return { ...invoicePayment(open), captureMethod: cardCaptureMethod, desiredAmount: amount };
    }
    const id = randomUUID();
    const created = await tx.payment.create({
      data: {
        id,
        organizationId: options.organizationId,
        invoiceId: invoice.id,
        patientId: invoice.patientId,
        source: channel.source,
        methodType: "card",
        status: "requires_payment_method",
        currency: invoice.currency,
        amount,
        saveCard: options.saveCard,
        keepExcessAsCredit: options.keepExcessAsCredit,
        paymentLinkId: options.paymentLinkId ?? null,
        consentId: options.saveCard ? await consentFor(invoice.patientId, id) : null,
      },
      select,
    });
    if (options.desk) {
      await recordAuditEvent(tx, {
        organizationId: options.organizationId,
        actor: options.desk.actor,
        action: "payment.desk_card_started",
        target: { type: "payment", id },
        after: { invoiceId: invoice.id, amount, saveCard: options.saveCard },
      });
    }
    return { ...invoicePayment(created), captureMethod: cardCaptureMethod, desiredAmount: amount };
  });
}

/**
 * Makes sure the attempt has its PaymentIntent (created with the attempt's own parameters and
 * idempotency key, so concurrent callers get the same one) and that it asks for `amount` (and
 * saves the card if asked). Returns null when Stripe says the intent is no longer waiting for a
 * card: its state is then recorded and the caller starts over.
 */
async function prepareIntent(db: Db, row: AttemptRow, wanted: { amount: number; saveCard: boolean; stripe?: Stripe }): Promise<Attempt | null> {
  let paymentIntent: PaymentIntentWithCharge;
  try {
    if (row.stripePaymentIntentId) {
      paymentIntent = await retrievePaymentIntent(row.stripePaymentIntentId, wanted.stripe);
    } else {
      const customerId = row.saveCard
        ? await ensureStripeCustomer(db, { organizationId: row.organizationId, patientId: row.patientId, stripe: wanted.stripe })
        : undefined;
      paymentIntent = await createPaymentIntent(
        {
          metadata: { organizationId: row.organizationId, ...(row.invoiceId ? { invoiceId: row.invoiceId } : {}), paymentId: row.id },
          amount: row.amount,
          currency: row.currency.toLowerCase(),
          customerId,
          savePaymentMethod: row.saveCard,
          // The organization's choice when the attempt was recorded: `manual` only authorizes (captured later by staff).
          captureMethod: row.captureMethod,
        },
        wanted.stripe,
      );
      await db.payment.updateMany({ where: { id: row.id, stripePaymentIntentId: null }, data: { stripePaymentIntentId: paymentIntent.id } });
    }
    if (!REUSABLE_INTENT_STATUSES.has(paymentIntent.status)) {
      await syncPaymentIntent(db, paymentIntent.id, wanted.stripe);
      return null;
    }
    const changes: Stripe.PaymentIntentUpdateParams = {};
    if (paymentIntent.amount !== wanted.amount) changes.amount = wanted.amount;
    if (wanted.saveCard && paymentIntent.setup_future_usage !== "off_session") {
      changes.customer = await ensureStripeCustomer(db, { organizationId: row.organizationId, patientId: row.patientId, stripe: wanted.stripe });
      changes.setup_future_usage = "off_session";
    } else if (!wanted.saveCard && paymentIntent.setup_future_usage) {
      // The box was unticked again before the card was confirmed: the card is not kept.
      changes.setup_future_usage = "";
    }
    if (Object.keys(changes).length > 0) {
      const stripe = wanted.stripe ?? getStripe();
      paymentIntent = asPaymentIntentWithCharge(await stripe.paymentIntents.update(paymentIntent.id, { ...changes, expand: PAYMENT_INTENT_EXPAND }));
      await db.payment.updateMany({
        where: { id: row.id, status: { in: [...OPEN_ATTEMPT_STATUSES] } },
        data: { amount: paymentIntent.amount, ...(changes.setup_future_usage !== undefined ? { saveCard: changes.setup_future_usage === "off_session" } : {}) },
      });
    }
  } catch (error) {
    if (error instanceof Stripe.errors.StripeInvalidRequestError && error.code === "payment_intent_unexpected_state" && row.stripePaymentIntentId) {
      // Another tab confirmed this intent between our read and our update: record where it is and start over.
      await syncPaymentIntent(db, row.stripePaymentIntentId, wanted.stripe);
      return null;
    }
    if (error instanceof Stripe.errors.StripeInvalidRequestError && error.code === "amount_too_small") {
      throw new AppError("VALIDATION_FAILED", "That amount is below the smallest card payment.", { fields: { amount: [error.message] }, cause: error });
    }
    if (!row.stripePaymentIntentId && !(error instanceof AppError)) {
      await db.payment.updateMany({
        where: { id: row.id, stripePaymentIntentId: null },
        data: { status: "canceled", canceledAt: new Date(), failureMessage: "Could not reach the payment processor." },
      });
    }
    if (error instanceof AppError) throw error;
    throw new AppError("SERVICE_UNAVAILABLE", "Card payments are unavailable right now. Please try again in a few minutes.", { cause: error });
  }
  if (!paymentIntent.client_secret) throw new Error(`PaymentIntent ${paymentIntent.id} has no client secret`);
  return { paymentId: row.id, clientSecret: paymentIntent.client_secret, amount: paymentIntent.amount, currency: row.currency, paymentIntent };
}
