import { z } from "zod";
import type { Db, Tx } from "@/lib/db/client";
import { recordAuditEvent, type AuditActor } from "@/lib/audit/record-audit-event";
import { getAutopaySettings } from "@/lib/autopay/get-autopay-settings";
import { lockInvoiceRow } from "@/lib/db/locks";
import { AppError, type FieldErrors } from "@/lib/errors";
import { fromIsoDate, todayIn } from "@/lib/invoices/dates";
import { formatMoney } from "@/lib/money/currency";
import { getChargeableCard } from "@/lib/payments/get-chargeable-card";
import { IN_FLIGHT_STATUSES } from "@/lib/payments/payment-status";
import { ZCalendarDate } from "@/lib/validation/fields";
import { patientCardLink } from "@/lib/card-links/create-card-link";
import { queueAutopayEmail } from "@/lib/autopay/queue-autopay-email";
import { buildPlanSchedule, type ScheduledInstallment } from "./plan-schedule";

/** Plan states in which a plan still charges (or may again): an invoice belongs to at most one of them. */
export const LIVE_PLAN_STATUSES = ["active", "past_due", "paused"] as const;

export const ZCreatePaymentPlanInput = z.strictObject({
  patientId: z.uuid("Choose a patient."),
  /** The open invoices the plan pays; omitted means all of the patient's open invoices. */
  invoiceIds: z.array(z.uuid("Choose open invoices of this patient.")).min(1, "Choose at least one open invoice.").max(50).optional(),
  /** Charged at once, minor units. */
  downPaymentAmount: z
    .number({ error: "Enter the down payment in minor units (a whole number)." })
    .int("Enter a whole amount in minor units.")
    .min(0, "The down payment cannot be negative.")
    .default(0),
  installmentCount: z
    .number({ error: "Enter the number of installments." })
    .int("Enter a whole number of installments.")
    .min(1, "A plan has at least 1 installment.")
    .max(60, "A plan has at most 60 installments."),
  /** Explicit installment amounts, minor units; omitted means equal installments with the remainder on the last. */
  installmentAmounts: z.array(z.number().int("Enter whole amounts in minor units.").positive("Each installment must be above zero.")).optional(),
  frequency: z.enum(["weekly", "biweekly", "monthly"], { error: "Choose weekly, every 2 weeks or monthly." }),
  /** The first installment's date (the clinic's calendar). */
  startDate: ZCalendarDate,
  /** The card on file to charge; omitted means the patient's default card. */
  savedPaymentMethodId: z.uuid("Choose one of the patient's cards.").optional(),
  /** No card on file yet: the patient is sent a link to add one, and nothing is charged until they do. */
  sendCardLink: z.boolean().default(false),
  reminderDaysBefore: z.number().int().min(0).max(30, "Remind at most 30 days before.").optional(),
});
export type TCreatePaymentPlanInput = z.input<typeof ZCreatePaymentPlanInput>;

export type PaymentPlanPreview = {
  patientId: string;
  currency: string;
  totalAmount: number;
  downPaymentAmount: number;
  installmentCount: number;
  frequency: "weekly" | "biweekly" | "monthly";
  startDate: string;
  reminderDaysBefore: number;
  card: { id: string; brand: string; last4: string; consentId: string } | null;
  invoices: { id: string; number: string | null; amount: number }[];
  schedule: ScheduledInstallment[];
};

function invalid(fields: FieldErrors): AppError {
  return new AppError("VALIDATION_FAILED", "The plan cannot be created as entered.", { fields });
}

/**
 * Checks a plan against the database and returns what it would be (its invoices oldest first, the
 * total they owe now, the schedule). Writes nothing. Inside createPaymentPlan it runs under the
 * invoices' row locks, so the total is what they owe at that moment.
 */
export async function previewPaymentPlan(
  db: Db | Tx,
  options: { organizationId: string; input: TCreatePaymentPlanInput; now: Date },
): Promise<PaymentPlanPreview> {
  const input = ZCreatePaymentPlanInput.parse(options.input);
  const settings = await getAutopaySettings(db, options.organizationId);
  const patient = await db.patient.findFirst({ where: { id: input.patientId, organizationId: options.organizationId }, select: { id: true } });
  if (!patient) throw new AppError("NOT_FOUND", "That patient does not exist.");
  const fields: FieldErrors = {};

  const candidates = await db.invoice.findMany({
    where: {
      organizationId: options.organizationId,
      patientId: input.patientId,
      status: { in: ["open", "partially_paid"] },
      ...(input.invoiceIds ? { id: { in: input.invoiceIds } } : {}),
    },
    select: { id: true, number: true, currency: true, amountDue: true, finalizedAt: true, dueDate: true },
  });
  if (input.invoiceIds && candidates.length !== new Set(input.invoiceIds).size) {
    fields.invoiceIds = ["Choose only open invoices of this patient."];
  }
  const inFlight = await db.payment.groupBy({
    by: ["invoiceId"],
    where: { organizationId: options.organizationId, invoiceId: { in: candidates.map((invoice) => invoice.id) }, status: { in: [...IN_FLIGHT_STATUSES] } },
    _sum: { amount: true },
  });
  const moving = new Map(inFlight.map((row) => [row.invoiceId, row._sum.amount ?? 0]));
  const time = (date: Date | null) => date?.getTime() ?? Number.MAX_SAFE_INTEGER;
  const invoices = candidates
    .map((invoice) => ({ ...invoice, amount: invoice.amountDue - (moving.get(invoice.id) ?? 0) }))
    .filter((invoice) => invoice.amount > 0)
    .sort((a, b) => time(a.finalizedAt) - time(b.finalizedAt) || time(a.dueDate) - time(b.dueDate) || (a.number ?? "").localeCompare(b.number ?? ""));
  const totalAmount = invoices.reduce((sum, invoice) => sum + invoice.amount, 0);
  if (totalAmount <= 0 && !fields.invoiceIds) fields.invoiceIds = ["This patient has no balance to put on a plan."];
  const currencies = new Set(invoices.map((invoice) => invoice.currency));
  if (currencies.size > 1) fields.invoiceIds = ["Choose invoices in one currency."];
  const currency = invoices[0]?.currency ?? "USD";

  const covered = await db.paymentPlanInvoice.findFirst({
    where: {
      organizationId: options.organizationId,
      invoiceId: { in: invoices.map((invoice) => invoice.id) },
      plan: { status: { in: [...LIVE_PLAN_STATUSES] } },
    },
    select: { invoice: { select: { number: true } } },
  });
  if (covered) fields.invoiceIds = [`${covered.invoice.number ?? "An invoice"} is already on a payment plan.`];
  if (settings.maxPlanAmount !== null && totalAmount > settings.maxPlanAmount) {
    fields.invoiceIds = [
      `${formatMoney(totalAmount, currency)} is above the largest plan this clinic allows (${formatMoney(settings.maxPlanAmount, currency)}).`,
    ];
  }
  if (totalAmount > 0 && input.downPaymentAmount >= totalAmount) {
    fields.downPaymentAmount = [`The down payment must be less than the ${formatMoney(totalAmount, currency)} on the plan.`];
  }
  const financed = totalAmount - input.downPaymentAmount;
  if (input.installmentAmounts) {
    const sum = input.installmentAmounts.reduce((total, amount) => total + amount, 0);
    if (input.installmentAmounts.length !== input.installmentCount) {
      fields.installmentAmounts = [`Enter ${input.installmentCount} installment amounts.`];
    } else if (totalAmount > 0 && sum !== financed) {
      fields.installmentAmounts = [
        `The installments add up to ${formatMoney(sum, currency)}, but ${formatMoney(financed, currency)} is left after the down payment.`,
      ];
    }
  } else if (financed > 0 && financed < input.installmentCount) {
    fields.installmentCount = ["Too many installments for this amount."];
  }
  const today = todayIn(settings.timezone, options.now);
  if (input.startDate < today) fields.startDate = ["The first installment cannot be in the past."];

  let card: PaymentPlanPreview["card"] = null;
  const chargeable = await getChargeableCard(db, {
    organizationId: options.organizationId,
    patientId: input.patientId,
    savedPaymentMethodId: input.savedPaymentMethodId,
  });
  if (chargeable) card = { id: chargeable.id, brand: chargeable.brand, last4: chargeable.last4, consentId: chargeable.consentId };
  else if (input.savedPaymentMethodId) fields.savedPaymentMethodId = ["That card is not on file for this patient with their consent to charge it."];
  else if (!input.sendCardLink) fields.savedPaymentMethodId = ["Choose a card on file, or send the patient a link to add one."];

  if (Object.keys(fields).length > 0) throw invalid(fields);
  const schedule = buildPlanSchedule({
    totalAmount,
    downPaymentAmount: input.downPaymentAmount,
    installmentCount: input.installmentCount,
    frequency: input.frequency,
    startDate: input.startDate,
    today,
    installmentAmounts: input.installmentAmounts,
  });
  return {
    patientId: input.patientId,
    currency,
    totalAmount,
    downPaymentAmount: input.downPaymentAmount,
    installmentCount: input.installmentCount,
    frequency: input.frequency,
    startDate: input.startDate,
    reminderDaysBefore: input.reminderDaysBefore ?? settings.reminderDaysBefore,
    card,
    invoices: invoices.map((invoice) => ({ id: invoice.id, number: invoice.number, amount: invoice.amount })),
    schedule,
  };
}

/**
 * Creates a plan exactly as previewed, under the row locks of the patient's open invoices (so no
 * payment or second plan changes what they owe meanwhile): the plan, its invoices and its
 * installments (the down payment, if any, due today). Nothing is charged here: the caller runs
 * the autopay engine for the plan at once (`runAutopay` with `planId`) so the down payment goes
 * out now. All or nothing: bad input writes nothing.
 */
export async function createPaymentPlan(
  db: Db,
  options: { organizationId: string; actor: AuditActor; input: TCreatePaymentPlanInput; now: Date },
): Promise<{ planId: string; preview: PaymentPlanPreview }> {
  const input = ZCreatePaymentPlanInput.parse(options.input);
  return db.$transaction(async (tx) => {
    const open = await tx.invoice.findMany({
      where: { organizationId: options.organizationId, patientId: input.patientId, status: { in: ["open", "partially_paid"] } },
      select: { id: true },
      orderBy: { id: "asc" },
    });
    // The lock order of lib/db/locks.ts: several invoices in ascending id order.
    for (const invoice of open) await lockInvoiceRow(tx, { id: invoice.id, organizationId: options.organizationId });
    const preview = await previewPaymentPlan(tx, { organizationId: options.organizationId, input, now: options.now });
    const plan = await tx.paymentPlan.create({
      data: {
        organizationId: options.organizationId,
        patientId: preview.patientId,
        currency: preview.currency,
        totalAmount: preview.totalAmount,
        downPaymentAmount: preview.downPaymentAmount,
        installmentCount: preview.installmentCount,
        frequency: preview.frequency,
        startDate: fromIsoDate(preview.startDate),
        savedPaymentMethodId: preview.card?.id ?? null,
        reminderDaysBefore: preview.reminderDaysBefore,
        createdById: options.actor.userId,
        createdAt: options.now,
      },
    });
    await tx.paymentPlanInvoice.createMany({
      data: preview.invoices.map((invoice) => ({
        planId: plan.id,
        invoiceId: invoice.id,
        organizationId: options.organizationId,
        amountAtStart: invoice.amount,
      })),
    });
    await tx.paymentPlanInstallment.createMany({
      data: preview.schedule.map((line) => ({
        organizationId: options.organizationId,
        planId: plan.id,
        sequence: line.sequence,
        dueDate: fromIsoDate(line.dueDate),
        scheduledAmount: line.amount,
      })),
    });
    if (!preview.card && input.sendCardLink) {
      // The patient's card link: they add a card there, and what is overdue by then is charged at once (lib/autopay/recover-plans).
      const link = await patientCardLink(tx, { organizationId: options.organizationId, patientId: preview.patientId, now: options.now });
      await queueAutopayEmail(tx, {
        organizationId: options.organizationId,
        patientId: preview.patientId,
        invoiceId: preview.invoices[0]?.id ?? null,
        email: { kind: "autopay_card_link", amount: preview.totalAmount, currency: preview.currency, link },
      });
    }
    await recordAuditEvent(tx, {
      organizationId: options.organizationId,
      actor: options.actor,
      action: "payment_plan.created",
      target: { type: "payment_plan", id: plan.id },
      after: {
        patientId: preview.patientId,
        totalAmount: preview.totalAmount,
        downPaymentAmount: preview.downPaymentAmount,
        installmentCount: preview.installmentCount,
        frequency: preview.frequency,
        startDate: preview.startDate,
        invoiceIds: preview.invoices.map((invoice) => invoice.id),
        card: preview.card ? `${preview.card.brand} ${preview.card.last4}` : null,
      },
    });
    return { planId: plan.id, preview };
  });
}
