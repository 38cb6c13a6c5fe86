/**
 * How analytics figures are written besides money (money: lib/money/currency.ts formatMoney), the
 * same on the page, in the monthly PDF and anywhere else a figure is printed.
 */
import { minorUnitDigits } from "@/lib/money/currency";

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

export type Trend = "up" | "down" | "flat" | "new" | "none";

/**
 * How a figure moved from the previous period: the % change of an amount, or for a rate the change
 * in percentage points; "new" when the previous period had none, "none" when neither had any.
 * `text` is unsigned (the page shows the direction with ▲/▼); formatChange signs it for print.
 */
export function changeOf(current: number | null, previous: number | null, kind: "amount" | "rate"): { trend: Trend; text: string } {
  if (current === null || previous === null) return { trend: "none", text: "no comparison" };
  if (kind === "rate") {
    const points = (current - previous) * 100;
    if (Math.abs(points) < 0.05) return { trend: "flat", text: "0.0 pts" };
    return { trend: points > 0 ? "up" : "down", text: `${Math.abs(points).toFixed(1)} pts` };
  }
  if (previous === 0) return current === 0 ? { trend: "none", text: "none either period" } : { trend: "new", text: "new" };
  const percent = ((current - previous) / Math.abs(previous)) * 100;
  if (Math.abs(percent) < 0.05) return { trend: "flat", text: "0.0%" };
  return { trend: percent > 0 ? "up" : "down", text: `${Math.abs(percent).toFixed(1)}%` };
}

/** The change as printed beside a figure in the PDF: "+12.5%", "−4.0%", "+1.2 pts", "new", or "—". */
export function formatChange(current: number | null, previous: number | null, kind: "amount" | "rate"): string {
  const change = changeOf(current, previous, kind);
  if (change.trend === "none") return "—";
  if (change.trend === "up") return `+${change.text}`;
  if (change.trend === "down") return `−${change.text}`;
  return change.text;
}

/** "$12K" for a chart axis: the org's currency, compact (the figures themselves use formatMoney). */
export function formatMoneyCompact(amount: number, currency: string, locale = "en-US"): string {
  return new Intl.NumberFormat(locale, { style: "currency", currency, notation: "compact", maximumFractionDigits: 1 }).format(
    amount / 10 ** minorUnitDigits(currency),
  );
}
