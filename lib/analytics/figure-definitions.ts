import { AGING_BUCKET_AGES } from "./aging-buckets";
import { AGING_BUCKETS, type AgingBucketKey, type CollectionChannel } from "./analytics.types";

/** What a figure is, in one sentence, and how it is computed: shown in the page's info popovers, the API docs and the PDF. */
export type FigureDefinition = { label: string; definition: string; formula: string };

/**
 * Every figure the reports show. The code that computes them is lib/analytics/ledger-figures.ts
 * (ledger figures, by journal kind and account) and the report loaders next to it; keep both in
 * agreement. All money figures are in the clinic's currency and count a journal on the clinic's
 * calendar day it occurred (its time zone). Rates, shares and percents are fractions (0.25 = 25%).
 */
export const FIGURE_DEFINITIONS = {
  charges: {
    label: "Charges",
    definition:
      "What was billed: the totals of invoices finalized in the period (after their discounts, with tax), less the totals of invoices voided in the period.",
    formula: "Σ invoice totals finalized − Σ invoice totals voided (accounts-receivable lines of invoice.finalized and invoice.voided journals)",
  },
  discounts: {
    label: "Discounts",
    definition: "Discounts given on the invoices finalized in the period (less those of invoices voided); already taken off charges.",
    formula: "Σ discounts-account lines of invoice.finalized and invoice.voided journals",
  },
  creditNotes: {
    label: "Credit notes",
    definition: "Credit notes issued in the period (tax included), less credit notes voided in the period.",
    formula: "Σ credit notes issued − Σ credit notes voided (credit-notes and sales-tax lines of credit_note.issued and credit_note.voided journals)",
  },
  writeOffs: {
    label: "Write-offs",
    definition: "Balances written off as uncollectible in the period, less write-offs reversed or recovered by a later payment in the period.",
    formula: "Σ written off − Σ reversed − Σ recovered (bad-debt lines)",
  },
  netCharges: {
    label: "Net charges",
    definition: "Charges less credit notes: what the clinic billed and still stands by (discounts are already out of charges).",
    formula: "charges − credit notes",
  },
  collections: {
    label: "Collections",
    definition:
      "Money received in the period: card and bank payments (the amount received, including any part that became patient credit or was refunded as excess) and front-desk payments (cash, check, card terminal, bank transfer), less front-desk payments voided in the period. Patient credit applied is not money received and is shown apart.",
    formula: "Σ received by payment.succeeded and payment.manual journals − Σ payment.manual.voided",
  },
  refunds: {
    label: "Refunds",
    definition: "Money returned to patients: refunds requested in the period less refunds that failed in the period (their money came back).",
    formula: "Σ refunds requested − Σ refunds failed",
  },
  netCollections: {
    label: "Net collections",
    definition: "Money received less money returned.",
    formula: "collections − refunds",
  },
  creditApplied: {
    label: "Patient credit applied",
    definition:
      "Patient credit (overpayments, credit notes) used to pay invoices in the period, less credit staff took back off invoices; not money received, so not in collections.",
    formula: "Σ credit.applied journals − Σ credit.unapplied journals",
  },
  processingFees: {
    label: "Processing fees",
    definition: "Stripe's fees on the card and bank payments received in the period.",
    formula: "Σ payment.fee journals",
  },
  disputeLosses: {
    label: "Dispute losses",
    definition:
      "What the clinic lost on chargebacks resolved in the period: the disputed amount it neither took back from the patient's credit nor put back on the invoice.",
    formula: "Σ chargeback-loss lines of dispute.reopened and dispute.written_off journals",
  },
  disputeFees: {
    label: "Dispute fees",
    definition: "Stripe's fees on chargebacks opened in the period, less fees returned on chargebacks won in the period.",
    formula: "Σ fees of disputes opened − Σ fees returned on disputes won",
  },
  grossCollectionRate: {
    label: "Gross collection rate",
    definition: "Money received for every unit billed in the period; none when nothing was billed.",
    formula: "collections ÷ charges",
  },
  netCollectionRate: {
    label: "Net collection rate",
    definition: "Money kept for every unit the clinic could collect in the period; none when that is 0 or less.",
    formula: "(collections − refunds) ÷ (charges − credit notes − write-offs)",
  },
  receivables: {
    label: "Accounts receivable",
    definition: "What patients owe now: the accounts-receivable account's balance, which equals the amount due of all open and partially paid invoices.",
    formula: "Σ accounts-receivable lines (all time) = Σ amount due of open invoices",
  },
  openInvoices: {
    label: "Open invoices",
    definition: "Invoices open or partially paid now.",
    formula: "count of invoices with status open or partially paid",
  },
  over90Amount: {
    label: "A/R over 90 days",
    definition: "Amount due now on open invoices dated more than 90 days ago.",
    formula: "Σ amount due of open invoices aged 91 days or more",
  },
  over90Percent: {
    label: "A/R over 90 days %",
    definition: "The share of accounts receivable on invoices dated more than 90 days ago; none when nothing is owed.",
    formula: "A/R over 90 days ÷ accounts receivable",
  },
  daysInAR: {
    label: "Days in A/R",
    definition:
      "How many days of billing are still owed: accounts receivable now over the average daily net charges of the last 90 days (up to today); none when those are 0 or less.",
    formula: "accounts receivable ÷ (net charges of the last 90 days ÷ 90)",
  },
  aging: {
    label: "A/R aging",
    definition: "Open and partially paid invoices' amount due now, by days from the invoice date (the clinic's date it was finalized) to today.",
    formula: "buckets 0–30, 31–60, 61–90, 91–120 and over 120 days of (today − invoice date)",
  },
  attempted: {
    label: "Card payments attempted",
    definition:
      "Card payments (pay page or saved card) created in the period that the patient or staff submitted at least once (declined, authenticating, processing, authorized or paid); attempts abandoned before submitting are not counted.",
    formula: "count of card PaymentIntents submitted at least once, by the day they were created",
  },
  succeeded: {
    label: "Card payments succeeded",
    definition: "Attempted card payments that were paid or authorized, eventually (after any declines).",
    formula: "count of attempts paid or authorized",
  },
  succeededFirstAttempt: {
    label: "Succeeded at the first attempt",
    definition: "Attempted card payments that were paid or authorized with no decline ever recorded on them.",
    formula: "count of attempts paid or authorized with no decline",
  },
  successRate: {
    label: "Card success rate",
    definition: "The share of attempted card payments that eventually succeeded; none when nothing was attempted.",
    formula: "succeeded ÷ attempted",
  },
  firstAttemptSuccessRate: {
    label: "First-attempt success rate",
    definition: "The share of attempted card payments that succeeded without any decline; none when nothing was attempted.",
    formula: "succeeded at the first attempt ÷ attempted",
  },
  threeDSecureShare: {
    label: "3-D Secure share",
    definition: "The share of attempted card payments that went through the bank's 3-D Secure authentication.",
    formula: "attempts that needed authentication ÷ attempted",
  },
  declineReasons: {
    label: "Decline reasons",
    definition: "The top five reasons of the latest decline recorded on attempted card payments of the period (an attempt declined and then paid counts too).",
    formula: "count of attempts with a decline, by decline code",
  },
  failed: {
    label: "Failed",
    definition: "Attempted card payments with a decline that have not succeeded.",
    formula: "count of attempts declined and not paid or authorized",
  },
  refundsCount: {
    label: "Refunds",
    definition: "Refunds requested in the period (to a card or bank account, including automatic refunds of excess payments).",
    formula: "count of refund.requested journals",
  },
  refundsFailed: {
    label: "Failed refunds",
    definition: "Refunds that failed at the bank in the period: their money came back to the clinic.",
    formula: "count and Σ of refund.failed journals",
  },
  disputesOpened: {
    label: "Disputes opened",
    definition: "Chargebacks opened in the period (inquiries count once they become chargebacks), with the amounts disputed.",
    formula: "count and Σ disputed amount of dispute.opened journals",
  },
  disputesWon: {
    label: "Disputes won",
    definition: "Chargebacks that closed in the period in the clinic's favour.",
    formula: "count and Σ amount of disputes closed as won",
  },
  disputesLost: {
    label: "Disputes lost",
    definition: "Chargebacks that closed in the period in the patient's favour.",
    formula: "count and Σ amount of disputes closed as lost",
  },
  winRate: {
    label: "Dispute win rate",
    definition: "The share of chargebacks closed in the period that the clinic won; none when none closed.",
    formula: "won ÷ (won + lost)",
  },
  openDisputes: {
    label: "Open disputes",
    definition: "Chargebacks and inquiries awaiting an outcome now, soonest evidence deadline first.",
    formula: "disputes with status needs response or under review (chargebacks and inquiries)",
  },
  serviceNetCharges: {
    label: "Net charges by service",
    definition:
      "By service code and description: the totals of its invoice lines (after their discount, with tax) on invoices finalized in the period, less voids, less its share of credit notes (shared across the invoice's lines by their totals).",
    formula: "Σ line totals finalized − Σ voided − Σ share of credit notes",
  },
  serviceCollections: {
    label: "Collections by service",
    definition:
      "By service: its share of the payments applied to its invoices in the period, each payment shared across the invoice's lines by their totals with cumulative rounding (shares add up to the payment to the cent); excess that became patient credit and credit applied are not included.",
    formula: "Σ over payments of floor(A × C_i ÷ T) − floor(A × C_(i−1) ÷ T), C_i the running line total, T the invoice total",
  },
  activePlans: {
    label: "Active payment plans",
    definition:
      "Payment plans still collecting now: active, past due (an installment's last attempt failed and the clinic keeps such plans going) or paused by staff. Completed, defaulted and canceled plans are not counted.",
    formula: "count of plans with status active, past due or paused (now)",
  },
  planOutstanding: {
    label: "Owed on active plans",
    definition:
      "What the invoices of the active payment plans still owe now (their amount due), whatever paid the rest: autopay, the pay page, the desk or a credit note. An invoice counts once.",
    formula: "Σ amount due of open and partially paid invoices on plans with status active, past due or paused (now)",
  },
  plansEnded: {
    label: "Plans ended",
    definition:
      "Payment plans that ended in the period, by how they ended: completed (paid off), defaulted (the last attempt of an installment failed and the clinic stops such plans) or canceled by staff. A plan ends once, at the first of these: a defaulted plan canceled later counts as defaulted, when it defaulted.",
    formula: "count of plans by the first of completed, defaulted and canceled, in the period",
  },
  planDefaultRate: {
    label: "Plan default rate",
    definition:
      "Of the payment plans that ended in the period, the share that defaulted rather than being completed or canceled; none when no plan ended. Plans still collecting (past due ones too) are not in it.",
    formula: "plans defaulted ÷ (plans completed + defaulted + canceled), ended in the period",
  },
  autopaySuccessRate: {
    label: "Autopay success rate",
    definition:
      "The share of autopay charge attempts (plan installments and membership periods, first attempts and retries) that succeeded, of those that reached a result in the period; attempts scheduled, processing or canceled (nothing owed any more) are not counted. None when no attempt reached a result.",
    formula: "attempts succeeded ÷ attempts succeeded or failed, by the day they reached their result",
  },
  autopayFirstAttemptSuccessRate: {
    label: "Autopay first-attempt success",
    definition:
      "Of the installments and membership periods whose first charge attempt reached a result in the period, the share that first attempt paid; none when there were none.",
    formula: "first attempts succeeded ÷ first attempts succeeded or failed",
  },
  autopayEventualSuccessRate: {
    label: "Autopay success, eventually",
    definition:
      "Of the installments and membership periods whose first charge attempt reached a result in the period, the share autopay paid in the end (up to now): by the first attempt, a retry after a soft decline, or a charge to a new card the patient added. Payments the patient made another way are not counted.",
    formula: "(first attempts succeeded + subjects recovered) ÷ first attempts succeeded or failed",
  },
  autopayRecoveryRate: {
    label: "Autopay recovery rate",
    definition:
      "Of the installments and membership periods whose first charge attempt failed in the period, the share a later autopay attempt paid (a retry, or a charge to a new card the patient added), up to now; failures near the period's end may still be recovered. None when no first attempt failed.",
    formula: "subjects whose first attempt failed and a later attempt succeeded ÷ subjects whose first attempt failed",
  },
  activeMembers: {
    label: "Active members",
    definition:
      "Patients with a membership billed now: active or past due (a period's charge failed and the clinic keeps such memberships going), started on or before today. Paused memberships are not billed and not counted; a patient with two memberships counts once.",
    formula: "count of distinct patients with a membership active or past due, started by today (now)",
  },
  mrr: {
    label: "Monthly recurring revenue",
    definition:
      "What the memberships billed now bring in per month at their plans' current prices: a monthly plan's price, a yearly plan's price ÷ 12 (rounded down to the cent for each membership). Active and past-due memberships count; paused, canceled and defaulted ones do not. Not money received: the collections figures count that.",
    formula: "Σ over active and past-due memberships of (monthly: price; yearly: floor(price ÷ 12)), in minor units",
  },
  membershipChurnRate: {
    label: "Membership churn",
    definition:
      "Memberships that ended in the period (canceled by staff or the patient, or defaulted after a last failed charge) for every membership live at the period's start (started by its first day and not yet ended; paused ones included). Memberships that began and ended within the period count as ended too. None when no membership was live at the start.",
    formula: "(memberships canceled + defaulted in the period) ÷ memberships live at the period's start",
  },
  insuranceReceivables: {
    label: "Insurance A/R by payer and age",
    definition:
      "What payers still owe now: the insurance balance of claims sent and not closed (submitted, accepted, rejected, paid, partially paid or denied), by payer and by days since the claim was submitted.",
    formula: "Σ claim insurance balance, grouped by payer and by (today − submission day): 0–30, 31–60, 61–90, 91–120, 120+",
  },
  daysToPay: {
    label: "Days to pay",
    definition:
      "How long payers take: for each claim whose first payment (one still standing, not reversed) was posted in the period, the days from the claim's submission to that posting; average and median, per payer.",
    formula: "average and median of (first payment posted − claim submitted), in the clinic's days",
  },
  denialRate: {
    label: "Denial rate",
    definition:
      "Of the claims submitted in the period, the share whose first adjudication was a denial (the first remittance posted on the claim left it denied), by count and by charges. Claims not yet adjudicated count as not denied, so a recent period reads low until its remittances arrive.",
    formula: "claims initially denied ÷ claims submitted (and Σ their charges ÷ Σ charges submitted)",
  },
  claimCharges: {
    label: "Claim charges",
    definition: "Charges billed to payers: claims' totals when submitted, corrections to them, less what voided claims still had open.",
    formula: "Σ insurance-receivable lines of claim.charged, claim.charge_adjusted and claim.voided journals",
  },
  insurerPaid: {
    label: "Paid by payers",
    definition: "Claim payments posted from remittances in the period, less payments the payer reversed in the period.",
    formula: "Σ insurance-clearing lines of remittance.claim_paid − remittance.claim_payment_reversed journals",
  },
  contractualAdjustments: {
    label: "Contractual adjustments",
    definition:
      "What the clinic agreed not to bill under its payer contracts (the adjudicated CO, PI, OA and CR adjustments posted with claim payments), less those of reversed payments.",
    formula: "Σ contractual-adjustments lines of remittance.claim_paid − remittance.claim_payment_reversed journals",
  },
  patientCollections: {
    label: "Paid by patients",
    definition: "Money patients paid in the period (card, bank and front desk), on any invoice: the collections figure.",
    formula: "collections",
  },
  insurerShare: {
    label: "Payer share of collections",
    definition: "Of the money collected in the period from payers and patients, the part payers paid.",
    formula: "paid by payers ÷ (paid by payers + paid by patients)",
  },
  insuranceNetCollectionRate: {
    label: "Net collection rate (with insurance)",
    definition:
      "The MGMA net (adjusted) collection rate: what was collected from payers and patients, less refunds, over what could be collected, that is the charges less the contractual adjustments. Charges are claim charges plus patient invoices' net charges, without the patient-share invoices (their amount is part of the claim's charge).",
    formula: "(paid by payers + collections − refunds) ÷ (claim charges + charges − credit notes − patient-share invoices − contractual adjustments)",
  },
} as const satisfies Record<string, FigureDefinition>;

export type FigureKey = keyof typeof FIGURE_DEFINITIONS;

/** How the collection channels read. */
export const CHANNEL_LABELS: Record<CollectionChannel, string> = {
  pay_page_card: "Card on the pay page",
  pay_page_bank: "Bank debit on the pay page",
  desk_card: "Card entered at the front desk",
  saved_card: "Saved card charged by staff",
  autopay: "Autopay (payment plans)",
  cash: "Cash",
  check: "Check",
  card_terminal: "Card terminal",
  bank_transfer: "Bank transfer",
};

/** The aging buckets' names (the same as the invoice list's age filter chips). */
export const AGING_BUCKET_LABELS = Object.fromEntries(AGING_BUCKETS.map((key) => [key, AGING_BUCKET_AGES[key].label])) as Record<AgingBucketKey, string>;
