/**
 * How analytics figures are written besides money (money: lib/money/currency.ts formatMoney), the
 * same on the page, in the monthly PDF and anywhere else a figure is printed.
 */

/** A ratio (0.953) as "95.3%"; "—" when there is nothing to divide. */
export function formatRate(value: number | null, digits = 1): string {
  if (value === null || !Number.isFinite(value)) return "—";
  return `${(value * 100).toFixed(digits)}%`;
}

/** Days with one decimal ("41.3 days"), or "—". */
export function formatDays(value: number | null): string {
  if (value === null || !Number.isFinite(value)) return "—";
  return `${value.toFixed(1)} days`;
}

/**
 * How a figure moved from the previous period, as printed beside it: the % change of an amount
 * ("+12.5%", "−4.0%", "new" when the previous period had none, "—" when neither had any), or for a
 * rate the change in percentage points ("+1.2 pts").
 */
export function formatChange(current: number | null, previous: number | null, kind: "amount" | "rate"): string {
  if (current === null || previous === null) return "—";
  const signed = (value: number, unit: string) => (Math.abs(value) < 0.05 ? `0.0${unit}` : `${value > 0 ? "+" : "−"}${Math.abs(value).toFixed(1)}${unit}`);
  if (kind === "rate") return signed((current - previous) * 100, " pts");
  if (previous === 0) return current === 0 ? "—" : "new";
  return signed(((current - previous) / Math.abs(previous)) * 100, "%");
}
