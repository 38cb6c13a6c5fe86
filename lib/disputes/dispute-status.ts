import type { DisputeStatus } from "@/lib/db/generated/enums";

export const DISPUTE_STATUSES = [
  "warning_needs_response",
  "warning_under_review",
  "warning_closed",
  "needs_response",
  "under_review",
  "won",
  "lost",
] as const satisfies readonly DisputeStatus[];

/** Stripe's dispute fee when its balance transaction does not say (US cards: $15). */
export const DEFAULT_DISPUTE_FEE = { currency: "USD", amount: 1500 } as const;

/** Statuses after which nothing more happens to the dispute at the card network. */
export const CLOSED_DISPUTE_STATUSES: readonly DisputeStatus[] = ["won", "lost", "warning_closed"];

/** Statuses that wait for the clinic's evidence. */
export const NEEDS_RESPONSE_STATUSES: readonly DisputeStatus[] = ["needs_response", "warning_needs_response"];

/** How far along a dispute is; a stale snapshot never moves it back. */
const RANK: Record<DisputeStatus, number> = {
  warning_needs_response: 0,
  needs_response: 0,
  warning_under_review: 1,
  under_review: 1,
  warning_closed: 2,
  won: 2,
  lost: 2,
};

/** An inquiry (retrieval request) moves no money; a chargeback withdraws it. */
export function isInquiry(status: DisputeStatus): boolean {
  return status.startsWith("warning_");
}

export function isClosed(status: DisputeStatus): boolean {
  return CLOSED_DISPUTE_STATUSES.includes(status);
}

/** The status to keep: a closed dispute stays closed; otherwise the further along one wins, and an inquiry may turn into a chargeback. */
export function nextDisputeStatus(current: DisputeStatus, incoming: DisputeStatus): DisputeStatus {
  if (isClosed(current)) return current;
  if (isInquiry(current) && !isInquiry(incoming)) return incoming;
  return RANK[incoming] >= RANK[current] ? incoming : current;
}

export const DISPUTE_STATUS_LABELS: Record<DisputeStatus, string> = {
  warning_needs_response: "Inquiry: needs response",
  warning_under_review: "Inquiry: under review",
  warning_closed: "Inquiry closed",
  needs_response: "Needs response",
  under_review: "Under review",
  won: "Won",
  lost: "Lost",
};

const REASON_LABELS: Record<string, string> = {
  bank_cannot_process: "Bank cannot process",
  check_returned: "Check returned",
  credit_not_processed: "Credit not processed",
  customer_initiated: "Customer initiated",
  debit_not_authorized: "Debit not authorized",
  duplicate: "Duplicate",
  fraudulent: "Fraudulent",
  general: "General",
  incorrect_account_details: "Incorrect account details",
  insufficient_funds: "Insufficient funds",
  product_not_received: "Service not received",
  product_unacceptable: "Service unacceptable",
  subscription_canceled: "Subscription canceled",
  unrecognized: "Unrecognized",
};

export function disputeReasonLabel(reason: string): string {
  return REASON_LABELS[reason] ?? reason.replaceAll("_", " ");
}
