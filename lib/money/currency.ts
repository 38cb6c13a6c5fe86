/**
 * Money is an integer number of minor units (cents for USD, yen for JPY) plus an ISO 4217 code.
 * This module is the one place that converts between minor units and what people read and type.
 */

/** Upper bound for any invoice total or single amount, in minor units. */
export const MAX_AMOUNT = 99_999_999;

const digitsCache = new Map<string, number>();

/** How many decimal places the currency's minor unit has: USD 2, JPY 0, KWD 3. */
export function minorUnitDigits(currency: string): number {
  const code = currency.toUpperCase();
  let digits = digitsCache.get(code);
  if (digits === undefined) {
    digits = new Intl.NumberFormat("en", { style: "currency", currency: code }).resolvedOptions().maximumFractionDigits ?? 2;
    digitsCache.set(code, digits);
  }
  return digits;
}

export function isValidCurrency(currency: string): boolean {
  return /^[A-Z]{3}$/.test(currency) && Intl.supportedValuesOf("currency").includes(currency);
}

/** Formatters by locale and currency: building one costs far more than using it (lists format hundreds). */
const moneyFormatters = new Map<string, Intl.NumberFormat>();

/** "$1,234.50" for (123450, "USD"); "¥1,235" for (1235, "JPY"). */
export function formatMoney(amount: number, currency: string, locale = "en-US"): string {
  const digits = minorUnitDigits(currency);
  const key = `${locale}|${currency}`;
  let formatter = moneyFormatters.get(key);
  if (!formatter) {
    formatter = new Intl.NumberFormat(locale, { style: "currency", currency, minimumFractionDigits: digits, maximumFractionDigits: digits });
    moneyFormatters.set(key, formatter);
  }
  return formatter.format(amount / 10 ** digits);
}

/** "1234.50" for (123450, "USD"): the plain decimal form used in inputs and exports. */
export function toDecimalString(amount: number, currency: string): string {
  const digits = minorUnitDigits(currency);
  const negative = amount < 0;
  const text = Math.abs(amount)
    .toString()
    .padStart(digits + 1, "0");
  const whole = digits === 0 ? text : text.slice(0, -digits);
  const fraction = digits === 0 ? "" : `.${text.slice(-digits)}`;
  return `${negative ? "-" : ""}${whole}${fraction}`;
}

/**
 * Parses what a person typed ("1,234.5", "$12", "12.345" for KWD) into minor units, by string
 * manipulation only (never parseFloat). Returns null when it is not a valid amount in the
 * currency, including more decimals than the currency has.
 */
export function parseMoneyInput(input: string, currency: string): number | null {
  const digits = minorUnitDigits(currency);
  const cleaned = input
    .trim()
    .replace(/[\s,]/g, "")
    .replace(/^[^\d.-]+/, "");
  const match = /^(\d+)(?:\.(\d*))?$/.exec(cleaned);
  if (!match) return null;
  const whole = match[1]!;
  const fraction = match[2] ?? "";
  if (fraction.length > digits) return null;
  const minor = Number(whole + fraction.padEnd(digits, "0"));
  return Number.isSafeInteger(minor) ? minor : null;
}

/** (a × b) / d rounded half up, computed exactly with BigInt (a and b may be large). */
export function multiplyDivideRoundHalfUp(a: number, b: number, d: number): number {
  if (!Number.isInteger(a) || !Number.isInteger(b) || !Number.isInteger(d) || d <= 0) {
    throw new RangeError("multiplyDivideRoundHalfUp needs integers and a positive divisor");
  }
  const product = BigInt(a) * BigInt(b);
  const divisor = BigInt(d);
  const magnitude = product < 0n ? -product : product;
  const rounded = (magnitude * 2n + divisor) / (2n * divisor);
  return Number(product < 0n ? -rounded : rounded);
}
