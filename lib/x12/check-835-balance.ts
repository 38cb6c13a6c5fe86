import { formatMoney } from "@/lib/money/currency";
import type { Adjustment835, ClaimPayment835, Read835Result, Remittance835, ServiceLinePayment835 } from "./read-835";

/**
 * Where an 835's own arithmetic fails:
 * - `claim`: CLP03 − CLP04 ≠ the claim's CAS plus its lines' CAS;
 * - `line`: SVC02 − SVC03 ≠ the line's CAS;
 * - `patient_responsibility`: CLP05 ≠ the claim's and lines' PR adjustments;
 * - `payment`: BPR02 ≠ the claims paid (CLP04) − the provider adjustments (PLB; positive takes money back).
 */
export type Imbalance835Kind = "claim" | "line" | "patient_responsibility" | "payment";

export type Imbalance835 = {
  kind: Imbalance835Kind;
  /** ST02 of the transaction set. */
  transactionSet: string;
  /** CLP01 (our claim number), null for `payment`. */
  patientControlNumber: string | null;
  /** 1-based service line within the claim, for `line`. */
  lineNumber: number | null;
  /** Ordinal of the segment that states the figure (CLP, SVC or BPR). */
  segment: number;
  /** What the 835 says the figure is, and what its parts add up to, in cents. */
  statedCents: number;
  computedCents: number;
  /** A biller's sentence: where, the figures, and the difference. */
  message: string;
};

function dollars(cents: number): string {
  return formatMoney(cents, "USD");
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

function adjustmentsTotal(adjustments: readonly Adjustment835[], group?: string): number {
  return sum(adjustments.filter((adjustment) => group === undefined || adjustment.groupCode === group).map((adjustment) => adjustment.amountCents));
}

function lineLabel(line: ServiceLinePayment835): string {
  const code = [line.procedure.code, ...line.procedure.modifiers].join("-");
  return `service line ${line.lineNumber} (${code}${line.serviceDateFrom ? ` on ${line.serviceDateFrom}` : ""})`;
}

function checkClaim(remittance: Remittance835, claim: ClaimPayment835, imbalances: Imbalance835[]): void {
  const base = { transactionSet: remittance.controlNumber, patientControlNumber: claim.patientControlNumber };
  const lineAdjustments = claim.serviceLines.flatMap((line) => line.adjustments);
  for (const line of claim.serviceLines) {
    const unpaid = line.chargeCents - line.paidCents;
    const adjusted = adjustmentsTotal(line.adjustments);
    if (unpaid !== adjusted)
      imbalances.push({
        ...base,
        kind: "line",
        lineNumber: line.lineNumber,
        segment: line.segment,
        statedCents: unpaid,
        computedCents: adjusted,
        message: `Claim ${claim.patientControlNumber}, ${lineLabel(line)}: charged ${dollars(line.chargeCents)} and paid ${dollars(line.paidCents)}, so ${dollars(unpaid)} should be explained by adjustments, but the line's adjustments add up to ${dollars(adjusted)} (${dollars(unpaid - adjusted)} unexplained).`,
      });
  }
  const unpaid = claim.chargeCents - claim.paidCents;
  const adjusted = adjustmentsTotal(claim.adjustments) + adjustmentsTotal(lineAdjustments);
  if (unpaid !== adjusted)
    imbalances.push({
      ...base,
      kind: "claim",
      lineNumber: null,
      segment: claim.segment,
      statedCents: unpaid,
      computedCents: adjusted,
      message: `Claim ${claim.patientControlNumber}: charged ${dollars(claim.chargeCents)} and paid ${dollars(claim.paidCents)}, so ${dollars(unpaid)} should be explained by adjustments, but the claim's and its lines' adjustments add up to ${dollars(adjusted)} (${dollars(unpaid - adjusted)} unexplained).`,
    });
  const patientShare = adjustmentsTotal(claim.adjustments, "PR") + adjustmentsTotal(lineAdjustments, "PR");
  const stated = claim.patientResponsibilityCents ?? 0;
  if (stated !== patientShare)
    imbalances.push({
      ...base,
      kind: "patient_responsibility",
      lineNumber: null,
      segment: claim.segment,
      statedCents: stated,
      computedCents: patientShare,
      message: `Claim ${claim.patientControlNumber}: the patient's share is stated as ${dollars(stated)} (CLP05), but the patient responsibility (PR) adjustments add up to ${dollars(patientShare)} (a difference of ${dollars(stated - patientShare)}).`,
    });
}

/**
 * Checks an 835 against its own arithmetic, as the 005010X221A1 guide requires of the payer: per
 * service line, charge − paid = the line's adjustments; per claim, charge − paid = the claim's and
 * its lines' adjustments, and the patient responsibility (CLP05) = the PR adjustments; per
 * transaction set, the payment (BPR02) = the claims paid − the provider-level adjustments (a
 * positive PLB amount is money the payer keeps back, a negative one money it adds). Returns every
 * imbalance with where it is and the amounts in words; an empty list means the file balances.
 */
export function check835Balance(remittance: Read835Result): Imbalance835[] {
  const imbalances: Imbalance835[] = [];
  for (const set of remittance.remittances) {
    for (const claim of set.claims) checkClaim(set, claim, imbalances);
    const claimsPaid = sum(set.claims.map((claim) => claim.paidCents));
    const providerAdjustments = sum(set.providerAdjustments.map((adjustment) => adjustment.amountCents));
    const computed = claimsPaid - providerAdjustments;
    const total = set.payment.creditDebit === "D" ? -set.payment.totalCents : set.payment.totalCents;
    if (total !== computed) {
      const plb =
        providerAdjustments === 0
          ? ""
          : providerAdjustments > 0
            ? ` less ${dollars(providerAdjustments)} the payer keeps back in provider adjustments (PLB)`
            : ` plus ${dollars(-providerAdjustments)} the payer adds in provider adjustments (PLB)`;
      imbalances.push({
        kind: "payment",
        transactionSet: set.controlNumber,
        patientControlNumber: null,
        lineNumber: null,
        segment: set.payment.segment,
        statedCents: total,
        computedCents: computed,
        message: `Payment ${set.trace.number}: the payment is ${dollars(total)} (BPR02), but the claims paid ${dollars(claimsPaid)}${plb}, which makes ${dollars(computed)} (a difference of ${dollars(total - computed)}).`,
      });
    }
  }
  return imbalances;
}
