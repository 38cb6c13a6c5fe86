import { AppError } from "@/lib/errors";
import {
  ACKNOWLEDGMENT_CODES,
  ELEMENT_SYNTAX_ERRORS,
  FUNCTIONAL_GROUP_SYNTAX_ERRORS,
  SEGMENT_SYNTAX_ERRORS,
  TRANSACTION_SET_SYNTAX_ERRORS,
  describeCode,
} from "./acknowledgment-codes";
import { checkEnvelopes } from "./check-structure";
import { elementOf, readOrExplain, readX12, transactionSetsOf, type X12ReadSegment } from "./read-x12";

export type CodeWithMeaning = { code: string; meaning: string };

export type ElementError999 = {
  /** IK4-01: the element's position in the segment (and component, when given). */
  position: number;
  component: number | null;
  /** IK4-02: the data element reference number, when given. */
  dataElementReference: string | null;
  error: CodeWithMeaning;
  /** IK4-04: a copy of the bad value, when given. */
  badValue: string | null;
};

export type SegmentError999 = {
  /** IK3-01/02/03: which segment, its position in the transaction set, its loop. */
  segmentId: string;
  position: number | null;
  loopId: string | null;
  error: CodeWithMeaning;
  elementErrors: ElementError999[];
};

export type TransactionSetAcknowledgment = {
  /** AK2-01/02/03: the acknowledged transaction set (837) and its control number (ST02). */
  transactionSetId: string;
  controlNumber: string;
  implementationReference: string | null;
  outcome: "accepted" | "accepted_with_errors" | "rejected";
  status: CodeWithMeaning;
  /** IK5-02…06. */
  errors: CodeWithMeaning[];
  segmentErrors: SegmentError999[];
  /** Every problem as one sentence, for the claim history. */
  problems: string[];
};

export type Acknowledgment999 = {
  /** AK1: the acknowledged functional group (HC) and its control number (GS06 of the 837). */
  functionalIdentifier: string;
  groupControlNumber: string;
  version: string | null;
  outcome: "accepted" | "accepted_with_errors" | "partially_accepted" | "rejected";
  status: CodeWithMeaning;
  /** AK9-02/03/04. */
  transactionSetsIncluded: number | null;
  transactionSetsReceived: number | null;
  transactionSetsAccepted: number | null;
  /** AK9-05…09. */
  groupErrors: CodeWithMeaning[];
  transactionSets: TransactionSetAcknowledgment[];
};

export type Read999Result = {
  /** ISA06/ISA08 of the 999: who sent it (the clearinghouse) and to whom. */
  senderId: string;
  receiverId: string;
  interchangeControlNumber: string;
  acknowledgments: Acknowledgment999[];
  /** Envelope slips that do not change what the 999 says (a wrong IEA02, a 4010-style ISA11). */
  notes: string[];
};

const DESCRIPTION = "a 999 acknowledgment";

function code(table: Record<string, string>, value: string, label: string): CodeWithMeaning {
  return { code: value, meaning: describeCode(table, value, label) };
}

function nonEmpty(values: string[]): string[] {
  return values.filter((value) => value !== "");
}

function toNumber(value: string): number | null {
  return /^\d+$/.test(value) ? Number(value) : null;
}

function refuse(message: string): never {
  throw new AppError("VALIDATION_FAILED", message, { fields: { file: [message] } });
}

function outcomeOfSet(status: string): TransactionSetAcknowledgment["outcome"] {
  if (status === "A") return "accepted";
  if (status === "E") return "accepted_with_errors";
  return "rejected";
}

function outcomeOfGroup(status: string): Acknowledgment999["outcome"] {
  if (status === "A") return "accepted";
  if (status === "E") return "accepted_with_errors";
  if (status === "P") return "partially_accepted";
  return "rejected";
}

function describeProblems(set: Omit<TransactionSetAcknowledgment, "problems">): string[] {
  const problems = set.errors.map((error) => `Transaction set ${set.controlNumber}: ${error.meaning} (code ${error.code}).`);
  for (const segment of set.segmentErrors) {
    const where = `Segment ${segment.segmentId}${segment.position !== null ? ` at position ${segment.position}` : ""}${segment.loopId ? ` in loop ${segment.loopId}` : ""}`;
    problems.push(`${where}: ${segment.error.meaning} (code ${segment.error.code}).`);
    for (const element of segment.elementErrors) {
      const name = `${segment.segmentId}${String(element.position).padStart(2, "0")}${element.component !== null ? `-${element.component}` : ""}`;
      problems.push(`${name}: ${element.error.meaning} (code ${element.error.code})${element.badValue ? `, value "${element.badValue}"` : ""}.`);
    }
  }
  return problems;
}

function readAcknowledgment(segments: X12ReadSegment[], component: string): Acknowledgment999 {
  const ak1 = segments.find((segment) => segment.id === "AK1");
  if (!ak1) refuse("This 999 has no AK1 segment, so it does not say which group it acknowledges.");
  const ak9 = segments.find((segment) => segment.id === "AK9");
  if (!ak9) refuse("This 999 has no AK9 segment, so it does not say whether the group was accepted.");
  const groupStatus = elementOf(ak9, 1);
  if (!ACKNOWLEDGMENT_CODES[groupStatus]) refuse(`AK9-01 is "${groupStatus}", which is not an acknowledgment code (A, E, M, P, R, W or X).`);

  const sets: TransactionSetAcknowledgment[] = [];
  let current: Omit<TransactionSetAcknowledgment, "problems"> | null = null;
  let segmentError: SegmentError999 | null = null;
  const finish = () => {
    if (current) sets.push({ ...current, problems: describeProblems(current) });
    current = null;
    segmentError = null;
  };
  for (const segment of segments) {
    if (segment.id === "AK2") {
      finish();
      current = {
        transactionSetId: elementOf(segment, 1),
        controlNumber: elementOf(segment, 2),
        implementationReference: elementOf(segment, 3) || null,
        outcome: "rejected",
        status: code(ACKNOWLEDGMENT_CODES, "", "acknowledgment code"),
        errors: [],
        segmentErrors: [],
      };
    } else if (segment.id === "IK3") {
      if (!current) refuse(`IK3 (segment ${segment.ordinal}) comes before any AK2.`);
      segmentError = {
        segmentId: elementOf(segment, 1),
        position: toNumber(elementOf(segment, 2)),
        loopId: elementOf(segment, 3) || null,
        error: code(SEGMENT_SYNTAX_ERRORS, elementOf(segment, 4), "segment error code"),
        elementErrors: [],
      };
      current.segmentErrors.push(segmentError);
    } else if (segment.id === "IK4") {
      if (!segmentError) refuse(`IK4 (segment ${segment.ordinal}) comes before any IK3.`);
      const [position = "", componentPosition = ""] = elementOf(segment, 1).split(component);
      segmentError.elementErrors.push({
        position: toNumber(position) ?? 0,
        component: toNumber(componentPosition),
        dataElementReference: elementOf(segment, 2) || null,
        error: code(ELEMENT_SYNTAX_ERRORS, elementOf(segment, 3), "element error code"),
        badValue: elementOf(segment, 4) || null,
      });
    } else if (segment.id === "IK5") {
      if (!current) refuse(`IK5 (segment ${segment.ordinal}) comes before any AK2.`);
      const status = elementOf(segment, 1);
      if (!ACKNOWLEDGMENT_CODES[status] || status === "P")
        refuse(`IK5-01 is "${status}", which is not a transaction set acknowledgment code (A, E, M, R, W or X).`);
      current.status = code(ACKNOWLEDGMENT_CODES, status, "acknowledgment code");
      current.outcome = outcomeOfSet(status);
      current.errors = nonEmpty(segment.elements.slice(1, 6)).map((value) => code(TRANSACTION_SET_SYNTAX_ERRORS, value, "transaction set error code"));
      finish();
    }
  }
  if (current) refuse(`The AK2 for transaction set ${(current as { controlNumber: string }).controlNumber} has no IK5 saying whether it was accepted.`);

  return {
    functionalIdentifier: elementOf(ak1, 1),
    groupControlNumber: elementOf(ak1, 2),
    version: elementOf(ak1, 3) || null,
    outcome: outcomeOfGroup(groupStatus),
    status: code(ACKNOWLEDGMENT_CODES, groupStatus, "acknowledgment code"),
    transactionSetsIncluded: toNumber(elementOf(ak9, 2)),
    transactionSetsReceived: toNumber(elementOf(ak9, 3)),
    transactionSetsAccepted: toNumber(elementOf(ak9, 4)),
    groupErrors: nonEmpty(ak9.elements.slice(4, 9)).map((value) => code(FUNCTIONAL_GROUP_SYNTAX_ERRORS, value, "group error code")),
    transactionSets: sets,
  };
}

/**
 * Reads a 999 implementation acknowledgment into what happened to each functional group and each
 * transaction set of the 837 it answers, with every error code in words. A file that is not a
 * 999, or is broken where it matters, throws AppError VALIDATION_FAILED with one sentence.
 */
export function read999(text: string): Read999Result {
  return readOrExplain(DESCRIPTION, () => {
    const interchange = readX12(text);
    const isa = interchange.segments[0] as X12ReadSegment;
    const acknowledgments = transactionSetsOf(interchange, "999", DESCRIPTION).map((set) => readAcknowledgment(set.segments, interchange.separators.component));
    return {
      senderId: elementOf(isa, 6).trim(),
      receiverId: elementOf(isa, 8).trim(),
      interchangeControlNumber: elementOf(isa, 13),
      acknowledgments,
      notes: [...interchange.notes, ...checkEnvelopes(interchange).map((problem) => problem.message)],
    };
  });
}
