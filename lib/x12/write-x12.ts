import { AppError } from "@/lib/errors";
import { CAREBILL_SEPARATORS, describeSeparatorProblem, separatorCharacters, type X12Separators } from "./separators";

/** One element: text, nothing (written empty), or a composite's components in order. */
export type X12ElementValue = string | null | undefined | readonly (string | null | undefined)[];

/** A segment as the builders describe it: its id and its elements from 01 on. */
export type X12Segment = { id: string; elements: readonly X12ElementValue[] };

/** Shorthand for a segment: `segment("NM1", "85", "2", "CLINIC")`. */
export function segment(id: string, ...elements: X12ElementValue[]): X12Segment {
  return { id, elements };
}

/** The two ends of an interchange: an ISA qualifier (ZZ mutually defined, 30 tax id…) and an id of up to 15 characters. */
export type X12Party = { qualifier: string; id: string };

export type X12Envelope = {
  /** ISA05/ISA06 and ISA07/ISA08. */
  sender: X12Party;
  receiver: X12Party;
  /** GS02/GS03: the application codes the clearinghouse assigns (often the same as the ISA ids). */
  applicationSenderCode: string;
  applicationReceiverCode: string;
  /** ISA13/IEA02, 1 to 999999999; the caller allocates it and never reuses it with this receiver. */
  interchangeControlNumber: number;
  /** GS06/GE02, 1 to 999999999. */
  groupControlNumber: number;
  /** GS01: HC for claims. */
  functionalIdentifier: string;
  /** GS08 and each ST03, e.g. 005010X222A1. */
  implementationReference: string;
  /** ISA15: P production, T test. */
  usage: "P" | "T";
  /** ISA14: ask for a TA1 interchange acknowledgment. */
  acknowledgmentRequested: boolean;
  /** ISA09/ISA10 and GS04/GS05, written in timeZone (an IANA name; UTC if not given). */
  createdAt: Date;
  timeZone?: string;
};

export type X12TransactionSet = {
  /** ST01, e.g. 837. */
  transactionSetId: string;
  /** ST02/SE02, 1 to 999999999, unique within the group; written with at least 4 digits. */
  controlNumber: number;
  /** The segments between ST and SE. */
  segments: readonly X12Segment[];
};

export type WriteX12Options = {
  separators?: X12Separators;
  /** Put a line break after each segment terminator (readable; every clearinghouse we target accepts it). */
  lineBreaks?: boolean;
};

const ISA_WIDTHS = [2, 10, 2, 10, 2, 15, 2, 15, 6, 4, 1, 5, 9, 1, 1, 1] as const;
const MAX_CONTROL_NUMBER = 999_999_999;

function refuse(message: string, field: string): never {
  throw new AppError("VALIDATION_FAILED", message, { fields: { [field]: [message] } });
}

function position(id: string, elementIndex: number, componentIndex?: number): string {
  const element = `${id}${String(elementIndex + 1).padStart(2, "0")}`;
  return componentIndex === undefined ? element : `${element}-${componentIndex + 1}`;
}

function checkValue(value: string, where: string, reserved: readonly string[]): void {
  const separator = reserved.find((character) => value.includes(character));
  if (separator) refuse(`${where} contains "${separator}", which is a separator in this file: remove it from the data.`, where);
  if (/[\u0000-\u001f\u007f]/.test(value)) refuse(`${where} contains a control character (such as a line break), which X12 cannot carry.`, where);
}

function trimTrailingEmpty(values: readonly string[]): string[] {
  const result = [...values];
  while (result.length > 0 && result.at(-1) === "") result.pop();
  return result;
}

/**
 * One segment as text with its terminator. A value containing a separator is refused (X12 has no
 * escape), naming the element (NM103); trailing empty elements and components are left out.
 */
export function serializeSegment(segment: X12Segment, separators: X12Separators = CAREBILL_SEPARATORS): string {
  const reserved = separatorCharacters(separators);
  if (!/^[A-Z][A-Z0-9]{1,2}$/.test(segment.id)) refuse(`"${segment.id}" is not a segment id.`, "segment");
  const elements = segment.elements.map((value, elementIndex) => {
    if (value === null || value === undefined) return "";
    if (typeof value === "string") {
      checkValue(value, position(segment.id, elementIndex), reserved);
      return value;
    }
    const components = value.map((component, componentIndex) => {
      const text = component ?? "";
      checkValue(text, position(segment.id, elementIndex, componentIndex), reserved);
      return text;
    });
    return trimTrailingEmpty(components).join(separators.component);
  });
  return [segment.id, ...trimTrailingEmpty(elements)].join(separators.element) + separators.segment;
}

function checkControlNumber(value: number, name: string): void {
  if (!Number.isInteger(value) || value < 1 || value > MAX_CONTROL_NUMBER) {
    refuse(`The ${name} must be a whole number from 1 to ${MAX_CONTROL_NUMBER}; it is ${value}.`, name);
  }
}

function dateParts(date: Date, timeZone: string): { year: string; month: string; day: string; hour: string; minute: string } {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).formatToParts(date);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((candidate) => candidate.type === type)?.value ?? "";
  return { year: part("year"), month: part("month"), day: part("day"), hour: part("hour"), minute: part("minute") };
}

function isaField(value: string, width: number, name: string, separators: X12Separators): string {
  checkValue(value, name, separatorCharacters(separators));
  if (value.length > width) refuse(`${name} is at most ${width} characters; "${value}" has ${value.length}.`, name);
  return value.padEnd(width, " ");
}

/**
 * A complete interchange: ISA/GS, each transaction set between ST and SE, then GE/IEA, with the
 * counts the trailers carry (SE01 segments including ST and SE, GE01 transaction sets, IEA01
 * groups) computed here and the control numbers given by the caller repeated in the trailers.
 * The ISA is fixed-width (106 characters): each field is padded, and ISA11/ISA16 declare the
 * repetition and component separators this writer uses.
 */
export function writeInterchange(envelope: X12Envelope, transactionSets: readonly X12TransactionSet[], options: WriteX12Options = {}): string {
  const separators = options.separators ?? CAREBILL_SEPARATORS;
  const separatorProblem = describeSeparatorProblem(separators);
  if (separatorProblem) refuse(separatorProblem, "separators");
  if (transactionSets.length === 0) refuse("An interchange needs at least one transaction set.", "transactionSets");
  checkControlNumber(envelope.interchangeControlNumber, "interchange control number");
  checkControlNumber(envelope.groupControlNumber, "group control number");
  const seen = new Set<number>();
  for (const set of transactionSets) {
    checkControlNumber(set.controlNumber, "transaction set control number");
    if (seen.has(set.controlNumber))
      refuse(`Transaction set control number ${set.controlNumber} is used twice in one group.`, "transaction set control number");
    seen.add(set.controlNumber);
  }

  const when = dateParts(envelope.createdAt, envelope.timeZone ?? "UTC");
  const interchangeNumber = String(envelope.interchangeControlNumber).padStart(9, "0");
  const isaValues = [
    "00",
    "",
    "00",
    "",
    envelope.sender.qualifier,
    envelope.sender.id,
    envelope.receiver.qualifier,
    envelope.receiver.id,
    `${when.year.slice(2)}${when.month}${when.day}`,
    `${when.hour}${when.minute}`,
    separators.repetition,
    "00501",
    interchangeNumber,
    envelope.acknowledgmentRequested ? "1" : "0",
    envelope.usage,
    separators.component,
  ];
  const isa =
    [
      "ISA",
      ...isaValues.map((value, index) =>
        index === 10 || index === 15 ? value : isaField(value, ISA_WIDTHS[index] ?? 0, `ISA${String(index + 1).padStart(2, "0")}`, separators),
      ),
    ].join(separators.element) + separators.segment;

  const body: X12Segment[] = [
    segment(
      "GS",
      envelope.functionalIdentifier,
      envelope.applicationSenderCode,
      envelope.applicationReceiverCode,
      `${when.year}${when.month}${when.day}`,
      `${when.hour}${when.minute}`,
      String(envelope.groupControlNumber),
      "X",
      envelope.implementationReference,
    ),
  ];
  for (const set of transactionSets) {
    const controlNumber = String(set.controlNumber).padStart(4, "0");
    body.push(segment("ST", set.transactionSetId, controlNumber, envelope.implementationReference));
    body.push(...set.segments);
    body.push(segment("SE", String(set.segments.length + 2), controlNumber));
  }
  body.push(segment("GE", String(transactionSets.length), String(envelope.groupControlNumber)));
  body.push(segment("IEA", "1", interchangeNumber));

  const lineBreak = options.lineBreaks === false ? "" : "\n";
  return [isa, ...body.map((each) => serializeSegment(each, separators))].join(lineBreak) + lineBreak;
}
