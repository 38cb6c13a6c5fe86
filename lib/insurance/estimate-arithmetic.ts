import { formatMoney } from "@/lib/money/currency";

/**
 * The arithmetic of a patient's estimated responsibility for a visit, without the database:
 * estimate.ts reads the coverage, the fee schedule and the charges, this decides what the patient
 * is expected to owe. Money in integer minor units; every fraction is rounded half-up to the cent.
 */

/** One service line as the estimate reads it. `units` has at most 3 decimals (VisitCharge.units). */
export type EstimateLine = { procedureCode: string; modifiers: string[]; units: number; chargeAmount: number };

/** A payer fee schedule entry: what the payer allows per unit for a code, '' modifier for any modifier. */
export type EstimateFee = { procedureCode: string; modifier: string; allowedAmount: number };

/** The plan's benefits that the estimate reads (CoverageBenefitsView's fields; null = not on file). */
export type EstimateBenefits = {
  copays: { visitType: string; label: string; amount: number }[];
  coinsuranceBasisPoints: number | null;
  deductibleIndividual: number | null;
  deductibleIndividualMet: number | null;
  deductibleFamily: number | null;
  deductibleFamilyMet: number | null;
  outOfPocketMaxIndividual: number | null;
  outOfPocketMaxIndividualMet: number | null;
  outOfPocketMaxFamily: number | null;
  outOfPocketMaxFamilyMet: number | null;
};

export type EstimatedLine = EstimateLine & {
  /** What the payer is expected to allow for the line (fee × units), or the charge when the fee schedule has no entry. */
  allowedAmount: number;
  /** Where the allowed amount comes from: the fee schedule entry for a modifier, the entry for any modifier, or the line's charge. */
  allowedFrom: { kind: "fee_schedule"; modifier: string } | { kind: "charge" };
};

export type EstimatePart = {
  kind: "copay" | "deductible" | "coinsurance" | "out_of_pocket_cap" | "not_estimated";
  /** The part in words, e.g. "Co-pay for an office visit $25.00". */
  words: string;
  /** What this part adds to (or, for the out-of-pocket cap, takes off) the patient's share; 0 for words only. */
  amount: number;
};

export type EstimateArithmetic =
  | { known: false; lines: EstimatedLine[]; allowedTotal: number; reason: string }
  | { known: true; lines: EstimatedLine[]; allowedTotal: number; parts: EstimatePart[]; total: number };

/** a × b / c rounded half-up, for non-negative integers (exact: a × b stays below 2^53 for the amounts used here). */
export function mulDivHalfUp(a: number, b: number, c: number): number {
  const product = a * b;
  if (!Number.isSafeInteger(product)) throw new Error(`mulDivHalfUp: ${a} × ${b} is not exact`);
  return Math.floor((2 * product + c) / (2 * c));
}

/** Units (at most 3 decimals) as thousandths, exactly. */
function milliUnits(units: number): number {
  return Math.round(units * 1000);
}

/**
 * The fee for a line: the entry for its code and first modifier, else the any-modifier ('') entry,
 * else none. The same choice as the underpaid queue (lib/remittances/underpaid.ts), so the allowed
 * amount expected here is the one a payment is checked against there.
 */
export function findFee(line: Pick<EstimateLine, "procedureCode" | "modifiers">, fees: readonly EstimateFee[]): EstimateFee | null {
  const forCode = fees.filter((fee) => fee.procedureCode === line.procedureCode);
  const first = line.modifiers[0];
  return (first ? forCode.find((fee) => fee.modifier === first) : undefined) ?? forCode.find((fee) => fee.modifier === "") ?? null;
}

/** Each line's allowed amount: the fee schedule's amount per unit × units (half-up to the cent), else the charge. */
export function allowLines(lines: readonly EstimateLine[], fees: readonly EstimateFee[]): EstimatedLine[] {
  return lines.map((line) => {
    const fee = findFee(line, fees);
    if (!fee) return { ...line, allowedAmount: line.chargeAmount, allowedFrom: { kind: "charge" } };
    return {
      ...line,
      allowedAmount: mulDivHalfUp(fee.allowedAmount, milliUnits(line.units), 1000),
      allowedFrom: { kind: "fee_schedule", modifier: fee.modifier },
    };
  });
}

/** What is left of a limit: the lower of the individual and family remainders that are on file (never below 0); null when neither is. */
function remaining(individual: number | null, individualMet: number | null, family: number | null, familyMet: number | null) {
  const candidates: { left: number; of: number; whose: "individual" | "family" }[] = [];
  if (individual !== null) candidates.push({ left: Math.max(0, individual - (individualMet ?? 0)), of: individual, whose: "individual" });
  if (family !== null) candidates.push({ left: Math.max(0, family - (familyMet ?? 0)), of: family, whose: "family" });
  if (candidates.length === 0) return null;
  return candidates.reduce((lowest, candidate) => (candidate.left < lowest.left ? candidate : lowest));
}

/** 2000 → "20 %", 1250 → "12.5 %". */
export function formatBasisPoints(basisPoints: number): string {
  return `${(basisPoints / 100).toLocaleString("en-US", { maximumFractionDigits: 2 })} %`;
}

/** "Office visit" → "an office visit"; "PCP visit" stays capitalized: "a PCP visit". */
function withArticle(label: string): string {
  const lowered = /^[A-Z][a-z]/.test(label) ? label.charAt(0).toLowerCase() + label.slice(1) : label;
  return `${/^[aeiou]/i.test(lowered) ? "an" : "a"} ${lowered}`;
}

/**
 * The patient's expected share of a visit under its plan:
 *
 * - the allowed amount per line (allowLines), summed;
 * - a co-pay for the visit type, once per visit, when the plan has one (never above the allowed total);
 * - otherwise the deductible remaining (deductible − met, never below 0; the lower of individual and
 *   family when both are on file) applied first, then coinsurance on the rest (0 % when the plan has
 *   a deductible but no coinsurance on file, said in words);
 * - the total never above the out-of-pocket maximum remaining.
 *
 * Not known (`known: false`, with the reason in words) when the plan has neither a co-pay for the
 * visit type, nor a deductible, nor coinsurance on file.
 */
export function computeEstimate(options: {
  lines: readonly EstimateLine[];
  fees: readonly EstimateFee[];
  benefits: EstimateBenefits;
  visitType?: string;
  currency: string;
}): EstimateArithmetic {
  const { benefits, currency } = options;
  const money = (amount: number) => formatMoney(amount, currency);
  const lines = allowLines(options.lines, options.fees);
  const allowedTotal = lines.reduce((sum, line) => sum + line.allowedAmount, 0);
  const copay = options.visitType ? benefits.copays.find((entry) => entry.visitType === options.visitType) : undefined;
  const deductible = remaining(benefits.deductibleIndividual, benefits.deductibleIndividualMet, benefits.deductibleFamily, benefits.deductibleFamilyMet);
  const parts: EstimatePart[] = [];

  if (copay) {
    const amount = Math.min(copay.amount, allowedTotal);
    const capped = amount < copay.amount ? ` (at most the visit's allowed ${money(allowedTotal)})` : "";
    parts.push({ kind: "copay", words: `Co-pay for ${withArticle(copay.label)} ${money(copay.amount)}${capped}`, amount });
  } else {
    if (!deductible && benefits.coinsuranceBasisPoints === null) {
      const reason = options.visitType
        ? "Benefits unknown: the plan has no co-pay for this visit type and no deductible or coinsurance on file."
        : "Benefits unknown: no deductible or coinsurance on file (choose the visit type to use a co-pay).";
      return { known: false, lines, allowedTotal, reason };
    }
    let rest = allowedTotal;
    if (deductible) {
      const applied = Math.min(deductible.left, rest);
      const family = deductible.whose === "family" ? " (family)" : "";
      parts.push({ kind: "deductible", words: `Deductible remaining${family} ${money(deductible.left)} of ${money(deductible.of)}`, amount: applied });
      rest -= applied;
    }
    if (benefits.coinsuranceBasisPoints !== null) {
      const amount = mulDivHalfUp(rest, benefits.coinsuranceBasisPoints, 10_000);
      parts.push({ kind: "coinsurance", words: `Coinsurance ${formatBasisPoints(benefits.coinsuranceBasisPoints)} of ${money(rest)}`, amount });
    } else if (rest > 0) {
      parts.push({ kind: "not_estimated", words: `No coinsurance on file: ${money(rest)} after the deductible is not counted`, amount: 0 });
    }
  }

  let total = parts.reduce((sum, part) => sum + part.amount, 0);
  const outOfPocket = remaining(
    benefits.outOfPocketMaxIndividual,
    benefits.outOfPocketMaxIndividualMet,
    benefits.outOfPocketMaxFamily,
    benefits.outOfPocketMaxFamilyMet,
  );
  if (outOfPocket && total > outOfPocket.left) {
    const family = outOfPocket.whose === "family" ? " (family)" : "";
    parts.push({
      kind: "out_of_pocket_cap",
      words: `Out-of-pocket maximum remaining${family} ${money(outOfPocket.left)} of ${money(outOfPocket.of)}`,
      amount: outOfPocket.left - total,
    });
    total = outOfPocket.left;
  }
  return { known: true, lines, allowedTotal, parts, total };
}
