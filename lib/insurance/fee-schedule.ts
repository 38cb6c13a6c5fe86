import { z } from "zod";
import type { Db, Tx } from "@/lib/db/client";
import { inTransaction } from "@/lib/db/in-transaction";
import type { PayerFeeSchedule } from "@/lib/db/generated/client";
import { recordAuditEvent, type AuditActor } from "@/lib/audit/record-audit-event";
import { AppError } from "@/lib/errors";
import { formatMoney, parseMoneyInput } from "@/lib/money/currency";
import { zSingleLineText } from "@/lib/validation/fields";

/** The largest allowed amount per unit a clinic may enter: $1,000,000.00. */
export const MAX_FEE_AMOUNT = 100_000_000;

/**
 * One fee schedule entry as a form sends it: a CPT/HCPCS code (5 letters or digits, upper-cased),
 * an optional modifier (2 letters or digits; blank: the amount holds whatever the line's modifiers)
 * and what the payer allows per unit: text in dollars as typed in a form ("85", "1,250.00"), or a
 * whole number of cents (what a parse of this schema gives back, so it can be parsed again).
 */
export const ZPayerFeeInput = z.strictObject({
  procedureCode: zSingleLineText()
    .toUpperCase()
    .refine((value) => value !== "", "Enter the procedure code (CPT or HCPCS), such as 99213.")
    .refine((value) => value === "" || /^[A-Z0-9]{5}$/.test(value), "A procedure code has 5 letters or digits, such as 99213 or G0439."),
  modifier: zSingleLineText()
    .toUpperCase()
    .refine((value) => /^([A-Z0-9]{2})?$/.test(value), "A modifier has 2 letters or digits, such as 25; leave it empty for any modifier.")
    .optional()
    .default(""),
  allowedAmount: z.union([z.string(), z.number()], "Enter the allowed amount in dollars, such as 85.00.").transform((value, context) => {
    const cents = typeof value === "number" ? value : parseMoneyInput(value, "USD");
    if (cents === null || !Number.isSafeInteger(cents) || cents <= 0 || cents > MAX_FEE_AMOUNT) {
      context.addIssue({
        code: "custom",
        message: `Enter the allowed amount per unit in dollars, such as 85.00: more than $0 and at most ${formatMoney(MAX_FEE_AMOUNT, "USD")}.`,
      });
      return z.NEVER;
    }
    return cents;
  }),
});
export type TPayerFeeInput = z.input<typeof ZPayerFeeInput>;

/** A fee schedule entry as the settings page shows it (amounts in cents). */
export type PayerFeeView = {
  id: string;
  procedureCode: string;
  /** null: any modifier (stored as ''). */
  modifier: string | null;
  /** Cents, per unit. */
  allowedAmount: number;
  updatedAt: string;
};

type Options = { organizationId: string; actor: AuditActor };

function toPayerFeeView(row: PayerFeeSchedule): PayerFeeView {
  return {
    id: row.id,
    procedureCode: row.procedureCode,
    modifier: row.modifier === "" ? null : row.modifier,
    allowedAmount: row.allowedAmount,
    updatedAt: row.updatedAt.toISOString(),
  };
}

const auditFields = (row: PayerFeeSchedule) => ({
  payerId: row.payerId,
  procedureCode: row.procedureCode,
  modifier: row.modifier,
  allowedAmount: row.allowedAmount,
});

/** The payer's id when it is one of the organization's (archived too), else NOT_FOUND: the same answer as an unknown id. */
async function assertPayerOfOrganization(db: Db | Tx, options: { organizationId: string; payerId: string }): Promise<void> {
  const payer = await db.payer.findFirst({ where: { id: options.payerId, organizationId: options.organizationId }, select: { id: true } });
  if (!payer) throw new AppError("NOT_FOUND", "That payer does not exist.");
}

/** A payer's fee schedule by code, the any-modifier entry before the modifier-specific ones. Another clinic's payer is NOT_FOUND. */
export async function listPayerFeeSchedule(db: Db | Tx, options: { organizationId: string; payerId: string }): Promise<PayerFeeView[]> {
  await assertPayerOfOrganization(db, options);
  const rows = await db.payerFeeSchedule.findMany({
    where: { organizationId: options.organizationId, payerId: options.payerId },
    orderBy: [{ procedureCode: "asc" }, { modifier: "asc" }],
  });
  return rows.map(toPayerFeeView);
}

/**
 * Sets what the payer allows for a code (and modifier): a new entry, or the amount of the entry
 * that already has this code and modifier (one per payer, code and modifier). One audit event per
 * change; saving the same amount again changes nothing and records nothing.
 */
export async function upsertPayerFee(db: Db | Tx, options: Options & { payerId: string; input: TPayerFeeInput }): Promise<PayerFeeView & { created: boolean }> {
  const input = ZPayerFeeInput.parse(options.input);
  const { organizationId, payerId } = options;
  return inTransaction(db, async (tx) => {
    await assertPayerOfOrganization(tx, { organizationId, payerId });
    const key = { payerId, procedureCode: input.procedureCode, modifier: input.modifier };
    const before = await tx.payerFeeSchedule.findUnique({ where: { payerId_procedureCode_modifier: key } });
    if (before && before.allowedAmount === input.allowedAmount) return { ...toPayerFeeView(before), created: false };
    // An upsert, not create-or-update: two people saving the same code at once both succeed (the later amount stays).
    const row = await tx.payerFeeSchedule.upsert({
      where: { payerId_procedureCode_modifier: key },
      create: { organizationId, ...key, allowedAmount: input.allowedAmount },
      update: { allowedAmount: input.allowedAmount },
    });
    await recordAuditEvent(tx, {
      organizationId,
      actor: options.actor,
      action: before ? "payer_fee.updated" : "payer_fee.created",
      target: { type: "payer_fee", id: row.id },
      ...(before ? { before: auditFields(before) } : {}),
      after: auditFields(row),
    });
    return { ...toPayerFeeView(row), created: before === null };
  });
}

/** Removes one entry of the payer's fee schedule: its lines no longer count as underpaid. An entry of another payer or clinic is NOT_FOUND. */
export async function deletePayerFee(db: Db | Tx, options: Options & { payerId: string; feeId: string }): Promise<void> {
  const { organizationId, payerId } = options;
  await inTransaction(db, async (tx) => {
    const row = await tx.payerFeeSchedule.findFirst({ where: { id: options.feeId, payerId, organizationId } });
    if (!row) throw new AppError("NOT_FOUND", "That fee schedule entry does not exist.");
    await tx.payerFeeSchedule.delete({ where: { id: row.id } });
    await recordAuditEvent(tx, {
      organizationId,
      actor: options.actor,
      action: "payer_fee.deleted",
      target: { type: "payer_fee", id: row.id },
      before: auditFields(row),
    });
  });
}
