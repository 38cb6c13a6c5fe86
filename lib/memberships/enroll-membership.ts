import type Stripe from "stripe";
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { recordAuditEvent, type AuditActor } from "@/lib/audit/record-audit-event";
import { runAutopay } from "@/lib/autopay/run-autopay";
import { queueAutopayEmail } from "@/lib/autopay/queue-autopay-email";
import { patientCardLink } from "@/lib/card-links/create-card-link";
import { isUniqueViolation } from "@/lib/db/unique-violation";
import { AppError, type FieldErrors } from "@/lib/errors";
import { fromIsoDate, todayIn } from "@/lib/invoices/dates";
import { getChargeableCard } from "@/lib/payments/get-chargeable-card";
import { isCalendarDate, ZCalendarDate } from "@/lib/validation/fields";
import { getMembershipOrThrow } from "./get-membership";
import { LIVE_MEMBERSHIP_STATUSES, type MembershipView } from "./memberships.types";

export const ZEnrollMembershipInput = z.strictObject({
  patientId: z.uuid("Choose a patient."),
  membershipPlanId: z.uuid("Choose a membership plan."),
  /** The first period's start (the clinic's calendar): today or later. */
  startDate: ZCalendarDate,
  /** The card on file to charge; omitted means the patient's default card (saved with consent). */
  savedPaymentMethodId: z.uuid("Choose one of the patient's cards.").optional(),
  /** No card on file yet: the patient is emailed their card link, and nothing is charged until they add one. */
  sendCardLink: z.boolean().optional(),
});
export type TEnrollMembershipInput = z.input<typeof ZEnrollMembershipInput>;

const ALREADY_MEMBER = ["This patient is already a member of this plan."];

function invalid(fields: FieldErrors): AppError {
  return new AppError("VALIDATION_FAILED", "The patient cannot be enrolled as entered.", { fields });
}

/**
 * Enrolls a patient in a membership plan, all or nothing: the plan must take members (not
 * archived), the patient must not be a live member of it already (also kept by the
 * patient_memberships_one_live index against a concurrent enrollment), the start date today or
 * later, and a card on file with the patient's consent must be named or be their default, unless
 * the patient is sent their card link (then nothing is charged until they add a card). A start
 * today invoices and charges the first period at once (the engine, scoped to this membership: the
 * same code, key and consent rule as every renewal); a decline is shown in the membership, not thrown.
 */
export async function enrollMembership(
  db: Db,
  options: { organizationId: string; input: TEnrollMembershipInput; actor: AuditActor; now: Date; stripe?: Stripe },
): Promise<MembershipView> {
  const input = ZEnrollMembershipInput.parse(options.input);
  let membershipId: string;
  try {
    membershipId = await db.$transaction(async (tx) => {
      const organization = await tx.organization.findUniqueOrThrow({ where: { id: options.organizationId }, select: { timezone: true } });
      const patient = await tx.patient.findFirst({
        where: { id: input.patientId, organizationId: options.organizationId },
        select: { id: true, archivedAt: true },
      });
      if (!patient) throw new AppError("NOT_FOUND", "That patient does not exist.");
      const fields: FieldErrors = {};
      if (patient.archivedAt) fields.patientId = ["This patient is archived. Restore them before enrolling."];
      const plan = await tx.membershipPlan.findFirst({
        where: { id: input.membershipPlanId, organizationId: options.organizationId },
        select: { id: true, name: true, amount: true, currency: true, interval: true, archivedAt: true },
      });
      if (!plan) fields.membershipPlanId = ["Choose one of the clinic's membership plans."];
      else if (plan.archivedAt) fields.membershipPlanId = ["This membership plan is archived and takes no new members."];
      else {
        const live = await tx.patientMembership.count({
          where: { patientId: patient.id, membershipPlanId: plan.id, status: { in: [...LIVE_MEMBERSHIP_STATUSES] } },
        });
        if (live > 0) fields.membershipPlanId = ALREADY_MEMBER;
      }
      if (isCalendarDate(input.startDate) && input.startDate < todayIn(organization.timezone, options.now)) {
        fields.startDate = ["The membership cannot start in the past."];
      }
      const card = await getChargeableCard(tx, {
        organizationId: options.organizationId,
        patientId: patient.id,
        savedPaymentMethodId: input.savedPaymentMethodId,
      });
      if (!card && input.savedPaymentMethodId) fields.savedPaymentMethodId = ["That card is not on file for this patient with their consent to charge it."];
      else if (!card && !input.sendCardLink) fields.savedPaymentMethodId = ["Choose a card on file, or send the patient a link to add one."];
      if (Object.keys(fields).length > 0 || !plan) throw invalid(fields);

      const membership = await tx.patientMembership.create({
        data: {
          organizationId: options.organizationId,
          patientId: patient.id,
          membershipPlanId: plan.id,
          startDate: fromIsoDate(input.startDate),
          savedPaymentMethodId: input.savedPaymentMethodId ? card!.id : null,
          createdById: options.actor.userId,
          createdAt: options.now,
        },
      });
      if (!card) {
        const link = await patientCardLink(tx, { organizationId: options.organizationId, patientId: patient.id, now: options.now });
        await queueAutopayEmail(tx, {
          organizationId: options.organizationId,
          patientId: patient.id,
          invoiceId: null,
          email: { kind: "membership_card_link", amount: plan.amount, currency: plan.currency, interval: plan.interval, link },
        });
      }
      await recordAuditEvent(tx, {
        organizationId: options.organizationId,
        actor: options.actor,
        action: "membership.enrolled",
        target: { type: "membership", id: membership.id },
        after: {
          patientId: patient.id,
          membershipPlanId: plan.id,
          plan: plan.name,
          amount: plan.amount,
          interval: plan.interval,
          startDate: input.startDate,
          card: card ? `${card.brand} ${card.last4}` : null,
          cardLinkSent: !card,
        },
      });
      return membership.id;
    });
  } catch (error) {
    if (isUniqueViolation(error, "patient_memberships_one_live") || isUniqueViolation(error, "membership_plan_id")) {
      throw invalid({ membershipPlanId: ALREADY_MEMBER });
    }
    throw error;
  }
  await runAutopay(db, { now: options.now, stripe: options.stripe, organizationId: options.organizationId, membershipId });
  return getMembershipOrThrow(db, { organizationId: options.organizationId, membershipId, now: options.now });
}
