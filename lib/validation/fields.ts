import { z } from "zod";

/**
 * The field schemas every boundary shares, and the messages zod writes when a schema gives none.
 * Importing this module installs those messages (z.config is global): every *.types.ts that
 * defines input schemas imports it, and so does lib/http/error-response.ts, which every route and
 * server action goes through.
 */

const LABELS: Record<string, string> = { q: "The search text", id: "ID" };

/** `lastName` → "Last name", `patientId` → "Patient ID"; a list item → "Item 2 of lines". */
function labelOf(path: readonly PropertyKey[]): string | null {
  const last = path.at(-1);
  if (last === undefined) return null;
  if (typeof last === "number") {
    const parent = path.at(-2);
    return `Item ${last + 1}${typeof parent === "string" ? ` of ${humanize(parent).toLowerCase()}` : ""}`;
  }
  const key = String(last);
  return LABELS[key] ?? humanize(key);
}

function humanize(key: string): string {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/[_-]+/g, " ")
    .trim()
    .toLowerCase()
    .replace(/\bid\b/g, "ID");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const EXPECTED: Record<string, string> = {
  string: "text",
  number: "a number",
  int: "a whole number",
  bigint: "a whole number",
  boolean: "true or false",
  array: "a list",
  object: "an object with fields",
  date: "a date",
  null: "null",
};

const FORMATS: Record<string, string> = {
  uuid: "a valid UUID",
  guid: "a valid UUID",
  datetime: "a date and time such as 2026-03-01T09:30:00Z",
  date: "a date such as 2026-03-01",
  url: "a web address (URL)",
  email: "an email address",
};

function list(values: readonly unknown[]): string {
  const shown = values.map((value) => (typeof value === "string" ? `"${value}"` : String(value)));
  return shown.length <= 1 ? (shown[0] ?? "") : `${shown.slice(0, -1).join(", ")} or ${shown.at(-1)}`;
}

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? "" : "s"}`;

/** A sentence for a person, for any issue whose schema did not say what to write. */
function describeIssue(issue: z.core.$ZodRawIssue): string | undefined {
  const label = labelOf(issue.path ?? []);
  const subject = label ?? "The request";
  switch (issue.code) {
    case "invalid_type":
      if (issue.input === undefined || issue.input === null) return label ? `${label} is required.` : "Send the request's fields as a JSON object.";
      if (!label && issue.expected === "object") return "Send the request's fields as a JSON object.";
      return `${subject} must be ${EXPECTED[issue.expected] ?? issue.expected}.`;
    case "too_small": {
      const minimum = Number(issue.minimum);
      if (issue.origin === "string") return minimum <= 1 ? `${subject} cannot be empty.` : `${subject} must be at least ${plural(minimum, "character")} long.`;
      if (issue.origin === "array" || issue.origin === "set") return `${subject} needs at least ${plural(minimum, "item")}.`;
      return issue.inclusive === false ? `${subject} must be greater than ${minimum}.` : `${subject} must be at least ${minimum}.`;
    }
    case "too_big": {
      const maximum = Number(issue.maximum);
      if (issue.origin === "string") return `${subject} must be at most ${plural(maximum, "character")} long.`;
      if (issue.origin === "array" || issue.origin === "set") return `${subject} can have at most ${plural(maximum, "item")}.`;
      return issue.inclusive === false ? `${subject} must be less than ${maximum}.` : `${subject} must be at most ${maximum}.`;
    }
    case "invalid_format":
      if (issue.format === "email") return "Enter a valid email address.";
      return FORMATS[issue.format] ? `${subject} must be ${FORMATS[issue.format]}.` : `${subject} is not in the expected format.`;
    case "not_multiple_of":
      return `${subject} must be a multiple of ${String(issue.divisor)}.`;
    case "invalid_value":
      return `${subject} must be ${list(issue.values)}.`;
    case "unrecognized_keys":
      return issue.keys.map(unrecognizedFieldMessage).join(" ");
    case "invalid_union":
      return `${subject} does not match any accepted form.`;
    case "invalid_key":
    case "invalid_element":
      return `${subject} contains an entry that is not valid.`;
    default:
      return `${subject} is not valid.`;
  }
}

z.config({ customError: describeIssue });

/** How a field the schema does not accept is reported, under that field's own name. */
export function unrecognizedFieldMessage(key: string): string {
  return `"${key}" is not a field this request accepts; remove it.`;
}

// C0 controls and DEL (and the C1 range), which no person types into a form: NUL alone makes
// PostgreSQL refuse the row (22021). Multi-line text keeps tab, line feed and carriage return.
const SINGLE_LINE_CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const MULTI_LINE_CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

/** Trimmed text on one line (names, references, search text) with no control characters. */
export function zSingleLineText() {
  return z
    .string()
    .trim()
    .refine((value) => !SINGLE_LINE_CONTROL.test(value), "Remove the control characters (such as NUL, tab or line breaks) from this text.");
}

/** Trimmed free text that may span lines (notes, reasons, memos) with no other control characters. */
export function zMultilineText() {
  return z
    .string()
    .trim()
    .refine((value) => !MULTI_LINE_CONTROL.test(value), "Remove the control characters (such as NUL) from this text; line breaks and tabs are fine.");
}

/** True for YYYY-MM-DD naming a day that exists (not 2026-02-30, not 2026-13-01). */
export function isCalendarDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

/**
 * A calendar date as YYYY-MM-DD that really exists. Checks added after it run on bad dates too
 * (zod runs every check; `abort` would break unions): guard them with isCalendarDate.
 */
export const ZCalendarDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "Use a date like 2026-03-01.")
  .refine((value) => !/^\d{4}-\d{2}-\d{2}$/.test(value) || isCalendarDate(value), "That date does not exist.");
