import type { Tx } from "@/lib/db/client";
import { sql, sqlOf, type Sql } from "@/lib/db/sql";
import type { AccountType } from "@/lib/db/generated/enums";

/** The chart of accounts every organization starts with. Codes are stable identifiers. */
export const DEFAULT_ACCOUNTS = {
  cash: { code: "1000", name: "Cash on hand", type: "asset" },
  stripeClearing: { code: "1010", name: "Stripe clearing", type: "asset" },
  bank: { code: "1020", name: "Bank account", type: "asset" },
  cardTerminalClearing: { code: "1030", name: "Card terminal clearing", type: "asset" },
  /** Payer money received by EFT or check, until it is matched to a bank deposit. */
  insuranceClearing: { code: "1040", name: "Insurance clearing", type: "asset" },
  accountsReceivable: { code: "1100", name: "Accounts receivable", type: "asset" },
  /** What payers owe on submitted claims; every line names its claim (claims.insurance_balance). */
  arInsurance: { code: "1110", name: "Accounts receivable — insurance", type: "asset" },
  disputedFunds: { code: "1200", name: "Funds held in disputes", type: "asset" },
  salesTaxPayable: { code: "2100", name: "Sales tax payable", type: "liability" },
  patientCredit: { code: "2200", name: "Patient credit", type: "liability" },
  revenue: { code: "4000", name: "Patient service revenue", type: "revenue" },
  discounts: { code: "4900", name: "Discounts", type: "contra_revenue" },
  creditNotes: { code: "4910", name: "Credit notes and refunds", type: "contra_revenue" },
  /** CO/PI/OA amounts on a remittance: what the clinic may not bill anyone. */
  contractualAdjustments: { code: "4920", name: "Contractual adjustments", type: "contra_revenue" },
  /** What staff write off on a denied claim. */
  insuranceWriteOffs: { code: "4930", name: "Insurance write-offs", type: "contra_revenue" },
  processingFees: { code: "6100", name: "Payment processing fees", type: "expense" },
  disputeFees: { code: "6110", name: "Dispute fees", type: "expense" },
  badDebt: { code: "6200", name: "Bad debt", type: "expense" },
  chargebackLosses: { code: "6300", name: "Chargeback losses", type: "expense" },
} as const satisfies Record<string, { code: string; name: string; type: AccountType }>;

export type AccountKey = keyof typeof DEFAULT_ACCOUNTS;

/**
 * Account ids by organization, kept once every default account is known to exist in a committed
 * state (read, not just created in a transaction that might roll back). Accounts are never
 * deleted, so a cached id stays valid; this saves a query per journal on the hot paths.
 */
const knownCharts = new Map<string, Record<AccountKey, string>>();
/** Transactions that created accounts: what they read is not committed yet, so it is not cached. */
const creatingTransactions = new WeakSet<object>();

/** Creates any missing default accounts (idempotent) and returns their ids by key. */
export async function ensureChartOfAccounts(tx: Tx | Sql, organizationId: string): Promise<Record<AccountKey, string>> {
  const known = knownCharts.get(organizationId);
  if (known) return known;
  const runner = sqlOf(tx);
  const wanted = Object.values(DEFAULT_ACCOUNTS);
  const read = () =>
    runner.query<{ id: string; code: string }>(sql`SELECT id::text AS id, code FROM ledger_accounts WHERE organization_id = ${organizationId}::uuid`);
  let accounts = await read();
  const complete = wanted.every((account) => accounts.some((existing) => existing.code === account.code));
  if (!complete) {
    creatingTransactions.add(runner.key);
    await runner.write(sql`
      INSERT INTO ledger_accounts (organization_id, code, name, type)
      SELECT ${organizationId}::uuid, account.code, account.name, account.type::"AccountType"
      FROM unnest(${wanted.map((account) => account.code)}::text[], ${wanted.map((account) => account.name)}::text[], ${wanted.map((account) => account.type)}::text[])
        AS account(code, name, type)
      ON CONFLICT (organization_id, code) DO NOTHING`);
    accounts = await read();
  }
  const byCode = new Map(accounts.map((account) => [account.code, account.id]));
  const chart = Object.fromEntries(Object.entries(DEFAULT_ACCOUNTS).map(([key, account]) => [key, byCode.get(account.code)!])) as Record<AccountKey, string>;
  if (complete && !creatingTransactions.has(runner.key)) knownCharts.set(organizationId, chart);
  return chart;
}
