import { AppError } from "@/lib/errors";
import type { EligibilityBenefitKind, EligibilityBenefitView } from "@/lib/insurance/insurance.types";
import { describeCode } from "./acknowledgment-codes";
import { checkEnvelopes } from "./check-structure";
import {
  ACTIVE_CODES,
  COVERAGE_LEVEL_CODES,
  ELIGIBILITY_INFORMATION_CODES,
  FOLLOW_UP_ACTION_CODES,
  INACTIVE_CODES,
  INSURANCE_TYPE_CODES,
  REJECT_REASON_CODES,
  SERVICE_TYPE_CODES,
  TIME_PERIOD_CODES,
} from "./eligibility-codes";
import { elementOf, readOrExplain, readX12, transactionSetsOf, x12DateToIso, type X12ReadSegment } from "./read-x12";
import { x12AmountToCents } from "./x12-amount";

export type CodeWithMeaning = { code: string; meaning: string };

export type Eligibility271Level = "payer" | "provider" | "subscriber" | "dependent";

/** An AAA segment: the payer could not answer (part of) the request. */
export type Rejection271 = {
  level: Eligibility271Level;
  /** AAA01: Y the request was valid but could not be processed, N it was not valid. */
  validRequest: boolean | null;
  reason: CodeWithMeaning;
  followUp: CodeWithMeaning | null;
  /** The whole rejection as one sentence, for staff. */
  message: string;
};

/** One EB segment: the shared view plus what the coverage writer needs to choose among them. */
export type Benefit271 = EligibilityBenefitView & {
  /** EB01. */
  informationCode: string;
  /** EB03 split at the repetition separator (empty when EB03 is empty: the benefit applies generally). */
  serviceTypeCodes: string[];
  /** EB04 and EB05 (the plan's name as the payer writes it). */
  insuranceType: string | null;
  planCoverage: string | null;
  /** EB06 as sent ("29" = remaining). */
  timePeriodCode: string | null;
};

export type Person271 = {
  level: "subscriber" | "dependent";
  /** TRN02 of the TRN*2 segments: our trace numbers echoed back (the key to the eligibility check). */
  traceNumbers: string[];
  /** TRN02 of TRN*1: the payer's own trace numbers. */
  payerTraceNumbers: string[];
  lastName: string | null;
  firstName: string | null;
  memberId: string | null;
  birthDate: string | null;
  sex: string | null;
  /** DTP at the person level (346 plan begin, 356 eligibility begin, 307 eligibility…): qualifier, words, date or range as YYYY-MM-DD. */
  dates: { qualifier: string; meaning: string; value: string }[];
  /** EB01 1–5 anywhere → true; only 6–8 → false; none → null (not said). */
  active: boolean | null;
  rejections: Rejection271[];
  benefits: Benefit271[];
};

/** One 271 transaction set. */
export type Response271 = {
  /** ST02. */
  controlNumber: string;
  /** BHT03: the 270's BHT03 echoed back. */
  reference: string;
  payer: { name: string; id: string | null } | null;
  provider: { name: string; id: string | null } | null;
  /** AAA at the payer or provider level: nothing about any person could be answered. */
  rejections: Rejection271[];
  people: Person271[];
};

export type Read271Result = {
  senderId: string;
  receiverId: string;
  interchangeControlNumber: string;
  responses: Response271[];
  /** Envelope slips that do not change the meaning (a wrong SE02 or count, a 4010-style ISA11). */
  notes: string[];
};

const DESCRIPTION = "a 271 eligibility response";

const DATE_QUALIFIERS: Record<string, string> = {
  "096": "Discharge",
  "102": "Issue",
  "152": "Effective date of change",
  "193": "Period start",
  "194": "Period end",
  "198": "Completion",
  "290": "Coordination of benefits",
  "291": "Plan",
  "292": "Benefit",
  "295": "Primary care provider",
  "304": "Latest visit or consultation",
  "307": "Eligibility",
  "318": "Added",
  "340": "COBRA begin",
  "341": "COBRA end",
  "342": "Premium paid to date begin",
  "343": "Premium paid to date end",
  "346": "Plan begin",
  "347": "Plan end",
  "356": "Eligibility begin",
  "357": "Eligibility end",
  "382": "Enrollment",
  "435": "Admission",
  "442": "Date of death",
  "458": "Certification",
  "472": "Service",
  "539": "Policy effective",
  "540": "Policy expiration",
  "636": "Date of last update",
  "771": "Status",
};

function refuse(message: string): never {
  throw new AppError("VALIDATION_FAILED", message, { fields: { file: [message] } });
}

function code(table: Record<string, string>, value: string, label: string): CodeWithMeaning {
  return { code: value, meaning: describeCode(table, value, label) };
}

function isoDate(value: string, where: string): string {
  if (!/^\d{8}$/.test(value)) refuse(`${where} is "${value}", not a date written CCYYMMDD.`);
  const date = x12DateToIso(value);
  if (date === null) refuse(`${where} is "${value}", which is not a calendar date.`);
  return date;
}

function dateValue(format: string, value: string, where: string): string {
  if (format === "D8") return isoDate(value, where);
  if (format === "RD8") {
    const [start = "", end = "", ...rest] = value.split("-");
    if (rest.length > 0) refuse(`${where} is "${value}", not a date range written CCYYMMDD-CCYYMMDD.`);
    return `${isoDate(start, where)} to ${isoDate(end, where)}`;
  }
  refuse(`${where} uses date format "${format}"; a 271 writes D8 or RD8.`);
}

/** "10.00" → 1000 cents, exactly (x12AmountToCents); refuses anything that is not an amount with at most two decimals. */
function cents(value: string, where: string): number {
  const amount = x12AmountToCents(value);
  if (amount === null) refuse(`${where} is "${value}", not an amount.`);
  if (Math.abs(amount) > 99_999_999_99) refuse(`${where} is "${value}", which is out of range.`);
  return amount;
}

/** EB08 is a decimal fraction (.2 = 20%); a value over 1 is read as whole percent (20 = 20%) and noted. */
function basisPoints(value: string, where: string, notes: string[]): number {
  if (!/^(\d+(\.\d*)?|\.\d+)$/.test(value)) refuse(`${where} is "${value}", not a percentage.`);
  const number = Number(value);
  if (number > 100) refuse(`${where} is "${value}", more than 100%.`);
  if (number > 1) {
    notes.push(`${where} is "${value}"; the guide writes a fraction (.2 for 20%), so it was read as ${value}%.`);
    return Math.round(number * 100);
  }
  return Math.round(number * 10_000);
}

function formatDollars(amount: number): string {
  const sign = amount < 0 ? "-" : "";
  const absolute = Math.abs(amount);
  return `${sign}$${Math.floor(absolute / 100).toLocaleString("en-US")}.${String(absolute % 100).padStart(2, "0")}`;
}

function benefitKind(informationCode: string, timePeriodCode: string | null): EligibilityBenefitKind {
  if (ACTIVE_CODES.has(informationCode)) return "active";
  if (INACTIVE_CODES.has(informationCode)) return "inactive";
  if (informationCode === "A") return "coinsurance";
  if (informationCode === "B") return "copay";
  if (informationCode === "C") return timePeriodCode === "29" ? "deductible_remaining" : "deductible";
  if (informationCode === "G") return timePeriodCode === "29" ? "out_of_pocket_remaining" : "out_of_pocket";
  return "other";
}

function describeBenefit(benefit: Omit<Benefit271, "description">, coverageLevelCode: string, messages: string[]): string {
  let text = describeCode(ELIGIBILITY_INFORMATION_CODES, benefit.informationCode, "Benefit code");
  if (coverageLevelCode) text += `, ${describeCode(COVERAGE_LEVEL_CODES, coverageLevelCode, "coverage level").toLowerCase()}`;
  if (benefit.serviceTypeLabel) text += `, for ${benefit.serviceTypeLabel}`;
  const values: string[] = [];
  if (benefit.amount !== null) values.push(formatDollars(benefit.amount));
  if (benefit.percentBasisPoints !== null) values.push(`${benefit.percentBasisPoints / 100}%`);
  if (values.length > 0) text += `: ${values.join(", ")}`;
  if (benefit.timePeriodCode === "27") text += " per visit";
  else if (benefit.timePeriod) text += ` (${benefit.timePeriod.toLowerCase()})`;
  if (benefit.inNetwork === true) text += ", in network";
  if (benefit.inNetwork === false) text += ", out of network";
  const plan = [benefit.insuranceType ? describeCode(INSURANCE_TYPE_CODES, benefit.insuranceType, "insurance type") : null, benefit.planCoverage]
    .filter(Boolean)
    .join(", ");
  if (plan) text += ` [${plan}]`;
  text += ".";
  for (const message of messages) text += ` ${message}`;
  return text;
}

function rejection(level: Eligibility271Level, segment: X12ReadSegment): Rejection271 {
  const reasonCode = elementOf(segment, 3);
  if (!reasonCode) refuse(`AAA (segment ${segment.ordinal}) has no reject reason (AAA03).`);
  const valid = elementOf(segment, 1);
  const followUpCode = elementOf(segment, 4);
  const reason = code(REJECT_REASON_CODES, reasonCode, "Reject reason");
  const followUp = followUpCode ? code(FOLLOW_UP_ACTION_CODES, followUpCode, "Follow-up action") : null;
  const where = { payer: "the payer", provider: "the provider", subscriber: "the subscriber", dependent: "the dependent" }[level];
  const message = `The payer could not answer about ${where}: ${reason.meaning} (code ${reasonCode}).${followUp ? ` ${followUp.meaning}.` : ""}`;
  return { level, validRequest: valid === "Y" ? true : valid === "N" ? false : null, reason, followUp, message };
}

type Benefit271Draft = { benefit: Omit<Benefit271, "description">; coverageLevelCode: string; messages: string[] };

function readResponse(header: X12ReadSegment, segments: X12ReadSegment[], separators: { component: string; repetition: string | null }, notes: string[]) {
  const bht = segments[0];
  if (!bht || bht.id !== "BHT") refuse(`The 271 transaction set ${elementOf(header, 2)} does not start with a BHT segment.`);
  const response: Response271 = { controlNumber: elementOf(header, 2), reference: elementOf(bht, 3), payer: null, provider: null, rejections: [], people: [] };
  let level: Eligibility271Level | null = null;
  let person: Person271 | null = null;
  let named = false;
  let draft: Benefit271Draft | null = null;
  let relatedEntity = false;
  const finishBenefit = () => {
    if (draft && person) person.benefits.push({ ...draft.benefit, description: describeBenefit(draft.benefit, draft.coverageLevelCode, draft.messages) });
    draft = null;
  };

  for (const segment of segments.slice(1)) {
    const where = (position: number) => `${segment.id}${String(position).padStart(2, "0")} (segment ${segment.ordinal})`;
    if (relatedEntity && segment.id !== "LE") {
      // 2120: the entity a benefit names (a primary care provider…): told in the benefit's words.
      if (segment.id === "NM1" && draft) {
        const name = [elementOf(segment, 4), elementOf(segment, 3)].filter(Boolean).join(" ");
        if (name) (draft as Benefit271Draft).messages.push(`Related entity: ${name}.`);
      }
      continue;
    }
    switch (segment.id) {
      case "HL": {
        finishBenefit();
        const levelCode = elementOf(segment, 3);
        if (levelCode === "20") level = "payer";
        else if (levelCode === "21") level = "provider";
        else if (levelCode === "22" || levelCode === "23") {
          level = levelCode === "22" ? "subscriber" : "dependent";
          person = {
            level,
            traceNumbers: [],
            payerTraceNumbers: [],
            lastName: null,
            firstName: null,
            memberId: null,
            birthDate: null,
            sex: null,
            dates: [],
            active: null,
            rejections: [],
            benefits: [],
          };
          response.people.push(person);
        } else refuse(`${where(3)} is "${levelCode}"; a 271 has levels 20 (payer), 21 (provider), 22 (subscriber) and 23 (dependent).`);
        if (level === "payer" || level === "provider") person = null;
        named = false;
        break;
      }
      case "TRN": {
        if (!person) refuse(`TRN (segment ${segment.ordinal}) comes before any subscriber or dependent.`);
        const trace = elementOf(segment, 2);
        if (!trace) refuse(`${where(2)} is empty: a trace number is required.`);
        if (elementOf(segment, 1) === "2") person.traceNumbers.push(trace);
        else person.payerTraceNumbers.push(trace);
        break;
      }
      case "NM1": {
        if (named || !level) break;
        named = true;
        const idQualifier = elementOf(segment, 8);
        const id = elementOf(segment, 9) || null;
        if (level === "payer") response.payer = { name: elementOf(segment, 3), id };
        else if (level === "provider") response.provider = { name: [elementOf(segment, 4), elementOf(segment, 3)].filter(Boolean).join(" "), id };
        else if (person) {
          person.lastName = elementOf(segment, 3) || null;
          person.firstName = elementOf(segment, 4) || null;
          if (idQualifier === "MI") person.memberId = id;
        }
        break;
      }
      case "AAA": {
        if (!level) refuse(`AAA (segment ${segment.ordinal}) comes before any HL.`);
        const found = rejection(level, segment);
        if (person) person.rejections.push(found);
        else response.rejections.push(found);
        break;
      }
      case "DMG": {
        if (!person || draft) break;
        if (elementOf(segment, 2)) person.birthDate = dateValue(elementOf(segment, 1) || "D8", elementOf(segment, 2), where(2));
        person.sex = elementOf(segment, 3) || null;
        break;
      }
      case "DTP": {
        const value = dateValue(elementOf(segment, 2), elementOf(segment, 3), where(3));
        if (!person || draft) break;
        const qualifier = elementOf(segment, 1);
        person.dates.push({ qualifier, meaning: describeCode(DATE_QUALIFIERS, qualifier, "Date"), value });
        break;
      }
      case "EB": {
        finishBenefit();
        if (!person) refuse(`EB (segment ${segment.ordinal}) comes before any subscriber or dependent.`);
        const informationCode = elementOf(segment, 1);
        if (!informationCode) refuse(`${where(1)} is empty: an EB segment must say what it tells.`);
        const serviceTypes = elementOf(segment, 3);
        const serviceTypeCodes = serviceTypes === "" ? [] : separators.repetition ? serviceTypes.split(separators.repetition) : [serviceTypes];
        const timePeriodCode = elementOf(segment, 6) || null;
        const levelCode = elementOf(segment, 2);
        const network = elementOf(segment, 12);
        draft = {
          coverageLevelCode: levelCode,
          messages: [],
          benefit: {
            kind: benefitKind(informationCode, timePeriodCode),
            informationCode,
            serviceTypeCodes,
            serviceTypeCode: serviceTypeCodes.length > 0 ? serviceTypeCodes.join(",") : null,
            serviceTypeLabel:
              serviceTypeCodes.length > 0 ? serviceTypeCodes.map((each) => describeCode(SERVICE_TYPE_CODES, each, "Service type")).join("; ") : null,
            coverageLevel: levelCode === "IND" || levelCode === "EMP" ? "individual" : levelCode === "FAM" ? "family" : null,
            insuranceType: elementOf(segment, 4) || null,
            planCoverage: elementOf(segment, 5) || null,
            timePeriodCode,
            timePeriod: timePeriodCode ? describeCode(TIME_PERIOD_CODES, timePeriodCode, "Time period") : null,
            amount: elementOf(segment, 7) ? cents(elementOf(segment, 7), where(7)) : null,
            percentBasisPoints: elementOf(segment, 8) ? basisPoints(elementOf(segment, 8), where(8), notes) : null,
            inNetwork: network === "Y" ? true : network === "N" ? false : null,
          },
        };
        if (ACTIVE_CODES.has(informationCode)) person.active = true;
        else if (INACTIVE_CODES.has(informationCode) && person.active !== true) person.active = false;
        break;
      }
      case "MSG": {
        const text = elementOf(segment, 1);
        if (draft && text) (draft as Benefit271Draft).messages.push(text.endsWith(".") ? text : `${text}.`);
        break;
      }
      case "LS":
        relatedEntity = true;
        break;
      case "LE":
        relatedEntity = false;
        break;
      default:
        break;
    }
  }
  if (relatedEntity) refuse(`The 271 transaction set ${response.controlNumber} opens a related-entity loop (LS) that is never closed (LE).`);
  finishBenefit();
  return response;
}

/**
 * Reads a 271 eligibility response (005010X279A1): per transaction set the payer, the provider, the
 * BHT03 reference and the rejections (AAA) at their levels, and per subscriber or dependent the trace
 * numbers (TRN*2 echoes the 270's TRN), whether coverage is active (EB01 1–5) and every EB segment as
 * a benefit in words (EB07 amounts in cents, EB08 as basis points, EB12 network). A file that is not a
 * 271, is cut short or is broken where it matters throws AppError VALIDATION_FAILED with one sentence;
 * envelope slips that do not change the meaning are returned in `notes`.
 */
export function read271(text: string): Read271Result {
  return readOrExplain(DESCRIPTION, () => {
    const interchange = readX12(text);
    const isa = interchange.segments[0] as X12ReadSegment;
    const problems = checkEnvelopes(interchange).map((problem) => problem.message);
    const cut = problems.find((problem) => /has no (SE|GE|IEA) trailer|comes before SE closed|starts before SE closed/.test(problem));
    if (cut) refuse(`The 271 is cut short or out of order: ${cut}`);
    const notes = [...interchange.notes, ...problems];
    const responses = transactionSetsOf(interchange, "271", DESCRIPTION).map((set) => readResponse(set.header, set.segments, interchange.separators, notes));
    return {
      senderId: elementOf(isa, 6).trim(),
      receiverId: elementOf(isa, 8).trim(),
      interchangeControlNumber: elementOf(isa, 13),
      responses,
      notes,
    };
  });
}
