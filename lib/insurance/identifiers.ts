/**
 * Format checks for the identifiers and codes an insurance claim carries. Each check takes what a
 * person typed and answers either the normalized value (the form an X12 file carries) or one
 * sentence that names the problem, so a form, the API and claim validation show the same words.
 * They check format only: an NPI that passes is well formed, not necessarily enrolled.
 */

import { CAREBILL_SEPARATORS, separatorCharacters } from "@/lib/x12/separators";

export type IdentifierCheck = { ok: true; value: string } | { ok: false; message: string };

const ok = (value: string): IdentifierCheck => ({ ok: true, value });
const problem = (message: string): IdentifierCheck => ({ ok: false, message });

/** People type spaces and dashes into identifiers; the forms below are compared without them. */
function compact(value: string): string {
  return value.replace(/[\s-]/g, "");
}

/** Luhn (mod 10) check over a string of digits whose last digit is the check digit. */
function passesLuhn(digits: string): boolean {
  let sum = 0;
  for (let index = 0; index < digits.length; index++) {
    let digit = Number(digits[digits.length - 1 - index]);
    if (index % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

/**
 * A National Provider Identifier: 10 digits whose last is a Luhn check digit computed over the
 * card-issuer prefix 80840 followed by the first nine digits (CMS, "NPI check digit").
 */
export function checkNpi(input: string): IdentifierCheck {
  const value = compact(input);
  if (value === "") return problem("Enter the NPI (10 digits).");
  if (!/^\d+$/.test(value)) return problem("An NPI has digits only.");
  if (value.length !== 10) return problem(`An NPI has 10 digits; this one has ${value.length}.`);
  if (!/^[12]/.test(value)) return problem("An NPI starts with 1 or 2.");
  if (!passesLuhn(`80840${value}`)) return problem("This NPI's check digit is wrong: look for a mistyped digit.");
  return ok(value);
}

// Prefixes the IRS assigns to EINs (its campuses and online application); others are never issued.
const EIN_PREFIXES = new Set(
  ["01-06", "10-16", "20-27", "30-48", "50-68", "71-77", "80-88", "90-95", "98-99"].flatMap((range) => {
    const [from = 0, to = -1] = range.split("-").map(Number);
    return Array.from({ length: to - from + 1 }, (_, offset) => String(from + offset).padStart(2, "0"));
  }),
);

/** An Employer Identification Number: 9 digits, typed as 123456789 or 12-3456789; normalized to digits. */
export function checkEin(input: string): IdentifierCheck {
  const value = input.trim();
  if (value === "") return problem("Enter the tax ID (EIN), such as 12-3456789.");
  if (!/^\d{2}-?\d{7}$/.test(value)) return problem("An EIN has 9 digits, written 12-3456789 or 123456789.");
  const digits = value.replace("-", "");
  if (!EIN_PREFIXES.has(digits.slice(0, 2))) return problem(`No EIN starts with ${digits.slice(0, 2)}: check the first two digits.`);
  return ok(digits);
}

/**
 * An ICD-10-CM diagnosis code: a letter, a digit, a letter or digit, then optionally a dot and up to
 * four more letters or digits (E11.9, S72.001A, C4A.0). Normalized to capitals without the dot,
 * the form X12 carries in HI (use formatIcd10Cm to show it to people).
 */
export function checkIcd10Cm(input: string): IdentifierCheck {
  const value = input.trim().toUpperCase();
  if (value === "") return problem("Enter the diagnosis code (ICD-10-CM), such as E11.9.");
  // Numeric codes (250.00, 401.9) are ICD-9-CM, which claims stopped using in October 2015.
  if (/^\d{3}(\.?\d{1,2})?$/.test(value)) return problem(`${value} looks like an ICD-9 code; claims use ICD-10-CM codes such as E11.9.`);
  if (!/^[A-Z]\d[A-Z0-9](\.?[A-Z0-9]{1,4})?$/.test(value)) {
    if (/\.$/.test(value)) return problem(`${value} ends with a dot: write the characters after it, or leave the dot out.`);
    return problem(`${value} is not an ICD-10-CM code: a letter, a digit, a letter or digit, then up to 4 more after an optional dot (such as E11.9).`);
  }
  return ok(value.replace(".", ""));
}

/** An ICD-10-CM code as people read it, with the dot after the third character (E119 → E11.9). */
export function formatIcd10Cm(code: string): string {
  const value = code.replace(".", "").toUpperCase();
  return value.length > 3 ? `${value.slice(0, 3)}.${value.slice(3)}` : value;
}

/**
 * A procedure code billed on a service line: CPT (5 digits; Category II ends in F, Category III in
 * T, proprietary laboratory analyses in U, after 4 digits) or HCPCS Level II (a letter and 4 digits).
 */
export function checkProcedureCode(input: string): IdentifierCheck {
  const value = input.trim().toUpperCase();
  if (value === "") return problem("Enter the procedure code (CPT or HCPCS), such as 99213.");
  if (/^\d{5}$/.test(value) || /^\d{4}[FTU]$/.test(value) || /^[A-Z]\d{4}$/.test(value)) return ok(value);
  return problem(`${value} is not a CPT or HCPCS code: use 5 digits (99213), 4 digits and F, T or U (0001F), or a letter and 4 digits (G0439).`);
}

/** A procedure modifier: 2 letters or digits (25, 59, GT, XU). */
export function checkModifier(input: string): IdentifierCheck {
  const value = input.trim().toUpperCase();
  if (/^[A-Z0-9]{2}$/.test(value)) return ok(value);
  return problem(`"${input.trim()}" is not a modifier: a modifier is 2 letters or digits, such as 25 or GT.`);
}

export const MAX_MODIFIERS = 4;

/** Up to four modifiers of one service line, each checked, none repeated. */
export function checkModifiers(inputs: readonly string[]): { ok: true; value: string[] } | { ok: false; message: string } {
  if (inputs.length > MAX_MODIFIERS) return { ok: false, message: `A service line has at most ${MAX_MODIFIERS} modifiers; this one has ${inputs.length}.` };
  const values: string[] = [];
  for (const input of inputs) {
    const check = checkModifier(input);
    if (!check.ok) return check;
    if (values.includes(check.value)) return { ok: false, message: `Modifier ${check.value} is listed twice.` };
    values.push(check.value);
  }
  return { ok: true, value: values };
}

/** A Health Care Provider Taxonomy code: 10 letters or digits, the last always X (207Q00000X). */
export function checkTaxonomyCode(input: string): IdentifierCheck {
  const value = input.trim().toUpperCase();
  if (value === "") return problem("Enter the taxonomy code, such as 207Q00000X.");
  if (value.length !== 10) return problem(`A taxonomy code has 10 characters; this one has ${value.length}.`);
  if (!/^[0-9A-Z]{9}X$/.test(value)) return problem(`${value} is not a taxonomy code: 9 letters or digits followed by X, such as 207Q00000X.`);
  return ok(value);
}

/** A CMS place-of-service code: 2 digits, 01 to 99 (11 office, 02 telehealth, 22 outpatient hospital). */
export function checkPlaceOfService(input: string): IdentifierCheck {
  const value = input.trim();
  if (/^\d$/.test(value) && value !== "0") return problem(`Write the place of service with 2 digits: 0${value}.`);
  if (!/^\d{2}$/.test(value) || value === "00") return problem(`"${value}" is not a place-of-service code: 2 digits from 01 to 99, such as 11 for an office.`);
  return ok(value);
}

const X12_RESERVED = separatorCharacters(CAREBILL_SEPARATORS);

/**
 * Text that can travel in an X12 element: the basic and extended character sets (printable ASCII)
 * without the separators Carebill declares. Letters with accents are written without them
 * (José → Jose) as payers' records carry them; anything else outside ASCII is refused.
 */
export function checkX12Text(input: string, options: { maxLength?: number; label?: string } = {}): IdentifierCheck {
  const label = options.label ?? "This text";
  const value = toX12Text(input);
  if (value === "") return problem(`${label} cannot be empty.`);
  const reserved = X12_RESERVED.find((separator) => value.includes(separator));
  if (reserved) return problem(`${label} contains "${reserved}", which X12 files use as a separator: remove it.`);
  const unprintable = [...value].find((character) => !/^[\x20-\x7e]$/.test(character));
  if (unprintable) return problem(`${label} contains "${unprintable}", which an X12 file cannot carry: use plain letters, digits and punctuation.`);
  if (options.maxLength !== undefined && value.length > options.maxLength)
    return problem(`${label} is ${value.length} characters long; X12 allows ${options.maxLength} here.`);
  return ok(value);
}

/** Trims, collapses runs of spaces and drops accents (É → E), which X12's character set lacks. */
export function toX12Text(input: string): string {
  return input
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/\s+/g, " ")
    .trim();
}
