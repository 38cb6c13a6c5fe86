import { AppError } from "@/lib/errors";
import { describeSeparatorProblem, type X12Separators } from "./separators";

/** A segment as read: its id, its elements from 01 on as written, and where it stands in the file. */
export type X12ReadSegment = {
  id: string;
  /** elements[0] is element 01. */
  elements: string[];
  /** 1-based ordinal of the segment in the file (ISA is 1). */
  ordinal: number;
};

export type X12Interchange = {
  /** Read from the ISA segment, never guessed. repetition is null when ISA11 is not a separator (4010-style "U"). */
  separators: Omit<X12Separators, "repetition"> & { repetition: string | null };
  segments: X12ReadSegment[];
  /** Things worth telling that do not stop reading (a 4010-style ISA11). */
  notes: string[];
};

const ISA_WIDTHS = [2, 10, 2, 10, 2, 15, 2, 15, 6, 4, 1, 5, 9, 1, 1, 1] as const;
const ISA_NAMES = [
  "authorization information qualifier",
  "authorization information",
  "security information qualifier",
  "security information",
  "sender id qualifier",
  "sender id",
  "receiver id qualifier",
  "receiver id",
  "date",
  "time",
  "repetition separator",
  "version",
  "control number",
  "acknowledgment requested",
  "usage indicator",
  "component separator",
] as const;

function malformed(message: string): never {
  throw new AppError("VALIDATION_FAILED", message, { fields: { file: [message] } });
}

/**
 * Splits an X12 interchange into segments, reading its separators from the fixed-width ISA
 * segment: the element separator is the 4th character, the component separator is ISA16, the
 * segment terminator is the character after it, the repetition separator is ISA11. A header that
 * is not 106 characters wide, or separators that collide, are reported (AppError
 * VALIDATION_FAILED, one sentence) rather than guessed around. Line breaks and spaces between
 * segments are ignored.
 */
export function readX12(text: string): X12Interchange {
  if (typeof text !== "string") malformed("The file is empty or not text.");
  const content = text.replace(/^\uFEFF/, "").trimStart();
  if (content === "") malformed("The file is empty.");
  if (!content.startsWith("ISA")) {
    const start = content.slice(0, 20).replace(/\s+/g, " ");
    malformed(`This is not an X12 interchange: it must start with an ISA segment, and it starts with "${start}".`);
  }
  if (content.length < 106) malformed("The file is too short to hold an ISA segment (106 characters).");
  const element = content.charAt(3);
  const isaElements: string[] = [];
  let cursor = 4;
  for (let index = 0; index < 16; index++) {
    const end = index === 15 ? cursor + 1 : content.indexOf(element, cursor);
    if (end < 0 || end > content.length)
      malformed(`The ISA segment is cut short at ISA${String(index + 1).padStart(2, "0")}: it needs 16 elements separated by "${element}".`);
    isaElements.push(content.slice(cursor, end));
    cursor = index === 15 ? end : end + 1;
  }
  for (const [index, value] of isaElements.entries()) {
    const width = ISA_WIDTHS[index] ?? 0;
    if (value.length !== width) {
      const name = `ISA${String(index + 1).padStart(2, "0")}`;
      malformed(
        `${name} (${ISA_NAMES[index]}) must be exactly ${width} character${width === 1 ? "" : "s"} wide; it is ${value.length} ("${value}"). The ISA segment is fixed-width, so its separators cannot be trusted.`,
      );
    }
  }
  const component = isaElements[15] ?? "";
  const segmentTerminator = content.charAt(cursor);
  if (segmentTerminator === "") malformed("The ISA segment has no segment terminator after ISA16.");
  const isa11 = isaElements[10] ?? "";
  const notes: string[] = [];
  let repetition: string | null = isa11;
  if (/[A-Za-z0-9]/.test(isa11)) {
    repetition = null;
    notes.push(
      `ISA11 is "${isa11}", the 4010 standards identifier; version ${isaElements[11]} expects the repetition separator there. No repetition separator is assumed.`,
    );
  }
  const problem = describeSeparatorProblem({ segment: segmentTerminator, element, component, repetition: repetition ?? "\u0001" });
  if (problem) malformed(`The ISA segment declares unusable separators: ${problem}`);

  const segments: X12ReadSegment[] = [];
  for (const raw of content.split(segmentTerminator)) {
    const trimmed = raw.replace(/^[\r\n\t ]+|[\r\n\t ]+$/g, "");
    if (trimmed === "") continue;
    const [id = "", ...elements] = trimmed.split(element);
    segments.push({ id, elements, ordinal: segments.length + 1 });
  }
  return { separators: { segment: segmentTerminator, element, component, repetition }, segments, notes };
}

/** Element `position` (1-based, as in NM103 → 3) of a segment, "" when absent. */
export function elementOf(segment: X12ReadSegment, position: number): string {
  return segment.elements[position - 1] ?? "";
}

/** The components of element `position`, split by the interchange's component separator. */
export function componentsOf(segment: X12ReadSegment, position: number, separators: Pick<X12Separators, "component">): string[] {
  return elementOf(segment, position).split(separators.component);
}

/** One transaction set of an interchange: its ST, the segments up to SE (exclusive) and its group's GS. */
export type X12ReadTransactionSet = { group: X12ReadSegment | null; header: X12ReadSegment; segments: X12ReadSegment[] };

/**
 * The transaction sets of an interchange that carry `transactionSetId` (999, 277…). A file whose
 * sets are all of another kind is refused with a sentence naming what it holds.
 */
export function transactionSetsOf(interchange: X12Interchange, transactionSetId: string, description: string): X12ReadTransactionSet[] {
  const sets: X12ReadTransactionSet[] = [];
  const kinds = new Set<string>();
  let group: X12ReadSegment | null = null;
  let current: X12ReadTransactionSet | null = null;
  for (const segment of interchange.segments) {
    if (segment.id === "GS") group = segment;
    else if (segment.id === "ST") {
      kinds.add(elementOf(segment, 1));
      current = { group, header: segment, segments: [] };
      if (elementOf(segment, 1) === transactionSetId) sets.push(current);
    } else if (segment.id === "SE") current = null;
    else if (current) current.segments.push(segment);
  }
  if (sets.length === 0) {
    const found = [...kinds].filter(Boolean);
    malformed(
      found.length === 0
        ? `This file holds no transaction set, so it is not ${description}.`
        : `This file holds ${found.join(", ")} transaction sets, not ${description}.`,
    );
  }
  return sets;
}

/**
 * Runs a reader so that malformed input ends as one AppError sentence naming the file kind, never
 * as a TypeError from deep inside: readers index into segments that a broken file may not have.
 */
export function readOrExplain<T>(description: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError("VALIDATION_FAILED", `The file could not be read as ${description}: it is malformed.`, {
      cause: error,
      fields: { file: [`The file could not be read as ${description}.`] },
    });
  }
}

/** An X12 date (CCYYMMDD) as YYYY-MM-DD, or null when it is not a calendar date written that way. */
export function x12DateToIso(value: string): string | null {
  const match = /^(\d{4})(\d{2})(\d{2})$/.exec(value);
  if (!match) return null;
  const [, year, month, day] = match;
  const date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  if (date.getUTCFullYear() !== Number(year) || date.getUTCMonth() !== Number(month) - 1 || date.getUTCDate() !== Number(day)) return null;
  return `${year}-${month}-${day}`;
}
