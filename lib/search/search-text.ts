import { MAX_AMOUNT, parseMoneyInput } from "@/lib/money/currency";

/** What someone typed into a search box, read once: the words, the digits, an amount. */
export type SearchText = {
  /** The trimmed text. */
  text: string;
  /** Up to four words; each must match the patient (name, email or MRN). */
  terms: string[];
  /** The text's digits only: "(555) 010-2233" → "5550102233", "INV-00012" → "00012". */
  digits: string;
  /** The digits of a document number ("INV-00012", "#12", "12" → "00012", "12", "12"), or null when the text is not one. */
  numberDigits: string | null;
  /** The text is a phone number or part of one (digits and phone punctuation, at least 4 digits). */
  phoneLike: boolean;
  /** The text read as an amount in minor units ("150", "$150.00", "1,234.5"), or null. */
  amount: number | null;
};

const MAX_TERMS = 4;
const PHONE_TEXT = /^[\d\s().+-]+$/;
const NUMBER_TEXT = /^[a-z]{0,4}-?\s*#?\d+$/i;
const AMOUNT_TEXT = /^\$?\s*\d[\d,]*(\.\d+)?$/;

/** Reads a search text; `currency` says how many decimals an amount may have. Empty text gives null. */
export function readSearchText(input: string | undefined, currency = "USD"): SearchText | null {
  const text = (input ?? "").trim().replace(/\s+/g, " ");
  if (!text) return null;
  const digits = text.replace(/\D/g, "");
  return {
    text,
    terms: text.split(" ").slice(0, MAX_TERMS),
    digits,
    numberDigits: NUMBER_TEXT.test(text) ? digits : null,
    phoneLike: digits.length >= 4 && PHONE_TEXT.test(text),
    amount: AMOUNT_TEXT.test(text) ? amountOf(text, currency) : null,
  };
}

/** An amount no payment can exceed is no amount (a phone number typed as digits): it must not reach an int column. */
function amountOf(text: string, currency: string): number | null {
  const amount = parseMoneyInput(text, currency);
  return amount !== null && amount <= MAX_AMOUNT ? amount : null;
}

/**
 * `text` as a literal inside a LIKE pattern: `%`, `_` and the escape character itself stand for
 * themselves (Prisma's `contains` passes them through as wildcards; PostgreSQL's LIKE escape is `\`).
 */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}
