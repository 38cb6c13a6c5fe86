import type { Db, Tx } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";
import { checkModifiers, checkProcedureCode } from "@/lib/insurance/identifiers";
import { toIsoDate, todayIn } from "@/lib/invoices/dates";
import { formatClaimNumber } from "./claim-number";
import { addressOf, coverageSubscriber, type TClaim837PInput } from "./claim-837p-parties";
import type { ClaimProblem } from "./claims.types";

/*
 * What the payers before this one decided about a claim (a secondary or tertiary claim carries it in
 * 2320/2330/2430): read from the prior claims' posted claim payments (remittance_claims).
 */

/**
 * The claim payments that are a payer's adjudication of a claim: posted ones. A payment taken back
 * by a reversal has status reversed; the reversal itself (CLP02 = 22) is posted but is no
 * adjudication, and the corrected payment that follows it posts as new.
 */
export const COUNTED_CLAIM_PAYMENTS = { status: "posted", NOT: { statusCode: "22" } } as const satisfies Prisma.RemittanceClaimWhereInput;

const PRIOR_CLAIM_INCLUDE = {
  coverage: { include: { payer: true } },
  patient: true,
  lines: { orderBy: { position: "asc" }, select: { id: true, position: true, visitChargeId: true, procedureCode: true, modifiers: true } },
  remittanceClaims: {
    where: COUNTED_CLAIM_PAYMENTS,
    orderBy: [{ postedAt: "asc" }, { id: "asc" }],
    include: {
      remittance: { select: { paidOn: true, producedOn: true, clearinghouseFile: { select: { importedAt: true } } } },
      lines: { orderBy: { position: "asc" }, include: { adjustments: { orderBy: { position: "asc" } } } },
      adjustments: { where: { remittanceLineId: null }, orderBy: { position: "asc" } },
    },
  },
} as const satisfies Prisma.ClaimInclude;
type PriorClaim = Prisma.ClaimGetPayload<{ include: typeof PRIOR_CLAIM_INCLUDE }>;

type OtherPayerInput = NonNullable<TClaim837PInput["otherPayers"]>[number];
type Adjustment = NonNullable<OtherPayerInput["adjustments"]>[number];
type LineAdjudicationInput = NonNullable<TClaim837PInput["serviceLines"][number]["adjudications"]>[number];

/** One line's adjudication by a prior payer, summed over its posted claim payments. */
export type PriorLineAdjudication = Omit<LineAdjudicationInput, "payerId">;

/** One prior payer's adjudication of its claim, summed over the claim's posted claim payments. */
export type PriorAdjudication = {
  claim: PriorClaim;
  /** At least one posted claim payment (else the payer has not answered, as far as Carebill knows). */
  posted: boolean;
  /** CLP04 summed (AMT*D). */
  paidCents: number;
  /** Claim-level CAS, same group and reason summed; a payer line matched to no line of the claim puts its CAS here. */
  adjustments: Adjustment[];
  /** CLP07 of the latest payment. */
  claimControlNumber: string | null;
  /** The latest payment's date (paid, else produced, else imported). */
  adjudicatedOn: string | null;
  /** By the prior claim's line id. */
  lines: Map<string, PriorLineAdjudication>;
};

function groupCodeOf(code: string): Adjustment["groupCode"] {
  return code as Adjustment["groupCode"];
}

/** The same group and reason summed, in the order first met; what sums to nothing is dropped. */
function mergeAdjustments(rows: readonly { groupCode: string; reasonCode: string; amount: number; quantity: Prisma.Decimal | null }[]): Adjustment[] {
  const merged = new Map<string, Adjustment>();
  for (const row of rows) {
    const key = `${row.groupCode}\n${row.reasonCode}`;
    const quantity = row.quantity === null ? undefined : Number(row.quantity.toString());
    const before = merged.get(key);
    if (!before) {
      merged.set(key, {
        groupCode: groupCodeOf(row.groupCode),
        reasonCode: row.reasonCode,
        amountCents: row.amount,
        ...(quantity !== undefined ? { quantity } : {}),
      });
      continue;
    }
    before.amountCents += row.amount;
    if (quantity !== undefined) before.quantity = (before.quantity ?? 0) + quantity;
  }
  return [...merged.values()].filter((adjustment) => adjustment.amountCents !== 0);
}

/** The day a remittance paid: BPR16, else DTM*405, else the day it was imported (in the clinic's time zone). */
function remittanceDate(remittance: PriorClaim["remittanceClaims"][number]["remittance"], timeZone: string): string {
  return toIsoDate(remittance.paidOn) ?? toIsoDate(remittance.producedOn) ?? todayIn(timeZone, remittance.clearinghouseFile.importedAt);
}

function summarize(claim: PriorClaim, timeZone: string): PriorAdjudication {
  const payments = claim.remittanceClaims;
  const claimLineIds = new Set(claim.lines.map((line) => line.id));
  const billed = new Map(claim.lines.map((line) => [line.id, line]));
  const claimLevel: Parameters<typeof mergeAdjustments>[0][number][] = [];
  const byLine = new Map<string, { rows: PriorClaim["remittanceClaims"][number]["lines"]; dates: string[] }>();
  let adjudicatedOn: string | null = null;
  for (const payment of payments) {
    const date = remittanceDate(payment.remittance, timeZone);
    if (adjudicatedOn === null || date > adjudicatedOn) adjudicatedOn = date;
    claimLevel.push(...payment.adjustments);
    for (const line of payment.lines) {
      if (!line.claimLineId || !claimLineIds.has(line.claimLineId)) {
        // Paid within CLP04 already; its adjustments stay on the claim rather than on a line they were not about.
        claimLevel.push(...line.adjustments);
        continue;
      }
      const entry = byLine.get(line.claimLineId) ?? { rows: [], dates: [] };
      entry.rows.push(line);
      entry.dates.push(date);
      byLine.set(line.claimLineId, entry);
    }
  }
  const lines = new Map<string, PriorLineAdjudication>();
  for (const [claimLineId, { rows, dates }] of byLine) {
    const latest = rows.at(-1)!;
    const own = billed.get(claimLineId)!;
    // SVD03 is the procedure as the payer adjudicated it (SVC01), when it is a HCPCS/CPT code we can write; else the one billed.
    const code = latest.procedureQualifier === "HC" ? checkProcedureCode(latest.procedureCode) : null;
    const modifiers = checkModifiers(latest.modifiers);
    const adjudicated = code?.ok && modifiers.ok;
    lines.set(claimLineId, {
      paidCents: rows.reduce((sum, row) => sum + row.paidAmount, 0),
      procedureCode: adjudicated ? code.value : own.procedureCode,
      modifiers: adjudicated ? modifiers.value : own.modifiers,
      units: Math.max(...rows.map((row) => Number(row.units.toString()))),
      adjustments: mergeAdjustments(rows.flatMap((row) => row.adjustments)),
      adjudicatedOn: dates.reduce((latestDate, date) => (date > latestDate ? date : latestDate)),
    });
  }
  return {
    claim,
    posted: payments.length > 0,
    paidCents: payments.reduce((sum, payment) => sum + payment.paidAmount, 0),
    adjustments: mergeAdjustments(claimLevel),
    claimControlNumber: payments.findLast((payment) => payment.payerClaimControlNumber)?.payerClaimControlNumber ?? null,
    adjudicatedOn,
    lines,
  };
}

/**
 * The adjudications of every claim before the given ones (a tertiary claim's secondary and, before
 * it, the primary), by claim id: each prior claim with its coverage, payer, patient, lines and
 * posted claim payments, summed.
 */
export async function loadPriorAdjudications(
  db: Db | Tx,
  options: { organizationId: string; priorClaimIds: readonly (string | null)[]; timeZone: string },
): Promise<Map<string, PriorAdjudication>> {
  const found = new Map<string, PriorAdjudication>();
  let next = [...new Set(options.priorClaimIds.filter((id): id is string => id !== null))];
  // Each step goes one payer further back; a chain is never longer than the coverages' priorities (3), 10 guards a loop.
  for (let depth = 0; next.length > 0 && depth < 10; depth++) {
    const rows = await db.claim.findMany({ where: { id: { in: next }, organizationId: options.organizationId }, include: PRIOR_CLAIM_INCLUDE });
    for (const row of rows) found.set(row.id, summarize(row, options.timeZone));
    next = [...new Set(rows.map((row) => row.priorClaimId).filter((id): id is string => id !== null && !found.has(id)))];
  }
  return found;
}

/** The claims before this one, the nearest first (a tertiary claim: its secondary, then the primary). */
export function priorChain(priorClaimId: string | null, adjudications: ReadonlyMap<string, PriorAdjudication>): PriorAdjudication[] {
  const chain: PriorAdjudication[] = [];
  const seen = new Set<string>();
  for (let id = priorClaimId; id && !seen.has(id);) {
    seen.add(id);
    const prior = adjudications.get(id);
    if (!prior) break;
    chain.push(prior);
    id = prior.claim.priorClaimId;
  }
  return chain;
}

type BilledLine = { visitChargeId: string | null; position: number; procedureCode: string };

/** The prior claim's line this line bills again: the same visit charge, else the same position and code (lines edited on either claim). */
function priorLineOf(line: BilledLine, prior: PriorClaim): PriorClaim["lines"][number] | undefined {
  if (line.visitChargeId) {
    const same = prior.lines.find((candidate) => candidate.visitChargeId === line.visitChargeId);
    if (same) return same;
  }
  return prior.lines.find((candidate) => candidate.position === line.position && candidate.procedureCode === line.procedureCode);
}

const RESPONSIBILITY = { 1: "P", 2: "S", 3: "T" } as const;
const PAYER_ORDER = { 1: "primary", 2: "secondary", 3: "tertiary" } as const;

/**
 * 2320/2330A/2330B for each payer before this claim's (the primary first) and, per line, their
 * 2430, from the prior claims' posted payments. A line the prior payer did not adjudicate on its own
 * has no 2430 of it; that payer's 2330B then carries the remittance date.
 */
export function otherPayersInput(
  claim: { priorClaimId: string | null; lines: readonly BilledLine[] },
  adjudications: ReadonlyMap<string, PriorAdjudication>,
): { otherPayers: OtherPayerInput[]; lineAdjudications: LineAdjudicationInput[][] } {
  const chain = priorChain(claim.priorClaimId, adjudications).sort((a, b) => a.claim.coverage.priority - b.claim.coverage.priority);
  const lineAdjudications: LineAdjudicationInput[][] = claim.lines.map(() => []);
  const otherPayers = chain.map((prior): OtherPayerInput => {
    const { coverage } = prior.claim;
    const payer = coverage.payer;
    const subscriber = coverageSubscriber(coverage, prior.claim.patient);
    let everyLine = true;
    claim.lines.forEach((line, index) => {
      const priorLine = priorLineOf(line, prior.claim);
      const adjudication = priorLine ? prior.lines.get(priorLine.id) : undefined;
      if (!adjudication) {
        everyLine = false;
        return;
      }
      lineAdjudications[index]!.push({ payerId: payer.payerId, ...adjudication });
    });
    const payerAddress = addressOf({
      line1: payer.addressLine1,
      line2: payer.addressLine2,
      city: payer.city,
      state: payer.state,
      postalCode: payer.postalCode,
    });
    return {
      payerResponsibility: RESPONSIBILITY[coverage.priority as 1 | 2 | 3] ?? "P",
      relationshipCode: coverage.relationshipCode as OtherPayerInput["relationshipCode"],
      ...(coverage.groupNumber ? { groupNumber: coverage.groupNumber } : {}),
      ...(coverage.groupName ? { groupName: coverage.groupName } : {}),
      claimFilingIndicator: payer.claimFilingIndicator as OtherPayerInput["claimFilingIndicator"],
      benefitsAssignmentCertified: coverage.benefitsAssigned as "Y" | "N" | "W",
      adjustments: prior.adjustments,
      paidCents: prior.paidCents,
      subscriber: {
        lastName: subscriber.lastName,
        firstName: subscriber.firstName,
        ...(subscriber.middleName ? { middleName: subscriber.middleName } : {}),
        memberId: subscriber.memberId,
        ...(subscriber.address ? { address: subscriber.address } : {}),
      },
      payer: {
        name: payer.name,
        payerId: payer.payerId,
        ...(payerAddress ? { address: payerAddress } : {}),
        ...(prior.claimControlNumber ? { claimControlNumber: prior.claimControlNumber } : {}),
      },
      ...(!everyLine && prior.adjudicatedOn ? { adjudicatedOn: prior.adjudicatedOn } : {}),
    };
  });
  return { otherPayers, lineAdjudications };
}

/** A claim to a later payer cannot go before each payer before it has answered (its claim payment posted). */
export function priorAdjudicationProblems(priorClaimId: string | null, adjudications: ReadonlyMap<string, PriorAdjudication>): ClaimProblem[] {
  if (!priorClaimId) return [];
  const chain = priorChain(priorClaimId, adjudications);
  if (chain.length === 0) return [{ path: "priorClaimId", message: "The claim to the payer before this one cannot be found." }];
  return chain
    .filter((prior) => !prior.posted)
    .map((prior) => {
      const order = PAYER_ORDER[prior.claim.coverage.priority as 1 | 2 | 3] ?? "prior";
      const number = formatClaimNumber(prior.claim.number);
      return {
        path: "priorClaimId",
        message: `The ${order} payer's remittance is not posted yet for claim ${number} (${prior.claim.coverage.payer.name}): this claim must carry what the ${order} payer paid and adjusted, so post that remittance first.`,
      };
    });
}
