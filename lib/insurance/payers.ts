import { z } from "zod";
import type { Db, Tx } from "@/lib/db/client";
import { inTransaction } from "@/lib/db/in-transaction";
import type { Payer } from "@/lib/db/generated/client";
import { recordAuditEvent, type AuditActor } from "@/lib/audit/record-audit-event";
import { isUniqueViolation } from "@/lib/db/unique-violation";
import { AppError } from "@/lib/errors";
import { zSingleLineText } from "@/lib/validation/fields";
import { CLAIM_FILING_INDICATORS, type ClaimFilingIndicator } from "./insurance-codes";
import { zX12Text } from "./identifier-schemas";
import type { PayerView } from "./insurance.types";
import { toPostalAddressView, zPostalAddressInput } from "./postal-address-input";

export type { ClaimFilingIndicator };

const CLAIM_FILING_CODES = Object.keys(CLAIM_FILING_INDICATORS) as [ClaimFilingIndicator, ...ClaimFilingIndicator[]];

/** An insurer as the clearinghouse knows it: its payer id (2010BB NM109) and plan type (SBR09, never blank). */
export const ZPayerInput = z.strictObject({
  name: zX12Text(60),
  /** The clearinghouse's payer id: letters and digits, as published (e.g. 60054). */
  payerId: zSingleLineText()
    .toUpperCase()
    .refine((value) => value !== "", "Enter the payer id your clearinghouse lists for this insurer.")
    .refine((value) => value === "" || /^[A-Z0-9]{2,80}$/.test(value), "A payer id has 2 to 80 letters or digits, without spaces or dashes."),
  claimFilingIndicator: z.enum(CLAIM_FILING_CODES, { error: "Choose the plan type (claim filing indicator, such as CI commercial)." }),
  address: zPostalAddressInput().nullable().optional(),
});
export type TPayerInput = z.input<typeof ZPayerInput>;

type Options = { organizationId: string; actor: AuditActor };

const PAYER_ID_TAKEN = new AppError("VALIDATION_FAILED", "Another payer already has this payer id.", {
  fields: { payerId: ["Another payer of this clinic already has this payer id."] },
});

function toPayerView(payer: Payer, coverageCount: number): PayerView {
  const indicator = payer.claimFilingIndicator as ClaimFilingIndicator;
  return {
    id: payer.id,
    name: payer.name,
    payerId: payer.payerId,
    claimFilingIndicator: payer.claimFilingIndicator,
    claimFilingIndicatorLabel: CLAIM_FILING_INDICATORS[indicator] ?? payer.claimFilingIndicator,
    address: toPostalAddressView({ line1: payer.addressLine1, line2: payer.addressLine2, city: payer.city, state: payer.state, postalCode: payer.postalCode }),
    archivedAt: payer.archivedAt?.toISOString() ?? null,
    coverageCount,
  };
}

async function coverageCounts(db: Db | Tx, payerIds: string[]): Promise<Map<string, number>> {
  if (payerIds.length === 0) return new Map();
  const rows = await db.coverage.groupBy({ by: ["payerId"], where: { payerId: { in: payerIds }, archivedAt: null }, _count: { _all: true } });
  return new Map(rows.map((row) => [row.payerId, row._count._all]));
}

async function findPayerOrThrow(db: Db | Tx, options: { organizationId: string; payerId: string }): Promise<Payer> {
  const payer = await db.payer.findFirst({ where: { id: options.payerId, organizationId: options.organizationId } });
  if (!payer) throw new AppError("NOT_FOUND", "That payer does not exist.");
  return payer;
}

function payerData(input: z.output<typeof ZPayerInput>) {
  return {
    name: input.name,
    payerId: input.payerId,
    claimFilingIndicator: input.claimFilingIndicator,
    addressLine1: input.address?.line1 ?? null,
    addressLine2: input.address?.line2 ?? null,
    city: input.address?.city ?? null,
    state: input.address?.state ?? null,
    postalCode: input.address?.postalCode ?? null,
  };
}

/**
 * The organization's payers by name; archived ones only when asked (after the others). `query`
 * matches the name or the payer id, case-insensitively.
 */
export async function listPayers(db: Db | Tx, options: { organizationId: string; includeArchived?: boolean; query?: string }): Promise<PayerView[]> {
  const query = options.query?.trim();
  const payers = await db.payer.findMany({
    where: {
      organizationId: options.organizationId,
      ...(options.includeArchived ? {} : { archivedAt: null }),
      ...(query ? { OR: [{ name: { contains: query, mode: "insensitive" as const } }, { payerId: { contains: query, mode: "insensitive" as const } }] } : {}),
    },
    orderBy: [{ archivedAt: { sort: "asc", nulls: "first" } }, { name: "asc" }],
  });
  const counts = await coverageCounts(
    db,
    payers.map((payer) => payer.id),
  );
  return payers.map((payer) => toPayerView(payer, counts.get(payer.id) ?? 0));
}

/** One payer of the organization (archived too); 404 for another organization's. `payerId` is the record's id, not the clearinghouse's. */
export async function getPayerOrThrow(db: Db | Tx, options: { organizationId: string; payerId: string }): Promise<PayerView> {
  const payer = await findPayerOrThrow(db, options);
  return toPayerView(payer, (await coverageCounts(db, [payer.id])).get(payer.id) ?? 0);
}

/** Adds a payer. Its clearinghouse payer id is used once per clinic (archived payers included): a field error on payerId. */
export async function createPayer(db: Db | Tx, options: Options & { input: TPayerInput }): Promise<PayerView> {
  const input = ZPayerInput.parse(options.input);
  try {
    return await inTransaction(db, async (tx) => {
      const payer = await tx.payer.create({ data: { organizationId: options.organizationId, ...payerData(input) } });
      await recordAuditEvent(tx, {
        organizationId: options.organizationId,
        actor: options.actor,
        action: "payer.created",
        target: { type: "payer", id: payer.id },
        after: { name: payer.name, payerId: payer.payerId, claimFilingIndicator: payer.claimFilingIndicator },
      });
      return toPayerView(payer, 0);
    });
  } catch (error) {
    if (isUniqueViolation(error, "payer_id")) throw PAYER_ID_TAKEN;
    throw error;
  }
}

/** Replaces a payer's name, payer id, plan type and address. Claims already submitted keep what their files said. */
export async function updatePayer(db: Db | Tx, options: Options & { payerId: string; input: TPayerInput }): Promise<PayerView> {
  const input = ZPayerInput.parse(options.input);
  try {
    return await inTransaction(db, async (tx) => {
      const before = await findPayerOrThrow(tx, options);
      const payer = await tx.payer.update({ where: { id: before.id }, data: payerData(input) });
      await recordAuditEvent(tx, {
        organizationId: options.organizationId,
        actor: options.actor,
        action: "payer.updated",
        target: { type: "payer", id: payer.id },
        before: { name: before.name, payerId: before.payerId, claimFilingIndicator: before.claimFilingIndicator },
        after: { name: payer.name, payerId: payer.payerId, claimFilingIndicator: payer.claimFilingIndicator },
      });
      return toPayerView(payer, (await coverageCounts(tx, [payer.id])).get(payer.id) ?? 0);
    });
  } catch (error) {
    if (isUniqueViolation(error, "payer_id")) throw PAYER_ID_TAKEN;
    throw error;
  }
}

/** Archives a payer: its coverages and claims stay; new coverages cannot name it. Archiving twice changes nothing. */
export async function archivePayer(db: Db | Tx, options: Options & { payerId: string }): Promise<PayerView> {
  return inTransaction(db, async (tx) => {
    const before = await findPayerOrThrow(tx, options);
    const payer = before.archivedAt ? before : await tx.payer.update({ where: { id: before.id }, data: { archivedAt: new Date() } });
    if (payer !== before) {
      await recordAuditEvent(tx, {
        organizationId: options.organizationId,
        actor: options.actor,
        action: "payer.archived",
        target: { type: "payer", id: payer.id },
      });
    }
    return toPayerView(payer, (await coverageCounts(tx, [payer.id])).get(payer.id) ?? 0);
  });
}
