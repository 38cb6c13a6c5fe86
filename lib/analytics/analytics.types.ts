/**
 * What the analytics page, the reports API, the CSV exports and the monthly PDF show: one set of
 * figures with one set of definitions (lib/analytics/figure-definitions.ts), read from the ledger
 * (journal lines) and, for success rates, the payment attempts. Money is integer minor units of
 * `currency`; dates are the clinic's calendar dates (YYYY-MM-DD, in the organization's time zone).
 * Rates, shares and percents (…Rate, …Share, …Percent) are fractions: 0.25 means 25%.
 */

export const GRANULARITIES = ["day", "week", "month"] as const;
export type Granularity = (typeof GRANULARITIES)[number];

export const PERIOD_PRESETS = ["this_month", "last_month", "last_30_days", "last_90_days", "year_to_date", "last_year", "custom"] as const;
export type PeriodPreset = (typeof PERIOD_PRESETS)[number];

export const REPORT_NAMES = ["summary", "aging", "collections", "payments", "refunds", "disputes", "services", "recurring", "insurance"] as const;
export type ReportName = (typeof REPORT_NAMES)[number];

/** Calendar dates, both inclusive. */
export type DateRange = { from: string; to: string };

/** The period a report covers, resolved in the clinic's time zone. */
export type AnalyticsPeriod = DateRange & {
  granularity: Granularity;
  /** The period of the same number of days just before `from` (what "vs previous period" compares with). */
  previous: DateRange;
  timezone: string;
  currency: string;
};

/** A figure for the period and the previous period of the same length. */
export type Compared = { current: number; previous: number };

/** One bucket of a series: `start` is the bucket's first day (a Monday for weeks, the 1st for months), clipped to the period. */
export type SeriesPoint<T> = { start: string; end: string } & T;

export const AGING_BUCKETS = ["0-30", "31-60", "61-90", "91-120", "120+"] as const;
export type AgingBucketKey = (typeof AGING_BUCKETS)[number];

/**
 * How money came in. Card payments by where they started (the pay page, a saved card charged by
 * staff), bank debits, and front-desk payments by method. Patient credit applied to invoices is
 * not money received and is reported apart (`creditApplied`).
 */
export const COLLECTION_CHANNELS = [
  "pay_page_card",
  "pay_page_bank",
  "desk_card",
  "saved_card",
  "autopay",
  "cash",
  "check",
  "card_terminal",
  "bank_transfer",
] as const;
export type CollectionChannel = (typeof COLLECTION_CHANNELS)[number];

export type SummaryReport = {
  period: AnalyticsPeriod;
  /** Finalized invoice totals (after discounts, with tax) by finalization day, less invoices voided in the period. */
  charges: Compared;
  /** Discounts given on those invoices (already taken off `charges`). */
  discounts: Compared;
  /** Credit notes issued, less credit notes voided. */
  creditNotes: Compared;
  /** Balances written off as uncollectible, less write-offs reversed or recovered. */
  writeOffs: Compared;
  /** charges − creditNotes. */
  netCharges: Compared;
  /** Money received: card, bank and front-desk payments (manual payments voided later come off). */
  collections: Compared;
  /** Money returned to patients: refunds requested less refunds that failed. */
  refunds: Compared;
  /** collections − refunds. */
  netCollections: Compared;
  /** Patient credit applied to invoices (not money received). */
  creditApplied: Compared;
  processingFees: Compared;
  /** Chargebacks lost (what the clinic lost after a dispute). */
  disputeLosses: Compared;
  /** Dispute fees, less fees returned on disputes won. */
  disputeFees: Compared;
  /** collections ÷ charges; null when there were no charges. */
  grossCollectionRate: { current: number | null; previous: number | null };
  /** (collections − refunds) ÷ (charges − creditNotes − writeOffs); null when the denominator is 0 or less. */
  netCollectionRate: { current: number | null; previous: number | null };
  /** Accounts receivable now (the AR account's balance) and days in A/R: AR ÷ (net charges of the last 90 days ÷ 90). */
  receivables: { amount: number; openInvoices: number; over90Amount: number; over90Percent: number | null; daysInAR: number | null };
  series: SeriesPoint<{ charges: number; netCharges: number; collections: number; refunds: number; netCollections: number }>[];
};

export type AgingReport = {
  /** The clinic's date the ages are counted to. */
  asOf: string;
  currency: string;
  /** Days past the invoice date (issue date). */
  buckets: { key: AgingBucketKey; count: number; amount: number }[];
  total: { count: number; amount: number };
  over90Amount: number;
  over90Percent: number | null;
};

export type CollectionsReport = {
  period: AnalyticsPeriod;
  collections: Compared;
  refunds: Compared;
  netCollections: Compared;
  creditApplied: Compared;
  processingFees: Compared;
  byChannel: { channel: CollectionChannel; count: number; amount: number }[];
  series: SeriesPoint<{ collections: number; refunds: number; netCollections: number } & Record<CollectionChannel, number>>[];
};

export type PaymentsReport = {
  period: AnalyticsPeriod;
  /** Card PaymentIntents the patient or staff tried to pay (submitted at least once) in the period. */
  attempted: Compared;
  succeeded: Compared;
  succeededFirstAttempt: Compared;
  /** succeeded ÷ attempted (eventually) and succeededFirstAttempt ÷ attempted; null when nothing was attempted. */
  successRate: { current: number | null; previous: number | null };
  firstAttemptSuccessRate: { current: number | null; previous: number | null };
  /** Share of attempted PaymentIntents that went through 3-D Secure. */
  threeDSecureShare: number | null;
  declineReasons: { code: string; label: string; count: number }[];
  series: SeriesPoint<{ attempted: number; succeeded: number; failed: number }>[];
};

export type RefundsReport = {
  period: AnalyticsPeriod;
  count: Compared;
  amount: Compared;
  /** Refunds that failed at the bank in the period (their money came back). */
  failed: { count: number; amount: number };
  series: SeriesPoint<{ count: number; amount: number }>[];
};

export type DisputesReport = {
  period: AnalyticsPeriod;
  opened: { count: Compared; amount: Compared };
  won: { count: number; amount: number };
  lost: { count: number; amount: number };
  /** won ÷ (won + lost) of disputes closed in the period; null when none closed. */
  winRate: number | null;
  losses: Compared;
  fees: Compared;
  /** Disputes still open now, soonest evidence deadline first. */
  open: { id: string; invoiceNumber: string | null; amount: number; reason: string; status: string; evidenceDueBy: string | null }[];
};

export type ServicesReport = {
  period: AnalyticsPeriod;
  /** Top services by net charges (invoice lines after their discount, with tax, less voids and credit notes) and by collections (payments applied, shared across an invoice's lines by their totals). */
  byNetCharges: ServiceRow[];
  byCollections: ServiceRow[];
};
export type ServiceRow = { serviceCode: string | null; description: string; netCharges: number; collections: number; lines: number };

/** A rate for the period and the previous period; null when its denominator is 0. */
export type ComparedRate = { current: number | null; previous: number | null };

/**
 * Money over time: payment plans, the autopay engine's charges (plans' installments and
 * memberships' periods) and memberships. "Now" figures are as of the request; the others count
 * events on the clinic's days of the period (and the previous period).
 */
export type RecurringReport = {
  period: AnalyticsPeriod;
  /** Plans still collecting now (active, past due or paused), each status, and what their invoices still owe. */
  plans: { active: number; pastDue: number; paused: number; outstanding: number };
  /** Plans that ended in the period, by how they ended first (completed, defaulted or canceled). */
  planEnds: { completed: Compared; defaulted: Compared; canceled: Compared };
  /** defaulted ÷ (completed + defaulted + canceled) of plans that ended in the period. */
  planDefaultRate: ComparedRate;
  autopay: {
    /** Charge attempts that reached a result (succeeded or failed) in the period. */
    attempts: Compared;
    succeeded: Compared;
    /** First attempts (attempt 1 of an installment or membership period) that reached a result in the period. */
    firstAttempts: Compared;
    firstAttemptsSucceeded: Compared;
    /** Of those first attempts: subjects paid by autopay eventually (the first attempt, a retry or a charge to a new card), up to now. */
    eventuallyPaid: Compared;
    /** First attempts that failed in the period, and of those the subjects a later attempt paid (up to now). */
    firstAttemptsFailed: Compared;
    recovered: Compared;
  };
  /** succeeded ÷ attempts. */
  autopaySuccessRate: ComparedRate;
  /** firstAttemptsSucceeded ÷ firstAttempts. */
  autopayFirstAttemptSuccessRate: ComparedRate;
  /** eventuallyPaid ÷ firstAttempts. */
  autopayEventualSuccessRate: ComparedRate;
  /** recovered ÷ firstAttemptsFailed. */
  autopayRecoveryRate: ComparedRate;
  memberships: {
    /** Patients with a membership billed now (active or past due, started on or before today). */
    activeMembers: number;
    /** Those memberships, of which past due; paused memberships (not billed, not counted) apart. */
    activeMemberships: number;
    pastDue: number;
    paused: number;
    /** Monthly recurring revenue now: Σ the active memberships' plan price per month (yearly ÷ 12, each rounded down), minor units. */
    mrr: number;
    /** Memberships started on or before the period's first day and not yet canceled or defaulted at its start. */
    activeAtStart: Compared;
    /** Memberships that ended in the period, by how they ended first. */
    canceled: Compared;
    defaulted: Compared;
  };
  /** (canceled + defaulted) ÷ activeAtStart. */
  membershipChurnRate: ComparedRate;
};

/** A payer the clinic bills (its id in Carebill, the name staff know it by). */
export type PayerRef = { payerId: string; payerName: string };

/** A count and an amount (minor units). */
export type CountAmount = { count: number; amount: number };

/**
 * Insurance: what payers owe now and for how long, how fast they pay, how often they deny, and
 * what was collected from payers and from patients in the period (docs/remittances.md "Insurance
 * in analytics"). Claims' figures come from the claims and their remittance claim payments;
 * money figures from the ledger like every other report.
 */
export type InsuranceReport = {
  period: AnalyticsPeriod;
  /** Whether the clinic has any claim past draft (the page's empty state when not). */
  hasClaims: boolean;
  receivables: {
    /** The clinic's date the ages are counted to. */
    asOf: string;
    /** Open insurance balances of submitted claims (not draft, ready or closed) by days since submission. */
    buckets: ({ key: AgingBucketKey } & CountAmount)[];
    total: CountAmount;
    over90Amount: number;
    over90Percent: number | null;
    /** The same by payer, largest balance first. */
    byPayer: (PayerRef & { total: CountAmount; buckets: ({ key: AgingBucketKey } & CountAmount)[] })[];
  };
  daysToPay: {
    /** Claims whose first payment (still standing) was posted in the period, and the days from submission to it. */
    overall: { claims: number; averageDays: number | null; medianDays: number | null };
    byPayer: (PayerRef & { claims: number; averageDays: number | null; medianDays: number | null })[];
  };
  denials: {
    /** Claims submitted in the period (count, and their charges). */
    submitted: { count: Compared; amount: Compared };
    /** Of those, the claims whose first adjudication was a denial. */
    initiallyDenied: { count: Compared; amount: Compared };
    /** initiallyDenied.count ÷ submitted.count. */
    denialRate: ComparedRate;
    /** initiallyDenied.amount ÷ submitted.amount. */
    denialRateByAmount: ComparedRate;
    byPayer: (PayerRef & { submitted: CountAmount; initiallyDenied: CountAmount; denialRate: number | null; denialRateByAmount: number | null })[];
  };
  /** Claims' charges on submission, corrections, less voided claims. */
  claimCharges: Compared;
  /** Posted claim payments, less payments the payer reversed. */
  insurerPaid: Compared;
  /** Contractual adjustments posted with those payments, less reversed. */
  contractualAdjustments: Compared;
  /** Patient payments: the collections figure (card, bank, front desk), on any invoice. */
  patientCollections: Compared;
  /** insurerPaid ÷ (insurerPaid + patientCollections). */
  insurerShare: ComparedRate;
  /** (insurerPaid + patientCollections − refunds) ÷ (claim charges + self-pay net charges − contractual adjustments). */
  netCollectionRate: ComparedRate;
};

export type AnalyticsReports = {
  summary: SummaryReport;
  aging: AgingReport;
  collections: CollectionsReport;
  payments: PaymentsReport;
  refunds: RefundsReport;
  disputes: DisputesReport;
  services: ServicesReport;
  recurring: RecurringReport;
  insurance: InsuranceReport;
};
