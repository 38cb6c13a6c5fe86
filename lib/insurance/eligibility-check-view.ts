import type { EligibilityCheck } from "@/lib/db/generated/client";
import type { EligibilityBenefitView, EligibilityCheckView } from "./insurance.types";

/** An eligibility check row as the screens and the API show it (shared by coverages and lib/insurance/eligibility). */
export function toEligibilityCheckView(check: EligibilityCheck): EligibilityCheckView {
  return {
    id: check.id,
    coverageId: check.coverageId,
    status: check.status,
    serviceTypeCodes: check.serviceTypeCodes,
    traceNumber: check.traceNumber,
    requestedAt: check.requestedAt.toISOString(),
    answeredAt: check.answeredAt?.toISOString() ?? null,
    sentAt: check.sentAt?.toISOString() ?? null,
    sendError: check.sendError,
    active: check.active,
    benefits: Array.isArray(check.benefits) ? (check.benefits as EligibilityBenefitView[]) : [],
    problems: Array.isArray(check.problems) ? check.problems.filter((problem): problem is string => typeof problem === "string") : [],
    requestedBy: check.requestedBy,
  };
}
