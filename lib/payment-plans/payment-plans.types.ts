import { z } from "zod";

export const PAYMENT_PLAN_STATUSES = ["active", "past_due", "paused", "completed", "canceled", "defaulted"] as const;

export const ZAutopayAttemptView = z.object({
  attempt: z.number().int(),
  status: z.enum(["scheduled", "processing", "succeeded", "failed", "canceled"]),
  scheduledFor: z.string().describe("ISO 8601 instant"),
  amount: z.number().int().nullable().describe("Minor units, decided when charged"),
  declineCode: z.string().nullable(),
  declineKind: z.enum(["soft", "hard", "authentication_required"]).nullable(),
  paymentId: z.string().nullable(),
});

export const ZInstallmentView = z.object({
  id: z.string(),
  sequence: z.number().int().describe("0 is the down payment"),
  dueDate: z.string().describe("YYYY-MM-DD, clinic calendar"),
  scheduledAmount: z.number().int(),
  paidAmount: z.number().int(),
  status: z.enum(["scheduled", "paid", "skipped", "failed", "canceled"]),
  attempts: z.array(ZAutopayAttemptView),
});

export const ZPaymentPlanSummary = z.object({
  id: z.string(),
  patientId: z.string(),
  status: z.enum(PAYMENT_PLAN_STATUSES),
  currency: z.string(),
  totalAmount: z.number().int(),
  downPaymentAmount: z.number().int(),
  installmentCount: z.number().int(),
  frequency: z.enum(["weekly", "biweekly", "monthly"]),
  startDate: z.string().describe("YYYY-MM-DD, clinic calendar"),
  /** What its invoices still owe now, minor units. */
  remainingAmount: z.number().int(),
  createdAt: z.string(),
});

export const ZPaymentPlanView = ZPaymentPlanSummary.extend({
  reminderDaysBefore: z.number().int(),
  card: z.object({ id: z.string(), brand: z.string(), last4: z.string(), expMonth: z.number().int(), expYear: z.number().int() }).nullable(),
  invoices: z.array(z.object({ id: z.string(), number: z.string().nullable(), amountAtStart: z.number().int(), amountDue: z.number().int() })),
  installments: z.array(ZInstallmentView),
  pausedAt: z.string().nullable(),
  canceledAt: z.string().nullable(),
  completedAt: z.string().nullable(),
  defaultedAt: z.string().nullable(),
});
export type PaymentPlanView = z.infer<typeof ZPaymentPlanView>;
export type PaymentPlanSummary = z.infer<typeof ZPaymentPlanSummary>;
