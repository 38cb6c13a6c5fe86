import type { DateRange } from "./analytics.types";
import { listHref } from "@/lib/search/list-params";

/**
 * The payments behind the collections figure of these clinic days: the figure dates a payment by
 * its journal (a card payment when it succeeded, a front-desk payment when it was received), so
 * the list filters on that (`paidFrom`/`paidTo`), not on when the payment was created.
 */
export function collectionsDrillDownHref(range: DateRange, values: Record<string, string | undefined> = {}): string {
  return listHref("/app/payments", { ...values, paidFrom: range.from, paidTo: range.to });
}

/** The payments behind the refunds figure of these clinic days: those with a refund requested then that did not fail then. */
export function refundsDrillDownHref(range: DateRange): string {
  return listHref("/app/payments", { refundedFrom: range.from, refundedTo: range.to });
}
