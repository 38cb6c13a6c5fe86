import { z } from "zod";
import { ZAutopayAttemptView } from "@/lib/payment-plans/payment-plans.types";

export const MEMBERSHIP_INTERVALS = ["monthly", "yearly"] as const;
export const MEMBERSHIP_STATUSES = ["active", "past_due", "paused", "canceled", "defaulted"] as const;
/** Memberships that still bill (or may again): one per patient and plan (the patient_memberships_one_live index). */
export const LIVE_MEMBERSHIP_STATUSES = ["active", "past_due", "paused"] as const;
export const MEMBERSHIP_PERIOD_STATUSES = ["open", "paid", "failed", "canceled"] as const;

export const ZMembershipPlanView = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  amount: z.number().int().describe("The price of one period, minor units"),
  currency: z.string(),
  interval: z.enum(MEMBERSHIP_INTERVALS),
  archivedAt: z.string().nullable().describe("ISO 8601 instant; archived plans take no new members"),
  activeMembers: z.number().int().describe("Live memberships (active, past due, paused)"),
});
export type MembershipPlanView = z.infer<typeof ZMembershipPlanView>;

export const ZMembershipCardView = z.object({ id: z.string(), brand: z.string(), last4: z.string(), expMonth: z.number().int(), expYear: z.number().int() });

export const ZMembershipSummary = z.object({
  id: z.string(),
  patientId: z.string(),
  patientName: z.string(),
  membershipPlanId: z.string(),
  planName: z.string(),
  amount: z.number().int().describe("The plan's current price per period, minor units"),
  currency: z.string(),
  interval: z.enum(MEMBERSHIP_INTERVALS),
  status: z.enum(MEMBERSHIP_STATUSES),
  startDate: z.string().describe("YYYY-MM-DD, clinic calendar"),
  currentPeriodStart: z.string().nullable().describe("YYYY-MM-DD: the latest invoiced period's start"),
  currentPeriodEnd: z.string().nullable().describe("YYYY-MM-DD, exclusive: the latest invoiced period's end"),
  nextChargeDate: z.string().nullable().describe("YYYY-MM-DD: the next period's start, null when nothing more will be invoiced"),
  cancelAtPeriodEnd: z.boolean(),
  cancelRequestedBy: z.enum(["patient_online", "staff_on_behalf"]).nullable(),
  canceledAt: z.string().nullable(),
  card: ZMembershipCardView.nullable().describe("The card charged (its own, else the patient's default with consent)"),
});
export type MembershipSummary = z.infer<typeof ZMembershipSummary>;

export const ZMembershipPeriodView = z.object({
  id: z.string(),
  sequence: z.number().int(),
  periodStart: z.string().describe("YYYY-MM-DD"),
  periodEnd: z.string().describe("YYYY-MM-DD, exclusive"),
  amount: z.number().int(),
  status: z.enum(MEMBERSHIP_PERIOD_STATUSES),
  invoiceId: z.string(),
  invoiceNumber: z.string().nullable(),
  paidAt: z.string().nullable(),
  attempts: z.array(ZAutopayAttemptView),
});
export type MembershipPeriodView = z.infer<typeof ZMembershipPeriodView>;

export const ZMembershipView = ZMembershipSummary.extend({
  periods: z.array(ZMembershipPeriodView).describe("Newest first"),
  refundableAmount: z.number().int().describe("What cancel now may refund: the current period's paid amount net of its refunds"),
  suggestedRefund: z.number().int().describe("The unused share of the current period by days, rounded down"),
});
export type MembershipView = z.infer<typeof ZMembershipView>;
