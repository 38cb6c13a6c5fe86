import { z } from "zod";
import type { Db, Tx } from "@/lib/db/client";
import type { MembershipPlan } from "@/lib/db/generated/client";
import { recordAuditEvent, type AuditActor } from "@/lib/audit/record-audit-event";
import { isUniqueViolation } from "@/lib/db/unique-violation";
import { AppError } from "@/lib/errors";
import { formatMoney } from "@/lib/money/currency";
import { minimumCardPayment } from "@/lib/money/card-minimum";
import { zMultilineText, zSingleLineText } from "@/lib/validation/fields";
import { LIVE_MEMBERSHIP_STATUSES, MEMBERSHIP_INTERVALS, type MembershipPlanView } from "./memberships.types";

export const MAX_MEMBERSHIP_AMOUNT = 10_000_000;

export const ZMembershipPlanInput = z.strictObject({
  name: zSingleLineText().min(1, "Enter a name.").max(120, "Keep the name under 120 characters."),
  description: zMultilineText().max(1000, "Keep the description under 1,000 characters.").optional(),
  /** The price of one period, minor units (at least the card minimum of the clinic's currency, checked against it). */
  amount: z
    .number({ error: "Enter the price in minor units (a whole number)." })
    .int("Enter a whole amount in minor units.")
    .positive("The price must be above zero.")
    .max(MAX_MEMBERSHIP_AMOUNT, "The price is too large."),
  interval: z.enum(MEMBERSHIP_INTERVALS, { error: "Choose monthly or yearly." }),
});
export type TMembershipPlanInput = z.input<typeof ZMembershipPlanInput>;

const NAME_TAKEN = new AppError("VALIDATION_FAILED", "A membership plan with this name already exists.", {
  fields: { name: ["Another membership plan already has this name."] },
});

type Options = { organizationId: string; actor: AuditActor };

function toView(plan: MembershipPlan, activeMembers: number): MembershipPlanView {
  return {
    id: plan.id,
    name: plan.name,
    description: plan.description,
    amount: plan.amount,
    currency: plan.currency,
    interval: plan.interval,
    archivedAt: plan.archivedAt?.toISOString() ?? null,
    activeMembers,
  };
}

async function liveMembersByPlan(db: Db | Tx, planIds: string[]): Promise<Map<string, number>> {
  const rows = await db.patientMembership.groupBy({
    by: ["membershipPlanId"],
    where: { membershipPlanId: { in: planIds }, status: { in: [...LIVE_MEMBERSHIP_STATUSES] } },
    _count: { _all: true },
  });
  return new Map(rows.map((row) => [row.membershipPlanId, row._count._all]));
}

async function assertChargeable(db: Db | Tx, organizationId: string, amount: number): Promise<string> {
  const organization = await db.organization.findUniqueOrThrow({ where: { id: organizationId }, select: { currency: true } });
  const minimum = minimumCardPayment(organization.currency);
  if (amount < minimum) {
    throw new AppError("VALIDATION_FAILED", "The price is below what a card can be charged.", {
      fields: { amount: [`Enter at least ${formatMoney(minimum, organization.currency)}.`] },
    });
  }
  return organization.currency;
}

/** One membership plan of the organization; 404 for another organization's. */
export async function getMembershipPlanOrThrow(db: Db | Tx, options: { organizationId: string; membershipPlanId: string }): Promise<MembershipPlanView> {
  const plan = await db.membershipPlan.findFirst({ where: { id: options.membershipPlanId, organizationId: options.organizationId } });
  if (!plan) throw new AppError("NOT_FOUND", "That membership plan does not exist.");
  return toView(plan, (await liveMembersByPlan(db, [plan.id])).get(plan.id) ?? 0);
}

/** Creates a plan in the organization's currency; a name already used (archived plans included) is a field error on name. */
export async function createMembershipPlan(db: Db, options: Options & { input: TMembershipPlanInput }): Promise<MembershipPlanView> {
  const input = ZMembershipPlanInput.parse(options.input);
  try {
    return await db.$transaction(async (tx) => {
      const currency = await assertChargeable(tx, options.organizationId, input.amount);
      const plan = await tx.membershipPlan.create({
        data: {
          organizationId: options.organizationId,
          name: input.name,
          description: input.description || null,
          amount: input.amount,
          currency,
          interval: input.interval,
        },
      });
      await recordAuditEvent(tx, {
        organizationId: options.organizationId,
        actor: options.actor,
        action: "membership_plan.created",
        target: { type: "membership_plan", id: plan.id },
        after: { name: plan.name, amount: plan.amount, currency, interval: plan.interval },
      });
      return toView(plan, 0);
    });
  } catch (error) {
    if (isUniqueViolation(error, "name")) throw NAME_TAKEN;
    throw error;
  }
}

/** Edits a plan. A price change applies to periods invoiced after it (each period keeps the price it was invoiced at). */
export async function updateMembershipPlan(db: Db, options: Options & { membershipPlanId: string; input: TMembershipPlanInput }): Promise<MembershipPlanView> {
  const input = ZMembershipPlanInput.parse(options.input);
  try {
    return await db.$transaction(async (tx) => {
      const before = await tx.membershipPlan.findFirst({ where: { id: options.membershipPlanId, organizationId: options.organizationId } });
      if (!before) throw new AppError("NOT_FOUND", "That membership plan does not exist.");
      await assertChargeable(tx, options.organizationId, input.amount);
      const plan = await tx.membershipPlan.update({
        where: { id: before.id },
        data: { name: input.name, description: input.description || null, amount: input.amount, interval: input.interval },
      });
      await recordAuditEvent(tx, {
        organizationId: options.organizationId,
        actor: options.actor,
        action: "membership_plan.updated",
        target: { type: "membership_plan", id: plan.id },
        before: { name: before.name, description: before.description, amount: before.amount, interval: before.interval },
        after: { name: plan.name, description: plan.description, amount: plan.amount, interval: plan.interval },
      });
      return toView(plan, (await liveMembersByPlan(tx, [plan.id])).get(plan.id) ?? 0);
    });
  } catch (error) {
    if (isUniqueViolation(error, "name")) throw NAME_TAKEN;
    throw error;
  }
}

async function setArchived(db: Db, options: Options & { membershipPlanId: string }, archived: boolean): Promise<MembershipPlanView> {
  return db.$transaction(async (tx) => {
    const before = await tx.membershipPlan.findFirst({ where: { id: options.membershipPlanId, organizationId: options.organizationId } });
    if (!before) throw new AppError("NOT_FOUND", "That membership plan does not exist.");
    const plan =
      (before.archivedAt !== null) === archived
        ? before
        : await tx.membershipPlan.update({ where: { id: before.id }, data: { archivedAt: archived ? new Date() : null } });
    if (plan !== before) {
      await recordAuditEvent(tx, {
        organizationId: options.organizationId,
        actor: options.actor,
        action: archived ? "membership_plan.archived" : "membership_plan.unarchived",
        target: { type: "membership_plan", id: plan.id },
      });
    }
    return toView(plan, (await liveMembersByPlan(tx, [plan.id])).get(plan.id) ?? 0);
  });
}

/** Archives a plan: it takes no new members; existing memberships go on. Archiving an archived plan changes nothing. */
export async function archiveMembershipPlan(db: Db, options: Options & { membershipPlanId: string }): Promise<MembershipPlanView> {
  return setArchived(db, options, true);
}

/** Offers an archived plan again. */
export async function unarchiveMembershipPlan(db: Db, options: Options & { membershipPlanId: string }): Promise<MembershipPlanView> {
  return setArchived(db, options, false);
}

/** The organization's plans by name (archived ones only when asked), each with its number of live members. */
export async function listMembershipPlans(db: Db | Tx, options: { organizationId: string; includeArchived?: boolean }): Promise<MembershipPlanView[]> {
  const plans = await db.membershipPlan.findMany({
    where: { organizationId: options.organizationId, ...(options.includeArchived ? {} : { archivedAt: null }) },
    orderBy: [{ archivedAt: { sort: "asc", nulls: "first" } }, { name: "asc" }],
  });
  const members = await liveMembersByPlan(
    db,
    plans.map((plan) => plan.id),
  );
  return plans.map((plan) => toView(plan, members.get(plan.id) ?? 0));
}
