/**
 * An X12 monetary amount (data type R: "125", "125.5", "-40.25", and ".5" or "-.75" with the leading
 * zero suppressed, as the standard asks) in exact minor units, without a float step; null for
 * anything else (more than two decimals, a thousands separator, a bare point, empty).
 */
export function x12AmountToCents(value: string): number | null {
  if (!/^-?(\d+(\.\d{1,2})?|\.\d{1,2})$/.test(value)) return null;
  const [whole = "", fraction = ""] = value.replace("-", "").split(".");
  const cents = Number(whole || "0") * 100 + Number(fraction.padEnd(2, "0"));
  return value.startsWith("-") ? -cents : cents;
}
