import { AppError } from "@/lib/errors";
import {
  ACCEPTING_CATEGORIES,
  CLAIM_STATUS_CATEGORIES,
  CLAIM_STATUS_CODES,
  ENTITY_IDENTIFIER_CODES,
  REJECTING_CATEGORIES,
  describeCode,
} from "./acknowledgment-codes";
import { checkEnvelopes } from "./check-structure";
import { elementOf, readOrExplain, readX12, transactionSetsOf, type X12Interchange, type X12ReadSegment } from "./read-x12";
import { x12AmountToCents } from "./x12-amount";

/** One STC composite (STC01, STC10 or STC11): category, status detail and whom it concerns, in words. */
export type ClaimStatus = {
  categoryCode: string;
  category: string;
  statusCode: string;
  status: string;
  entityCode: string | null;
  entity: string | null;
  /** STC02 as YYYY-MM-DD. */
  effectiveDate: string | null;
  /** STC03: WQ accepted, U rejected (when sent). */
  actionCode: string | null;
  /** STC04 in cents. */
  chargeCents: number | null;
};

export type ClaimOutcome = "accepted" | "rejected" | "pending";

export type ServiceLineStatus = { procedureCode: string; chargeCents: number | null; lineItemControlNumber: string | null; statuses: ClaimStatus[] };

export type ClaimAcknowledgment = {
  /** TRN02 at the patient level: CLM01 of the 837, Carebill's claim number. */
  patientControlNumber: string;
  /** REF*1K: the payer's claim control number, needed later to correct or void the claim. */
  payerClaimControlNumber: string | null;
  /** REF*D9: the clearinghouse's trace number. */
  clearinghouseTraceNumber: string | null;
  patientLastName: string;
  patientFirstName: string;
  memberId: string | null;
  billingProviderNpi: string | null;
  /** DTP*472 as YYYY-MM-DD (the first day for a range). */
  serviceDate: string | null;
  outcome: ClaimOutcome;
  statuses: ClaimStatus[];
  serviceLines: ServiceLineStatus[];
  /** Rejection reasons, one sentence each (empty when accepted). */
  reasons: string[];
};

export type Read277CAResult = {
  senderId: string;
  receiverId: string;
  interchangeControlNumber: string;
  /** TRN02 at the information receiver level: BHT03 of the 837 batch this answers. */
  batchReference: string | null;
  /** STC at the information receiver level (the batch as a whole). */
  batchStatuses: ClaimStatus[];
  /** STC at the billing provider level, with the provider's NPI. */
  providerStatuses: { npi: string | null; statuses: ClaimStatus[] }[];
  claims: ClaimAcknowledgment[];
  notes: string[];
};

const DESCRIPTION = "a 277CA claim acknowledgment";

function refuse(message: string): never {
  throw new AppError("VALIDATION_FAILED", message, { fields: { file: [message] } });
}

function toDate(value: string): string | null {
  const day = value.split("-")[0] ?? "";
  return /^\d{8}$/.test(day) ? `${day.slice(0, 4)}-${day.slice(4, 6)}-${day.slice(6, 8)}` : null;
}

function readStatuses(stc: X12ReadSegment, interchange: X12Interchange): ClaimStatus[] {
  const separator = interchange.separators.component;
  const statuses: ClaimStatus[] = [];
  for (const position of [1, 10, 11]) {
    const value = elementOf(stc, position);
    if (value === "") continue;
    const [categoryCode = "", statusCode = "", entityCode = ""] = value.split(separator);
    if (!/^[A-Z][0-9A-Z]{1,3}$/.test(categoryCode)) {
      const other = [":", ">", "^", "|", "\\", "!"].find((character) => character !== separator && value.includes(character));
      refuse(
        other
          ? `STC${String(position).padStart(2, "0")} (segment ${stc.ordinal}) reads "${value}": the interchange declares "${separator}" as its component separator (ISA16), but this looks written with "${other}".`
          : `STC${String(position).padStart(2, "0")} (segment ${stc.ordinal}) reads "${value}", which is not a claim status category.`,
      );
    }
    statuses.push({
      categoryCode,
      category: describeCode(CLAIM_STATUS_CATEGORIES, categoryCode, "Status category"),
      statusCode,
      status: statusCode ? describeCode(CLAIM_STATUS_CODES, statusCode, "Claim status code") : "",
      entityCode: entityCode || null,
      entity: entityCode ? describeCode(ENTITY_IDENTIFIER_CODES, entityCode, "Entity") : null,
      effectiveDate: toDate(elementOf(stc, 2)),
      actionCode: elementOf(stc, 3) || null,
      chargeCents: x12AmountToCents(elementOf(stc, 4)),
    });
  }
  return statuses;
}

/** Rejected when any status rejects; accepted when a status accepts it into adjudication; pending otherwise (received, forwarded). */
export function outcomeOf(statuses: readonly ClaimStatus[]): ClaimOutcome {
  if (statuses.some((status) => REJECTING_CATEGORIES.has(status.categoryCode))) return "rejected";
  if (statuses.some((status) => ACCEPTING_CATEGORIES.has(status.categoryCode))) return "accepted";
  return "pending";
}

function reasonOf(status: ClaimStatus): string {
  const detail = status.statusCode ? `${status.status}${status.entity ? ` (${status.entity})` : ""}` : "";
  return `${status.category}${detail ? `: ${detail}` : ""} [${[status.categoryCode, status.statusCode, status.entityCode].filter(Boolean).join(":")}]`;
}

type Level = "source" | "receiver" | "provider" | "patient" | "other";

const LEVELS: Record<string, Level> = { "20": "source", "21": "receiver", "19": "provider", PT: "patient" };

function readSet(segments: X12ReadSegment[], interchange: X12Interchange, result: Read277CAResult): void {
  let level: Level = "other";
  let provider: { npi: string | null; statuses: ClaimStatus[] } | null = null;
  let claim: ClaimAcknowledgment | null = null;
  let line: ServiceLineStatus | null = null;
  const finishClaim = () => {
    if (claim) {
      claim.outcome = outcomeOf(claim.statuses);
      claim.reasons =
        claim.outcome === "rejected"
          ? [...claim.statuses, ...claim.serviceLines.flatMap((each) => each.statuses)]
              .filter((status) => !ACCEPTING_CATEGORIES.has(status.categoryCode))
              .map(reasonOf)
          : [];
      result.claims.push(claim);
    }
    claim = null;
    line = null;
  };

  for (const segment of segments) {
    switch (segment.id) {
      case "HL": {
        finishClaim();
        level = LEVELS[elementOf(segment, 3)] ?? "other";
        if (level === "provider") {
          provider = { npi: null, statuses: [] };
          result.providerStatuses.push(provider);
        }
        if (level === "patient") {
          claim = {
            patientControlNumber: "",
            payerClaimControlNumber: null,
            clearinghouseTraceNumber: null,
            patientLastName: "",
            patientFirstName: "",
            memberId: null,
            billingProviderNpi: provider?.npi ?? null,
            serviceDate: null,
            outcome: "pending",
            statuses: [],
            serviceLines: [],
            reasons: [],
          };
        }
        break;
      }
      case "NM1":
        if (level === "provider" && provider && elementOf(segment, 8) === "XX") provider.npi = elementOf(segment, 9);
        if (level === "patient" && claim) {
          claim.patientLastName = elementOf(segment, 3);
          claim.patientFirstName = elementOf(segment, 4);
          claim.memberId = elementOf(segment, 9) || null;
        }
        break;
      case "TRN":
        if (level === "receiver") result.batchReference = elementOf(segment, 2) || null;
        if (level === "patient" && claim) claim.patientControlNumber = elementOf(segment, 2);
        break;
      case "STC": {
        const statuses = readStatuses(segment, interchange);
        if (line) (line as ServiceLineStatus).statuses.push(...statuses);
        else if (claim) claim.statuses.push(...statuses);
        else if (level === "provider" && provider) provider.statuses.push(...statuses);
        else if (level === "receiver") result.batchStatuses.push(...statuses);
        break;
      }
      case "REF":
        if (claim && !line) {
          if (elementOf(segment, 1) === "1K") claim.payerClaimControlNumber = elementOf(segment, 2) || null;
          if (elementOf(segment, 1) === "D9") claim.clearinghouseTraceNumber = elementOf(segment, 2) || null;
        }
        if (line && elementOf(segment, 1) === "FJ") (line as ServiceLineStatus).lineItemControlNumber = elementOf(segment, 2) || null;
        break;
      case "DTP":
        if (claim && !line && elementOf(segment, 1) === "472") claim.serviceDate = toDate(elementOf(segment, 3));
        break;
      case "SVC":
        if (claim) {
          line = {
            procedureCode: elementOf(segment, 1).split(interchange.separators.component)[1] ?? "",
            chargeCents: x12AmountToCents(elementOf(segment, 2)),
            lineItemControlNumber: null,
            statuses: [],
          };
          claim.serviceLines.push(line);
        }
        break;
    }
  }
  finishClaim();
}

/**
 * Reads a 277CA (005010X214) claim acknowledgment: for each claim, found by its patient control
 * number (CLM01 of the 837), whether the payer or clearinghouse accepted it into adjudication or
 * rejected it, with each status category, status and entity in words. A file that is not a 277,
 * or whose status composites cannot be read, throws AppError VALIDATION_FAILED with one sentence.
 */
export function read277CA(text: string): Read277CAResult {
  return readOrExplain(DESCRIPTION, () => {
    const interchange = readX12(text);
    const isa = interchange.segments[0] as X12ReadSegment;
    const result: Read277CAResult = {
      senderId: elementOf(isa, 6).trim(),
      receiverId: elementOf(isa, 8).trim(),
      interchangeControlNumber: elementOf(isa, 13),
      batchReference: null,
      batchStatuses: [],
      providerStatuses: [],
      claims: [],
      notes: [...interchange.notes, ...checkEnvelopes(interchange).map((problem) => problem.message)],
    };
    for (const set of transactionSetsOf(interchange, "277", DESCRIPTION)) {
      // A 277 answering a claim status inquiry (005010X212) looks alike but says something else.
      const reference = elementOf(set.header, 3) || (set.group ? elementOf(set.group, 8) : "");
      if (reference && !reference.startsWith("005010X214"))
        refuse(`This 277 follows ${reference} (a claim status response), not 005010X214 (a 277CA claim acknowledgment).`);
      readSet(set.segments, interchange, result);
    }
    const unnamed = result.claims.find((claim) => claim.patientControlNumber === "");
    if (unnamed) refuse("A claim in this 277CA has no patient control number (TRN02 at the patient level), so it cannot be matched to a claim.");
    return result;
  });
}
