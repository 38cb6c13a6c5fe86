import type { Benefit271 } from "@/lib/x12/read-271";
import type { TCoverageBenefitsInput } from "./coverage-benefits";
import type { CoverageBenefitsView } from "./insurance.types";

/** The plan-level service types: 30 (health benefit plan coverage), or none named (the benefit applies generally). */
const PLAN_LEVEL = ["30", ""];
/** Office visit co-pays: 98 (professional visit, office) first, then the plan level, then 1 (medical care). */
const OFFICE_VISIT = ["98", "30", "", "1"];
const URGENT_CARE = ["UC"];
const EMERGENCY = ["86"];

/** The limits of a plan year, as opposed to the remaining amount (29) or a lifetime (32, 33). */
const PLAN_YEAR_PERIODS = new Set([null, "21", "22", "23", "24", "25"]);

/**
 * The benefit of `kind` that best answers for the clinic: in network before "network not said" (an
 * out-of-network amount is never taken), then by the order of service types given.
 */
function pick(
  benefits: Benefit271[],
  kinds: Benefit271["kind"][],
  serviceTypes: string[],
  filter: (benefit: Benefit271) => boolean = () => true,
): Benefit271 | null {
  let best: { benefit: Benefit271; score: number } | null = null;
  for (const benefit of benefits) {
    if (!kinds.includes(benefit.kind) || benefit.inNetwork === false || !filter(benefit)) continue;
    const codes = benefit.serviceTypeCodes.length > 0 ? benefit.serviceTypeCodes : [""];
    const rank = Math.min(...codes.map((code) => (serviceTypes.includes(code) ? serviceTypes.indexOf(code) : Infinity)));
    if (rank === Infinity) continue;
    const score = rank * 2 + (benefit.inNetwork === true ? 0 : 1);
    if (!best || score < best.score) best = { benefit, score };
  }
  return best?.benefit ?? null;
}

type Limit = { max: number | null; met: number | null } | null;

/** A plan-year maximum and what is met of it (max − remaining, never below 0 or above max); null when the 271 gives no maximum. */
function limit(benefits: Benefit271[], kind: "deductible" | "out_of_pocket", coverageLevel: "individual" | "family"): Limit {
  const ofLevel = (benefit: Benefit271) => benefit.coverageLevel === coverageLevel && benefit.amount !== null;
  const max = pick(benefits, [kind], PLAN_LEVEL, (benefit) => ofLevel(benefit) && PLAN_YEAR_PERIODS.has(benefit.timePeriodCode));
  if (!max || max.amount === null || max.amount < 0) return null;
  const remaining = pick(benefits, [`${kind}_remaining`], PLAN_LEVEL, ofLevel);
  if (!remaining || remaining.amount === null) return { max: max.amount, met: null };
  return { max: max.amount, met: Math.min(max.amount, Math.max(0, max.amount - remaining.amount)) };
}

/**
 * The coverage's benefits after a 271: what the 271 tells replaces what the coverage had (office visit
 * co-pay, and urgent care and emergency co-pays when given; coinsurance; individual and family deductible
 * and out-of-pocket maximum with met = max − remaining, for service type 30 in network), and what it does
 * not tell is kept as it was (a manual entry is not wiped by a 271 that is silent about it). A maximum
 * without a remaining amount clears the met amount: it is no longer known.
 */
export function benefitsAfterEligibility(current: CoverageBenefitsView, benefits: Benefit271[]): TCoverageBenefitsInput {
  const copays = new Map(current.copays.map((copay) => [copay.visitType, { visitType: copay.visitType, label: copay.label, amount: copay.amount }]));
  for (const [visitType, label, serviceTypes] of [
    ["office", "Office visit", OFFICE_VISIT],
    ["urgent_care", "Urgent care", URGENT_CARE],
    ["emergency", "Emergency room", EMERGENCY],
  ] as const) {
    const copay = pick(benefits, ["copay"], serviceTypes, (benefit) => benefit.amount !== null && benefit.amount >= 0);
    if (copay?.amount !== null && copay?.amount !== undefined)
      copays.set(visitType, { visitType, label: copays.get(visitType)?.label ?? label, amount: copay.amount });
  }
  const coinsurance = pick(benefits, ["coinsurance"], PLAN_LEVEL, (benefit) => benefit.percentBasisPoints !== null && benefit.coverageLevel !== "family");
  const result: TCoverageBenefitsInput = {
    copays: [...copays.values()] as TCoverageBenefitsInput["copays"],
    coinsuranceBasisPoints: coinsurance?.percentBasisPoints ?? current.coinsuranceBasisPoints,
    deductibleIndividual: current.deductibleIndividual,
    deductibleIndividualMet: current.deductibleIndividualMet,
    deductibleFamily: current.deductibleFamily,
    deductibleFamilyMet: current.deductibleFamilyMet,
    outOfPocketMaxIndividual: current.outOfPocketMaxIndividual,
    outOfPocketMaxIndividualMet: current.outOfPocketMaxIndividualMet,
    outOfPocketMaxFamily: current.outOfPocketMaxFamily,
    outOfPocketMaxFamilyMet: current.outOfPocketMaxFamilyMet,
  };
  const apply = (found: Limit, maxField: keyof TCoverageBenefitsInput, metField: keyof TCoverageBenefitsInput) => {
    if (!found) return;
    Object.assign(result, { [maxField]: found.max, [metField]: found.met });
  };
  apply(limit(benefits, "deductible", "individual"), "deductibleIndividual", "deductibleIndividualMet");
  apply(limit(benefits, "deductible", "family"), "deductibleFamily", "deductibleFamilyMet");
  apply(limit(benefits, "out_of_pocket", "individual"), "outOfPocketMaxIndividual", "outOfPocketMaxIndividualMet");
  apply(limit(benefits, "out_of_pocket", "family"), "outOfPocketMaxFamily", "outOfPocketMaxFamilyMet");
  return result;
}
