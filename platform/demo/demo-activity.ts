import type Stripe from "stripe";
import type { AuditActor } from "@/lib/audit/record-audit-event";
import type { Db } from "@/lib/db/client";
import { issueCreditNote } from "@/lib/credit-notes/issue-credit-note";
import { createInvoice } from "@/lib/invoices/create-invoice";
import { addDays, startOfDayIn, todayIn } from "@/lib/invoices/dates";
import { finalizeInvoice } from "@/lib/invoices/finalize-invoice";
import { markInvoiceUncollectible } from "@/lib/invoices/mark-invoice-uncollectible";
import { voidInvoice } from "@/lib/invoices/void-invoice";
import { createPatient } from "@/lib/patients/create-patient";
import { createPaymentAttempt } from "@/lib/payments/create-payment-attempt";
import type { ManualPaymentMethod } from "@/lib/payments/manual-payments.types";
import { recordManualPayment } from "@/lib/payments/record-manual-payment";
import { syncPaymentIntent } from "@/lib/payments/sync-payment-intent";
import { requestRefund } from "@/lib/refunds/request-refund";
import { processStripeEvent } from "@/lib/webhooks/process-stripe-event";
import { PATIENT_NAMES, SERVICES, seededRandom, VISIT_TYPES, type DemoService } from "./demo-catalog";

/** The Stripe emulator the demo's card payments go through (never a real Stripe account). */
export type DemoStripe = { stripe: Stripe; emulatorUrl: string; secretKey: string };

export type DemoActivityOptions = {
  organizationId: string;
  /** Who does what: the billing clerk at the front desk, the admin for voids and write-offs. */
  staff: { billing: AuditActor; admin: AuditActor };
  /** Card payments, a refund and a dispute go through it; without it, card payments are taken on the clinic's terminal. */
  stripe?: DemoStripe;
  /** "Now" for the demo (default: the current time); activity spreads over the ~4 months before it. */
  now?: Date;
};

export type DemoActivitySummary = { patients: number; invoices: number; cardPayments: number };

type Outcome =
  | { kind: "paid_at_desk"; method: ManualPaymentMethod }
  | { kind: "paid_by_check_later"; afterDays: number }
  | { kind: "copay_at_desk"; amount: number }
  | { kind: "open" }
  | { kind: "paid_by_card"; card: string; refund?: number; dispute?: boolean }
  | { kind: "part_paid_by_card"; amount: number }
  | { kind: "void"; reason: string }
  | { kind: "written_off"; copay: number; afterDays: number; reason: string }
  | { kind: "courtesy_credit"; amount: number }
  | { kind: "overpaid_by_check"; amount: number }
  | { kind: "draft" };

type Visit = { patient: number; daysAgo: number; hour: number; minute: number; services: DemoService[]; outcome: Outcome };

const CHECK_FIRST_NUMBER = 1041;

/**
 * Four months of a family practice's billing, the same on every run (a seeded generator, dates
 * relative to `now`): about forty patients and seventy visits, with invoices in every state
 * (draft, open, overdue, partly paid, paid, void, written off), cash, check, terminal and card
 * payments, a partial card refund, a chargeback, a courtesy credit note and a patient credit.
 *
 * Everything goes through the domain operations the app's actions call, so every balance and
 * journal is what the app would have made. Those that take a clock (`finalizeInvoice`,
 * `recordManualPayment`, `issueCreditNote`, `voidInvoice`, `markInvoiceUncollectible`) get the
 * story's time, which also dates their journals, so the analytics page (which reads the ledger)
 * shows the months as they happened. The others stamp the time they ran, so the rows they wrote
 * get their creation and event times moved back to the story's day right after (timestamps only,
 * never an amount or a status); the audit log keeps the time the seed really ran. Card payments,
 * the refund and the dispute happen now: Stripe's clock (the emulator's) cannot be moved back.
 */
export async function seedDemoActivity(db: Db, options: DemoActivityOptions): Promise<DemoActivitySummary> {
  const { organizationId, staff } = options;
  const now = options.now ?? new Date();
  const organization = await db.organization.findUniqueOrThrow({ where: { id: organizationId }, select: { timezone: true } });
  const today = todayIn(organization.timezone, now);
  const random = seededRandom(20_261_205);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

  /** `daysAgo` days before today at hh:mm clinic time, never after `now`. */
  const at = (daysAgo: number, hour: number, minute = 0): Date => {
    const day = addDays(today, -daysAgo);
    const time = new Date(startOfDayIn(day, organization.timezone).getTime() + (hour * 60 + minute) * 60_000);
    return time < now ? time : new Date(now.getTime() - 60_000);
  };
  /** The same day, or the Friday before when it falls on a weekend (the clinic is closed). */
  const weekday = (daysAgo: number): number => {
    const day = new Date(`${addDays(today, -daysAgo)}T00:00:00Z`).getUTCDay();
    return day === 6 ? daysAgo + 1 : day === 0 ? daysAgo + 2 : daysAgo;
  };

  // Patients: the practice's existing patients, entered when the clinic started billing with Carebill.
  const patientIds: string[] = [];
  for (const [index, [firstName, lastName]] of PATIENT_NAMES.entries()) {
    const age = 4 + Math.floor(random() * 78);
    const birthYear = Number(today.slice(0, 4)) - age;
    const dateOfBirth = `${birthYear}-${String(1 + Math.floor(random() * 12)).padStart(2, "0")}-${String(1 + Math.floor(random() * 28)).padStart(2, "0")}`;
    const local = `${firstName}.${lastName}`
      .normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "")
      .replace(/[^A-Za-z.]/g, "")
      .toLowerCase();
    const patient = await createPatient(db, {
      organizationId,
      actor: staff.billing,
      input: {
        firstName,
        lastName,
        email: index % 9 === 8 ? null : `${local}@example.com`,
        phone: index % 7 === 6 ? null : `(503) 555-01${String(index + 10).padStart(2, "0")}`,
        dateOfBirth,
        externalId: `SFC-${String(104_200 + index * 37).padStart(6, "0")}`,
      },
    });
    const createdAt = at(weekday(112 + Math.floor(index / 4)), 8 + (index % 8), (index * 7) % 60);
    await db.patient.update({ where: { id: patient.id }, data: { createdAt, updatedAt: createdAt } });
    patientIds.push(patient.id);
  }

  const visits = planVisits(random, pick, weekday);
  let checkNumber = CHECK_FIRST_NUMBER;
  let cardPayments = 0;
  const card = options.stripe;

  for (const visit of visits) {
    const patientId = patientIds[visit.patient]!;
    const seen = at(visit.daysAgo, visit.hour, visit.minute);
    const later = (minutes: number) => new Date(Math.min(seen.getTime() + minutes * 60_000, now.getTime() - 60_000));
    const outcome = visit.outcome;
    const terms = outcome.kind === "paid_at_desk" ? "due_on_receipt" : "net_30";
    const draft = await createInvoice(db, {
      organizationId,
      actor: staff.billing,
      input: {
        patientId,
        terms,
        lines: visit.services.map((service) => ({ ...service, quantity: 1 })),
        memo: outcome.kind === "written_off" ? "Statement sent three times; no response." : null,
      },
    });
    const stamps: { createdAt: Date; updatedAt: Date; voidedAt?: Date; uncollectibleAt?: Date } = { createdAt: seen, updatedAt: seen };
    if (outcome.kind === "draft") {
      await db.invoice.update({ where: { id: draft.id }, data: { createdAt: stamps.createdAt, updatedAt: stamps.updatedAt } });
      continue;
    }
    const invoice = await finalizeInvoice(db, { organizationId, invoiceId: draft.id, actor: staff.billing, now: later(5) });
    stamps.updatedAt = later(5);
    const manual = async (input: { method: ManualPaymentMethod; amount: number; when: Date; keepExcessAsCredit?: boolean }) => {
      const payment = await recordManualPayment(db, {
        organizationId,
        actor: staff.billing,
        now: input.when,
        stripe: card?.stripe,
        input: {
          patientId,
          invoiceId: invoice.id,
          method: input.method,
          amount: input.amount,
          receivedOn: todayIn(organization.timezone, input.when),
          reference: input.method === "check" ? String(checkNumber++) : undefined,
          keepExcessAsCredit: input.keepExcessAsCredit ?? false,
        },
      });
      await db.payment.update({ where: { id: payment.id }, data: { createdAt: input.when, updatedAt: input.when } });
      await db.paymentAllocation.updateMany({ where: { paymentId: payment.id }, data: { createdAt: input.when } });
      stamps.updatedAt = input.when;
      return payment;
    };

    switch (outcome.kind) {
      case "paid_at_desk":
        await manual({ method: outcome.method, amount: invoice.total, when: later(12) });
        break;
      case "paid_by_check_later":
        await manual({ method: "check", amount: invoice.total, when: at(weekday(visit.daysAgo - outcome.afterDays), 11, 20) });
        break;
      case "copay_at_desk":
        await manual({ method: pick(["cash", "card_terminal"] as const), amount: outcome.amount, when: later(12) });
        break;
      case "overpaid_by_check":
        await manual({ method: "check", amount: outcome.amount, when: later(12), keepExcessAsCredit: true });
        break;
      case "courtesy_credit": {
        const when = later(60 * 24);
        const creditNote = await issueCreditNote(db, {
          organizationId,
          invoiceId: invoice.id,
          actor: staff.admin,
          stripe: card?.stripe,
          now: when,
          input: { amount: outcome.amount, reason: "Courtesy adjustment: the patient waited over an hour past the appointment time." },
        });
        await db.creditNote.update({ where: { id: creditNote.id }, data: { createdAt: when } });
        stamps.updatedAt = when;
        break;
      }
      case "void": {
        stamps.voidedAt = stamps.updatedAt = later(40);
        await voidInvoice(db, {
          organizationId,
          invoiceId: invoice.id,
          actor: staff.admin,
          stripe: card?.stripe,
          now: stamps.voidedAt,
          input: { reason: outcome.reason },
        });
        break;
      }
      case "written_off": {
        await manual({ method: "cash", amount: outcome.copay, when: later(12) });
        stamps.uncollectibleAt = stamps.updatedAt = at(weekday(visit.daysAgo - outcome.afterDays), 15, 30);
        await markInvoiceUncollectible(db, {
          organizationId,
          invoiceId: invoice.id,
          actor: staff.admin,
          stripe: card?.stripe,
          now: stamps.uncollectibleAt,
          input: { reason: outcome.reason },
        });
        break;
      }
      case "paid_by_card":
      case "part_paid_by_card": {
        const amount = outcome.kind === "part_paid_by_card" ? outcome.amount : invoice.total;
        if (!card) {
          // No Stripe emulator: the patient paid on the clinic's own card terminal instead.
          await manual({ method: "card_terminal", amount, when: later(60 * 24 * Math.max(1, visit.daysAgo - 1)) });
          break;
        }
        const paid = await payByCard(db, card, {
          organizationId,
          invoiceId: invoice.id,
          amount,
          card: outcome.kind === "paid_by_card" ? outcome.card : "pm_card_visa",
        });
        cardPayments += 1;
        if (outcome.kind === "paid_by_card" && outcome.refund) {
          await requestRefund(db, {
            organizationId,
            paymentId: paid.paymentId,
            actor: staff.admin,
            stripe: card.stripe,
            input: { amount: outcome.refund, reason: "requested_by_customer", note: "Lab panel billed twice; refunded the duplicate.", mode: "credit_note" },
          });
        }
        if (outcome.kind === "paid_by_card" && outcome.dispute) await openDispute(db, card, paid.paymentIntentId);
        stamps.updatedAt = new Date(Math.max(stamps.updatedAt.getTime(), Date.now()));
        break;
      }
      case "open":
        break;
    }
    // Times only: the balance and status are change-invoice-balance.ts's alone.
    await db.invoice.update({
      where: { id: invoice.id },
      data: { createdAt: stamps.createdAt, updatedAt: stamps.updatedAt, voidedAt: stamps.voidedAt, uncollectibleAt: stamps.uncollectibleAt },
    });
  }

  return { patients: patientIds.length, invoices: visits.length, cardPayments };
}

/**
 * Who comes when and how each visit ends. Older visits are mostly settled; recent ones still
 * open; the special cases (void, write-off, credit, refund, dispute) sit where a real clinic
 * would meet them.
 */
function planVisits(random: () => number, pick: <T>(items: readonly T[]) => T, weekday: (daysAgo: number) => number): Visit[] {
  const visits: Visit[] = [];
  const total = 66;
  for (let index = 0; index < total; index += 1) {
    // Spread from ~110 days ago to yesterday, a little uneven, on weekdays.
    const daysAgo = weekday(Math.max(1, Math.round(110 - (index * 109) / (total - 1) + (random() - 0.5) * 3)));
    const services = pick(VISIT_TYPES);
    const roll = random();
    let outcome: Outcome;
    if (daysAgo > 45) {
      outcome =
        roll < 0.6
          ? { kind: "paid_at_desk", method: pick(["cash", "card_terminal", "card_terminal", "check"] as const) }
          : roll < 0.92
            ? { kind: "paid_by_check_later", afterDays: 9 + Math.floor(random() * 12) }
            : { kind: "copay_at_desk", amount: 4_000 };
    } else if (daysAgo > 12) {
      outcome =
        roll < 0.45
          ? { kind: "paid_at_desk", method: pick(["cash", "card_terminal", "check"] as const) }
          : roll < 0.65
            ? { kind: "copay_at_desk", amount: pick([2_500, 4_000, 5_000]) }
            : roll < 0.8
              ? // Card payments online happen now (Stripe's clock cannot move back): a visit weeks ago was paid on the desk terminal, dated then.
                { kind: "paid_at_desk", method: "card_terminal" }
              : roll < 0.9
                ? // The statement went out and the check came back a week or so later (no draw: the sequence of draws stays the same).
                  { kind: "paid_by_check_later", afterDays: 7 + (index % 5) }
                : { kind: "open" };
    } else {
      // The same draws as ever (the pick too), so the rest of the story does not move; the card
      // payments of the pay page are today's visits' (below), paid the day they were billed.
      outcome =
        roll < 0.35
          ? { kind: "paid_at_desk", method: pick(["cash", "card_terminal"] as const) }
          : roll < 0.5
            ? { kind: "copay_at_desk", amount: 4_000 }
            : roll < 0.65
              ? { kind: "paid_at_desk", method: pick(["card_terminal", "cash"] as const) }
              : { kind: "open" };
    }
    visits.push({
      patient: Math.floor(random() * PATIENT_NAMES.length),
      daysAgo,
      hour: 8 + Math.floor(random() * 9),
      minute: Math.floor(random() * 12) * 5,
      services,
      outcome,
    });
  }

  // The cases every clinic meets, on fixed visits so the story reads the same each time.
  const set = (index: number, outcome: Outcome, services?: DemoService[]) => {
    visits[index] = { ...visits[index]!, outcome, ...(services ? { services } : {}) };
  };
  set(4, { kind: "void", reason: "Entered twice by mistake; the visit is billed on the patient's other invoice." });
  set(
    2,
    { kind: "written_off", copay: 2_500, afterDays: 80, reason: "No response to three statements and two calls; sent to the practice's write-off review." },
    [SERVICES.visitModerate, SERVICES.venipuncture, SERVICES.metabolicPanel],
  );
  set(20, { kind: "overpaid_by_check", amount: 20_000 }, [SERVICES.newVisit]);
  // Old balances still owed (A/R over 90 days): a copay taken, the rest never paid; an invoice never paid at all.
  set(1, { kind: "copay_at_desk", amount: 2_500 }, [SERVICES.visitModerate, SERVICES.ecg]);
  set(9, { kind: "open" }, [SERVICES.visitLow]);
  set(30, { kind: "open" }, [SERVICES.visitModerate, SERVICES.ecg]);
  set(33, { kind: "copay_at_desk", amount: 4_000 }, [SERVICES.preventive, SERVICES.venipuncture, SERVICES.lipidPanel]);
  set(44, { kind: "courtesy_credit", amount: 2_500 }, [SERVICES.visitLow]);
  // Card payments on the pay page happen now (the emulator's clock cannot go back), so they pay
  // today's visits: billed and paid the same day, this month's money for this month's invoices
  // (paying weeks-old invoices today put this month's collections far above its charges).
  const today = (patient: number, hour: number, outcome: Outcome, services: DemoService[]) =>
    visits.push({ patient: visits[patient]!.patient, daysAgo: 0, hour, minute: 15, services, outcome });
  today(48, 8, { kind: "paid_by_card", card: "pm_card_visa", refund: 4_000 }, [
    SERVICES.visitModerate,
    SERVICES.venipuncture,
    SERVICES.lipidPanel,
    SERVICES.cbc,
  ]);
  today(52, 9, { kind: "paid_by_card", card: "pm_card_mastercard", dispute: true }, [SERVICES.visitModerate]);
  today(58, 10, { kind: "part_paid_by_card", amount: 10_000 }, [SERVICES.preventive, SERVICES.venipuncture, SERVICES.a1c]);
  today(60, 10, { kind: "paid_by_card", card: "pm_card_visa" }, [SERVICES.visitLow, SERVICES.strep]);
  today(62, 11, { kind: "paid_by_card", card: "pm_card_mastercard" }, [SERVICES.visitModerate, SERVICES.ecg]);
  set(total - 2, { kind: "draft" }, [SERVICES.visitLow, SERVICES.strep]);
  set(total - 1, { kind: "draft" }, [SERVICES.fluVaccine, SERVICES.vaccineAdmin]);
  visits.push({ ...visits[total - 1]!, patient: 7, hour: 9, minute: 30, services: [SERVICES.tdapVaccine, SERVICES.vaccineAdmin], outcome: { kind: "draft" } });
  // In the order they happened, so invoice numbers follow the calendar.
  return visits.toSorted((a, b) => b.daysAgo - a.daysAgo || a.hour - b.hour || a.minute - b.minute);
}

/** A card payment through the pay page's path: the attempt, the card confirmed at Stripe, then the outcome applied as the webhook would. */
async function payByCard(db: Db, card: DemoStripe, options: { organizationId: string; invoiceId: string; amount: number; card: string }) {
  const attempt = await createPaymentAttempt(db, {
    organizationId: options.organizationId,
    invoiceId: options.invoiceId,
    amount: options.amount,
    stripe: card.stripe,
  });
  await card.stripe.paymentIntents.confirm(attempt.paymentIntent.id, { payment_method: options.card });
  await syncPaymentIntent(db, attempt.paymentIntent.id, card.stripe);
  return { paymentId: attempt.paymentId, paymentIntentId: attempt.paymentIntent.id };
}

/** The cardholder's bank opens a chargeback (the emulator's test control); its events are applied as the webhook would. */
async function openDispute(db: Db, card: DemoStripe, paymentIntentId: string): Promise<void> {
  const intent = await card.stripe.paymentIntents.retrieve(paymentIntentId);
  const chargeId = typeof intent.latest_charge === "string" ? intent.latest_charge : intent.latest_charge?.id;
  const response = await fetch(`${card.emulatorUrl}/_emulator/disputes`, {
    method: "POST",
    headers: { authorization: `Bearer ${card.secretKey}`, "content-type": "application/json" },
    body: JSON.stringify({ charge: chargeId }),
  });
  if (!response.ok) throw new Error(`the Stripe emulator refused to open a dispute: ${response.status} ${await response.text()}`);
  const dispute = (await response.json()) as Stripe.Dispute;
  const events = await card.stripe.events.list({ limit: 100 });
  const disputeEvents = events.data
    .filter((event) => event.type.startsWith("charge.dispute.") && (event.data.object as Stripe.Dispute).id === dispute.id)
    .toReversed();
  for (const event of disputeEvents) await processStripeEvent(db, event, card.stripe);
}
