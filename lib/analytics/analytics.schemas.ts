import { z } from "zod";
import {
  AGING_BUCKETS,
  COLLECTION_CHANNELS,
  GRANULARITIES,
  type AgingReport,
  type CollectionsReport,
  type DisputesReport,
  type InsuranceReport,
  type PaymentsReport,
  type RecurringReport,
  type RefundsReport,
  type ServicesReport,
  type SummaryReport,
} from "./analytics.types";

/*
 * The report shapes of analytics.types.ts as zod schemas, for the OpenAPI document (and the tests
 * that check every API answer against it). The `Same<…>` checks at the bottom fail the typecheck
 * when a schema and its type drift apart.
 */

const money = (description: string) => z.number().int().describe(`${description} Integer minor units of the period's currency.`);
const count = (description: string) => z.number().int().nonnegative().describe(description);
const rate = (description: string) => z.number().nullable().describe(`${description} A fraction (0.25 = 25%); null when the denominator is zero.`);
const calendarDate = z.string().describe("YYYY-MM-DD, the clinic's calendar (organization time zone)");

const ZDateRange = z.object({ from: calendarDate, to: calendarDate });
const ZPeriod = ZDateRange.extend({
  granularity: z.enum(GRANULARITIES),
  previous: ZDateRange.describe("The period of the same number of days just before `from`: what the `previous` figures cover."),
  timezone: z.string().describe("The organization's IANA time zone the dates are in"),
  currency: z.string().describe("ISO 4217; every amount is in its minor units"),
});
const compared = (description: string) =>
  z.object({ current: z.number().int(), previous: z.number().int() }).describe(`${description} \`current\`: the period; \`previous\`: the previous period.`);
const comparedRate = (description: string) =>
  z.object({ current: z.number().nullable(), previous: z.number().nullable() }).describe(`${description} A fraction; null when the denominator is zero.`);
const seriesPoint = <T extends z.ZodRawShape>(shape: T) =>
  z.object({
    start: calendarDate.describe("The bucket's first day, clipped to the period"),
    end: calendarDate.describe("The bucket's last day, clipped to the period"),
    ...shape,
  });

/** The reports' schemas; `describe(figure, fallback)` gives each figure's description (the figure definitions, in the OpenAPI document). */
export function reportSchemas(describe: (figure: string, fallback: string) => string = (_figure, fallback) => fallback) {
  const ZSummaryReport = z.object({
    period: ZPeriod,
    charges: compared(describe("charges", "Finalized invoice totals (after discounts, with tax) by finalization day, less invoices voided in the period.")),
    discounts: compared(describe("discounts", "Discounts given on those invoices (already taken off charges).")),
    creditNotes: compared(describe("creditNotes", "Credit notes issued, less credit notes voided.")),
    writeOffs: compared(describe("writeOffs", "Balances written off as uncollectible, less write-offs reversed or recovered.")),
    netCharges: compared(describe("netCharges", "charges − creditNotes.")),
    collections: compared(describe("collections", "Money received: card, bank and front-desk payments (manual payments voided later come off).")),
    refunds: compared(describe("refunds", "Money returned to patients: refunds requested less refunds that failed.")),
    netCollections: compared(describe("netCollections", "collections − refunds.")),
    creditApplied: compared(describe("creditApplied", "Patient credit applied to invoices (not money received).")),
    processingFees: compared(describe("processingFees", "Card processing fees charged by Stripe.")),
    disputeLosses: compared(describe("disputeLosses", "Chargebacks lost (what the clinic lost after a dispute).")),
    disputeFees: compared(describe("disputeFees", "Dispute fees, less fees returned on disputes won.")),
    grossCollectionRate: comparedRate(describe("grossCollectionRate", "collections ÷ charges.")),
    netCollectionRate: comparedRate(describe("netCollectionRate", "(collections − refunds) ÷ (charges − creditNotes − writeOffs).")),
    receivables: z
      .object({
        amount: money(describe("receivables", "Accounts receivable now: the AR account's balance.")),
        openInvoices: count(describe("openInvoices", "Invoices with an amount due now.")),
        over90Amount: money(describe("over90Amount", "AR on invoices issued more than 90 days ago.")),
        over90Percent: rate(describe("over90Percent", "over90Amount ÷ amount.")),
        daysInAR: z
          .number()
          .nullable()
          .describe(describe("daysInAR", "Days in A/R: AR ÷ (net charges of the last 90 days ÷ 90); null when there were no net charges.")),
      })
      .describe("Receivables now (not for the period)."),
    series: z.array(
      seriesPoint({
        charges: z.number().int(),
        netCharges: z.number().int(),
        collections: z.number().int(),
        refunds: z.number().int(),
        netCollections: z.number().int(),
      }),
    ),
  });

  const ZAgingReport = z.object({
    asOf: calendarDate.describe("The clinic's date the ages are counted to"),
    currency: z.string(),
    buckets: z
      .array(z.object({ key: z.enum(AGING_BUCKETS), count: count("Open invoices in the bucket."), amount: money("Their amount due.") }))
      .describe(describe("aging", "Open invoices by days past the invoice (issue) date: 0–30, 31–60, 61–90, 91–120, 120+.")),
    total: z.object({ count: z.number().int(), amount: z.number().int() }),
    over90Amount: money(describe("over90Amount", "Amount due on invoices more than 90 days old.")),
    over90Percent: rate(describe("over90Percent", "over90Amount ÷ total amount.")),
  });

  const channelAmounts = Object.fromEntries(COLLECTION_CHANNELS.map((channel) => [channel, z.number().int()])) as Record<
    (typeof COLLECTION_CHANNELS)[number],
    z.ZodNumber
  >;
  const ZCollectionsReport = z.object({
    period: ZPeriod,
    collections: compared(describe("collections", "Money received.")),
    refunds: compared(describe("refunds", "Money returned to patients.")),
    netCollections: compared(describe("netCollections", "collections − refunds.")),
    creditApplied: compared(describe("creditApplied", "Patient credit applied to invoices (not money received).")),
    processingFees: compared(describe("processingFees", "Card processing fees.")),
    byChannel: z
      .array(z.object({ channel: z.enum(COLLECTION_CHANNELS), count: z.number().int(), amount: z.number().int() }))
      .describe(describe("channels", "Collections by channel: pay page (card, bank), saved card, front desk by method.")),
    series: z.array(seriesPoint({ collections: z.number().int(), refunds: z.number().int(), netCollections: z.number().int(), ...channelAmounts })),
  });

  const ZPaymentsReport = z.object({
    period: ZPeriod,
    attempted: compared(describe("attempted", "Card PaymentIntents submitted at least once in the period.")),
    succeeded: compared(describe("succeeded", "Of those, the ones that succeeded.")),
    succeededFirstAttempt: compared(describe("succeededFirstAttempt", "Of those, the ones that succeeded on their first attempt.")),
    successRate: comparedRate(describe("successRate", "succeeded ÷ attempted.")),
    firstAttemptSuccessRate: comparedRate(describe("firstAttemptSuccessRate", "succeededFirstAttempt ÷ attempted.")),
    threeDSecureShare: rate(describe("threeDSecureShare", "Share of attempted PaymentIntents that went through 3-D Secure.")),
    declineReasons: z
      .array(z.object({ code: z.string(), label: z.string(), count: z.number().int() }))
      .describe(describe("declineReasons", "The most frequent decline codes of the period.")),
    series: z.array(seriesPoint({ attempted: z.number().int(), succeeded: z.number().int(), failed: z.number().int() })),
  });

  const ZRefundsReport = z.object({
    period: ZPeriod,
    count: compared(describe("refundsCount", "Refunds requested.")),
    amount: compared(describe("refunds", "Their amount, less refunds that failed.")),
    failed: z
      .object({ count: z.number().int(), amount: z.number().int() })
      .describe(describe("refundsFailed", "Refunds that failed at the bank in the period (their money came back).")),
    series: z.array(seriesPoint({ count: z.number().int(), amount: z.number().int() })),
  });

  const ZDisputesReport = z.object({
    period: ZPeriod,
    opened: z
      .object({ count: compared("Disputes opened."), amount: compared("Their disputed amount.") })
      .describe(describe("disputesOpened", "Chargebacks opened in the period.")),
    won: z
      .object({ count: z.number().int(), amount: z.number().int() })
      .describe(describe("disputesWon", "Chargebacks closed in the period in the clinic's favour.")),
    lost: z
      .object({ count: z.number().int(), amount: z.number().int() })
      .describe(describe("disputesLost", "Chargebacks closed in the period in the patient's favour.")),
    winRate: rate(describe("winRate", "won ÷ (won + lost) of disputes closed in the period.")),
    losses: compared(describe("disputeLosses", "Chargebacks lost.")),
    fees: compared(describe("disputeFees", "Dispute fees, less fees returned on disputes won.")),
    open: z
      .array(
        z.object({
          id: z.string(),
          invoiceNumber: z.string().nullable(),
          amount: z.number().int(),
          reason: z.string(),
          status: z.string(),
          evidenceDueBy: z.string().nullable().describe("When evidence is due (ISO 8601), or null"),
        }),
      )
      .describe(describe("openDisputes", "Disputes open now, soonest evidence deadline first.")),
  });

  const ZServiceRow = z.object({
    serviceCode: z.string().nullable(),
    description: z.string(),
    netCharges: z.number().int(),
    collections: z.number().int(),
    lines: z.number().int().describe("Invoice lines of the service in the period."),
  });
  const ZServicesReport = z.object({
    period: ZPeriod,
    byNetCharges: z
      .array(ZServiceRow)
      .describe(describe("serviceNetCharges", "Top services by net charges (invoice lines after discount, with tax, less voids and credit notes).")),
    byCollections: z
      .array(ZServiceRow)
      .describe(describe("serviceCollections", "Top services by collections (payments applied, shared across an invoice's lines by their totals).")),
  });

  const ZRecurringReport = z.object({
    period: ZPeriod,
    plans: z
      .object({
        active: count(describe("activePlans", "Plans still collecting now (active, past due or paused).")),
        pastDue: count("Of those, plans past due."),
        paused: count("Of those, plans paused by staff."),
        outstanding: money(describe("planOutstanding", "What the active plans' invoices still owe now.")),
      })
      .describe("Payment plans now (not for the period)."),
    planEnds: z
      .object({
        completed: compared("Plans completed (paid off)."),
        defaulted: compared("Plans defaulted."),
        canceled: compared("Plans canceled by staff."),
      })
      .describe(describe("plansEnded", "Plans that ended in the period, by how they ended first.")),
    planDefaultRate: comparedRate(describe("planDefaultRate", "defaulted ÷ (completed + defaulted + canceled) of plans ended in the period.")),
    autopay: z
      .object({
        attempts: compared("Autopay charge attempts that reached a result (succeeded or failed) in the period."),
        succeeded: compared("Of those, the attempts that succeeded."),
        firstAttempts: compared("First attempts (of an installment or a membership period) that reached a result in the period."),
        firstAttemptsSucceeded: compared("Of those, the ones that succeeded."),
        eventuallyPaid: compared("Of those, the subjects autopay paid in the end (the first attempt, a retry or a new card), up to now."),
        firstAttemptsFailed: compared("First attempts that failed in the period."),
        recovered: compared("Of those, the subjects a later attempt paid (a retry or a new card), up to now."),
      })
      .describe("The autopay engine's charge attempts (plan installments and membership periods)."),
    autopaySuccessRate: comparedRate(describe("autopaySuccessRate", "succeeded ÷ attempts.")),
    autopayFirstAttemptSuccessRate: comparedRate(describe("autopayFirstAttemptSuccessRate", "firstAttemptsSucceeded ÷ firstAttempts.")),
    autopayEventualSuccessRate: comparedRate(describe("autopayEventualSuccessRate", "eventuallyPaid ÷ firstAttempts.")),
    autopayRecoveryRate: comparedRate(describe("autopayRecoveryRate", "recovered ÷ firstAttemptsFailed.")),
    memberships: z
      .object({
        activeMembers: count(describe("activeMembers", "Patients with a membership active or past due now.")),
        activeMemberships: count("Memberships active or past due now."),
        pastDue: count("Of those, memberships past due."),
        paused: count("Memberships paused now (not billed; not in activeMemberships)."),
        mrr: money(describe("mrr", "Monthly recurring revenue now: Σ monthly price (yearly ÷ 12, rounded down).")),
        activeAtStart: compared("Memberships live at the period's start (started by its first day, not yet ended)."),
        canceled: compared("Memberships canceled in the period."),
        defaulted: compared("Memberships defaulted in the period."),
      })
      .describe("Memberships: members and MRR now, and what churn counts."),
    membershipChurnRate: comparedRate(describe("membershipChurnRate", "(canceled + defaulted) ÷ activeAtStart.")),
  });

  const countAmount = (description: string) => z.object({ count: z.number().int(), amount: z.number().int() }).describe(description);
  const ZAgingBuckets = z.array(z.object({ key: z.enum(AGING_BUCKETS), count: count("Claims in the bucket."), amount: money("Their insurance balance.") }));
  const payerRef = { payerId: z.string().describe("The payer's id in Carebill"), payerName: z.string() };
  const days = (description: string) => z.number().nullable().describe(`${description} Days, one decimal; null without claims.`);
  const ZInsuranceReport = z.object({
    period: ZPeriod,
    hasClaims: z.boolean().describe("Whether the clinic has any claim past draft"),
    receivables: z
      .object({
        asOf: calendarDate.describe("The clinic's date the ages are counted to"),
        buckets: ZAgingBuckets.describe("By days since submission: 0–30, 31–60, 61–90, 91–120, 120+."),
        total: countAmount("Every open claim's insurance balance."),
        over90Amount: money("Insurance balance on claims submitted more than 90 days ago."),
        over90Percent: rate("over90Amount ÷ total amount."),
        byPayer: z
          .array(z.object({ ...payerRef, total: countAmount("The payer's open claims."), buckets: ZAgingBuckets }))
          .describe("The same by payer, largest balance first."),
      })
      .describe(describe("insuranceReceivables", "Insurance balance of claims sent and not closed, now (not for the period).")),
    daysToPay: z
      .object({
        overall: z.object({ claims: count("Claims first paid in the period."), averageDays: days("Average."), medianDays: days("Median.") }),
        byPayer: z.array(z.object({ ...payerRef, claims: z.number().int(), averageDays: days("Average."), medianDays: days("Median.") })),
      })
      .describe(describe("daysToPay", "Days from submission to the first payment, for claims first paid in the period.")),
    denials: z
      .object({
        submitted: z.object({ count: compared("Claims submitted."), amount: compared("Their charges.") }),
        initiallyDenied: z.object({ count: compared("Of those, claims denied at first adjudication."), amount: compared("Their charges.") }),
        denialRate: comparedRate("initiallyDenied.count ÷ submitted.count."),
        denialRateByAmount: comparedRate("initiallyDenied.amount ÷ submitted.amount."),
        byPayer: z.array(
          z.object({
            ...payerRef,
            submitted: countAmount("Claims submitted in the period and their charges."),
            initiallyDenied: countAmount("Of those, denied at first adjudication."),
            denialRate: rate("By count."),
            denialRateByAmount: rate("By charges."),
          }),
        ),
      })
      .describe(describe("denialRate", "Claims submitted in the period denied at their first adjudication.")),
    claimCharges: compared(describe("claimCharges", "Claim charges on submission, less voided claims.")),
    insurerPaid: compared(describe("insurerPaid", "Claim payments posted, less reversals.")),
    contractualAdjustments: compared(describe("contractualAdjustments", "Contractual adjustments posted with claim payments, less reversals.")),
    patientCollections: compared(describe("patientCollections", "Money patients paid: the collections figure.")),
    insurerShare: comparedRate(describe("insurerShare", "insurerPaid ÷ (insurerPaid + patientCollections).")),
    netCollectionRate: comparedRate(describe("insuranceNetCollectionRate", "(payments − refunds) ÷ (charges − contractual adjustments).")),
  });

  return {
    summary: ZSummaryReport,
    aging: ZAgingReport,
    collections: ZCollectionsReport,
    payments: ZPaymentsReport,
    refunds: ZRefundsReport,
    disputes: ZDisputesReport,
    services: ZServicesReport,
    recurring: ZRecurringReport,
    insurance: ZInsuranceReport,
  };
}

type Schemas = ReturnType<typeof reportSchemas>;
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameShapes: {
  summary: Same<z.infer<Schemas["summary"]>, SummaryReport>;
  aging: Same<z.infer<Schemas["aging"]>, AgingReport>;
  collections: Same<z.infer<Schemas["collections"]>, CollectionsReport>;
  payments: Same<z.infer<Schemas["payments"]>, PaymentsReport>;
  refunds: Same<z.infer<Schemas["refunds"]>, RefundsReport>;
  disputes: Same<z.infer<Schemas["disputes"]>, DisputesReport>;
  services: Same<z.infer<Schemas["services"]>, ServicesReport>;
  recurring: Same<z.infer<Schemas["recurring"]>, RecurringReport>;
  insurance: Same<z.infer<Schemas["insurance"]>, InsuranceReport>;
} = { summary: true, aging: true, collections: true, payments: true, refunds: true, disputes: true, services: true, recurring: true, insurance: true };
void sameShapes;
