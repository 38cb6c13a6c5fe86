import type { AccountKey } from "@/lib/ledger/accounts";
import type { LedgerFact } from "./ledger-facts-types";
import { COLLECTION_CHANNELS, type CollectionChannel } from "./analytics.types";

/**
 * Every journal kind the domain posts (lib/**: `kind: "…"` in postJournal/reverseJournal calls,
 * and `<kind>.voided` for the manual-payment journals void-manual-payment.ts reverses), with the
 * figures it lands in. A test fails when a kind posted anywhere in lib is missing here.
 * Kinds that land in no figure say so with an empty list. A patient-share invoice's
 * `invoice.finalized` counts in charges like any invoice; `patientShareBilled` (its insurance-AR
 * credit) lets the insurance report take it back out, since a claim's charge already counts it.
 * The insurance figures (claimCharges, insurerPaid, contractualAdjustments) are docs/remittances.md
 * "Insurance in analytics".
 */
export const JOURNAL_KIND_FIGURES = {
  "invoice.finalized": ["charges", "discounts", "patientShareBilled"],
  "invoice.voided": ["charges", "discounts", "patientShareBilled"],
  "credit_note.issued": ["creditNotes"],
  "credit_note.voided": ["creditNotes"],
  "invoice.written_off": ["writeOffs"],
  "invoice.write_off_reversed": ["writeOffs"],
  "payment.write_off_recovered": ["writeOffs"],
  "payment.write_off_recovered.voided": ["writeOffs"],
  "payment.succeeded": ["collections"],
  "payment.manual": ["collections"],
  "payment.manual.voided": ["collections"],
  "payment.fee": ["processingFees"],
  "refund.requested": ["refunds"],
  "refund.failed": ["refunds"],
  "refund.manual": ["refunds"],
  "credit.applied": ["creditApplied"],
  "credit.unapplied": ["creditApplied"],
  "dispute.opened": ["disputesOpened", "disputeFees"],
  "dispute.won": ["disputeFees"],
  "dispute.reopened": ["disputeLosses"],
  "dispute.written_off": ["disputeLosses"],
  "claim.charged": ["claimCharges"],
  "claim.charge_adjusted": ["claimCharges"],
  "claim.replaced": [],
  "claim.voided": ["claimCharges"],
  "claim.written_off": [],
  "remittance.claim_paid": ["insurerPaid", "contractualAdjustments"],
  "remittance.claim_payment_reversed": ["insurerPaid", "contractualAdjustments"],
  "remittance.provider_adjusted": [],
  "remittance.secondary_applied": ["insurerPaid", "contractualAdjustments", "creditNotes"],
  "remittance.secondary_reversed": ["insurerPaid", "contractualAdjustments", "creditNotes"],
} as const satisfies Record<string, readonly LedgerFigure[]>;
export type JournalKind = keyof typeof JOURNAL_KIND_FIGURES;

/**
 * How each ledger figure is read from journal lines: the sum of the lines of these kinds on these
 * accounts, times `sign` (so that the figure is positive in the usual case).
 */
export const LEDGER_FIGURE_RULES = {
  /** Invoice totals (AR debit at finalization), less the totals of invoices voided. */
  charges: { kinds: ["invoice.finalized", "invoice.voided"], accounts: ["accountsReceivable"], sign: 1 },
  discounts: { kinds: ["invoice.finalized", "invoice.voided"], accounts: ["discounts"], sign: 1 },
  /** Credit notes' amounts, tax included (credit-notes account plus the sales tax given back). */
  // A secondary payer's settlement of a patient's share is a credit note on the share invoice that
  // remittance.secondary_applied undoes in the credit-notes account: it is a payment, not a credit.
  creditNotes: {
    kinds: ["credit_note.issued", "credit_note.voided", "remittance.secondary_applied", "remittance.secondary_reversed"],
    accounts: ["creditNotes", "salesTaxPayable"],
    sign: 1,
  },
  writeOffs: {
    kinds: ["invoice.written_off", "invoice.write_off_reversed", "payment.write_off_recovered", "payment.write_off_recovered.voided"],
    accounts: ["badDebt"],
    sign: 1,
  },
  /** Money received: what the payment journals debit to Stripe clearing, cash, bank or the card terminal. */
  collections: {
    kinds: ["payment.succeeded", "payment.manual", "payment.manual.voided"],
    accounts: ["stripeClearing", "cash", "bank", "cardTerminalClearing"],
    sign: 1,
  },
  processingFees: { kinds: ["payment.fee"], accounts: ["processingFees"], sign: 1 },
  /** Card refunds (Stripe clearing) and unused credit handed back at the desk (`refund.manual`: cash, bank, card terminal). */
  refunds: { kinds: ["refund.requested", "refund.failed", "refund.manual"], accounts: ["stripeClearing", "cash", "bank", "cardTerminalClearing"], sign: -1 },
  /** Credit applied to invoices, less credit taken back off them. */
  creditApplied: { kinds: ["credit.applied", "credit.unapplied"], accounts: ["patientCredit"], sign: 1 },
  disputesOpened: { kinds: ["dispute.opened"], accounts: ["disputedFunds"], sign: 1 },
  disputeFees: { kinds: ["dispute.opened", "dispute.won"], accounts: ["disputeFees"], sign: 1 },
  disputeLosses: { kinds: ["dispute.reopened", "dispute.written_off"], accounts: ["chargebackLosses"], sign: 1 },
  /**
   * What patient-share invoices billed (their insurance-AR credit at finalization), less those voided:
   * part of `charges`, and already part of the claim's charge.
   */
  patientShareBilled: { kinds: ["invoice.finalized", "invoice.voided"], accounts: ["arInsurance"], sign: -1 },
  /** Claims' charges on submission (insurance-AR debit), corrected charges, less what voided claims still had open. A replacement claim moves AR between claims: not read. */
  claimCharges: { kinds: ["claim.charged", "claim.charge_adjusted", "claim.voided"], accounts: ["arInsurance"], sign: 1 },
  /** What payers paid on claims (insurance clearing debits), less payments they reversed. */
  insurerPaid: {
    kinds: ["remittance.claim_paid", "remittance.claim_payment_reversed", "remittance.secondary_applied", "remittance.secondary_reversed"],
    accounts: ["insuranceClearing"],
    sign: 1,
  },
  /** The contractual adjustments posted with those payments, less those of reversed payments. */
  contractualAdjustments: {
    kinds: ["remittance.claim_paid", "remittance.claim_payment_reversed", "remittance.secondary_applied", "remittance.secondary_reversed"],
    accounts: ["contractualAdjustments"],
    sign: 1,
  },
} as const satisfies Record<string, { kinds: readonly string[]; accounts: readonly AccountKey[]; sign: 1 | -1 }>;
export type LedgerFigure = keyof typeof LEDGER_FIGURE_RULES;

/** The journal kinds and accounts the figures read (their rules'; the channels and counts of ledgerTotals come from the same kinds and accounts). */
export function ledgerFigureFilter(figures: readonly LedgerFigure[]): { kinds: string[]; accounts: AccountKey[] } {
  const kinds = new Set<string>();
  const accounts = new Set<AccountKey>();
  for (const figure of figures) {
    for (const kind of LEDGER_FIGURE_RULES[figure].kinds) kinds.add(kind);
    for (const account of LEDGER_FIGURE_RULES[figure].accounts) accounts.add(account);
  }
  return { kinds: [...kinds].sort(), accounts: [...accounts].sort() };
}

/** The (kind, account) pairs the figures' rules read. */
export function ledgerFigurePairs(figures: readonly LedgerFigure[]): { kind: string; account: AccountKey }[] {
  const pairs = new Map<string, { kind: string; account: AccountKey }>();
  for (const figure of figures)
    for (const kind of LEDGER_FIGURE_RULES[figure].kinds)
      for (const account of LEDGER_FIGURE_RULES[figure].accounts) pairs.set(`${kind}|${account}`, { kind, account });
  return [...pairs.values()];
}

/** The journal kinds of payments (their channel comes from the payment they are about). */
export const PAYMENT_KINDS = ["payment.succeeded", "payment.manual", "payment.manual.voided"] as const;

export type { LedgerFact } from "./ledger-facts-types";

export type LedgerTotals = Record<LedgerFigure, number> & {
  netCharges: number;
  netCollections: number;
  refundsRequested: { count: number; amount: number };
  refundsFailed: { count: number; amount: number };
  disputesOpenedCount: number;
  byChannel: Record<CollectionChannel, { count: number; amount: number }>;
};

const FIGURES = Object.keys(LEDGER_FIGURE_RULES) as LedgerFigure[];

/** Facts grouped by tag, once per loaded array (a day series asks for ~370 tags of the same facts). */
const FACTS_BY_TAG = new WeakMap<readonly LedgerFact[], Map<string, LedgerFact[]>>();

function factsOfTag(facts: readonly LedgerFact[], tag: string): readonly LedgerFact[] {
  let byTag = FACTS_BY_TAG.get(facts);
  if (!byTag) {
    byTag = new Map();
    for (const fact of facts) {
      const group = byTag.get(fact.tag);
      if (group) group.push(fact);
      else byTag.set(fact.tag, [fact]);
    }
    FACTS_BY_TAG.set(facts, byTag);
  }
  return byTag.get(tag) ?? [];
}

/** The figures of the facts of one tag. */
export function ledgerTotals(allFacts: readonly LedgerFact[], tag: string): LedgerTotals {
  const facts = factsOfTag(allFacts, tag);
  const totals = Object.fromEntries(FIGURES.map((figure) => [figure, 0])) as Record<LedgerFigure, number>;
  const byChannel = Object.fromEntries(COLLECTION_CHANNELS.map((channel) => [channel, { count: 0, amount: 0 }])) as LedgerTotals["byChannel"];
  const refundsRequested = { count: 0, amount: 0 };
  const refundsFailed = { count: 0, amount: 0 };
  let disputesOpenedCount = 0;
  for (const fact of facts) {
    if (fact.tag !== tag || fact.account === null) continue;
    for (const figure of FIGURES) {
      const rule = LEDGER_FIGURE_RULES[figure];
      if ((rule.kinds as readonly string[]).includes(fact.kind) && (rule.accounts as readonly string[]).includes(fact.account))
        totals[figure] += rule.sign * fact.amount;
    }
    if ((fact.account === "stripeClearing" && fact.kind === "refund.requested") || (fact.kind === "refund.manual" && fact.account !== "patientCredit")) {
      refundsRequested.count += fact.journals;
      refundsRequested.amount -= fact.amount;
    }
    if (fact.account === "stripeClearing" && fact.kind === "refund.failed") {
      refundsFailed.count += fact.journals;
      refundsFailed.amount += fact.amount;
    }
    if (fact.account === "disputedFunds" && fact.kind === "dispute.opened") disputesOpenedCount += fact.journals;
    if ((PAYMENT_KINDS as readonly string[]).includes(fact.kind) && (LEDGER_FIGURE_RULES.collections.accounts as readonly string[]).includes(fact.account)) {
      const channel = byChannel[fact.channel as CollectionChannel];
      if (channel) {
        channel.amount += fact.amount;
        channel.count += fact.kind.endsWith(".voided") ? -fact.journals : fact.journals;
      }
    }
  }
  return {
    ...totals,
    netCharges: totals.charges - totals.creditNotes,
    netCollections: totals.collections - totals.refunds,
    refundsRequested,
    refundsFailed,
    disputesOpenedCount,
    byChannel,
  };
}

/** a ÷ b, or null when b is 0 or less (a rate over nothing is no rate). */
export function ratio(numerator: number, denominator: number): number | null {
  return denominator > 0 ? numerator / denominator : null;
}
