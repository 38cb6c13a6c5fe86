import type { AccountKey } from "@/lib/ledger/accounts";

/**
 * One group of journal lines: what the report queries return (for a tag: a period, the previous
 * period, a series bucket), by kind, account and channel ('' when the journal is not a payment).
 */
export type LedgerFact = { tag: string; kind: string; account: AccountKey | null; channel: string; amount: number; journals: number };
