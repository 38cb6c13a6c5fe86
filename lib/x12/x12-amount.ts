/**
 * An X12 monetary amount ("125", "125.5", "-40.25") in exact minor units, without a float step;
 * null for anything else (more than two decimals, a thousands separator, empty).
 */
export function x12AmountToCents(value: string): number | null {
  if (!/^-?\d+(\.\d{1,2})?$/.test(value)) return null;
  const [whole = "0", fraction = ""] = value.replace("-", "").split(".");
  const cents = Number(whole) * 100 + Number(fraction.padEnd(2, "0"));
  return value.startsWith("-") ? -cents : cents;
}
