import { renderToBuffer } from "@react-pdf/renderer";
import type { Db } from "@/lib/db/client";
import { formatCalendarDate, formatDateTime } from "@/lib/dates/format-date";
import { loadMonthlySummary } from "@/lib/analytics/monthly-summary";
import { pdfLetterhead } from "./letterhead";
import { MonthlySummaryDocument, type FigureFootnote } from "./monthly-summary-document";

/** The figures the summary prints a definition for, in footnote order. */
export const FOOTNOTES: FigureFootnote[] = [
  {
    figure: "charges",
    label: "Charges",
    definition: "finalized invoice totals (after discounts, with tax) by finalization day, less invoices voided in the month.",
  },
  { figure: "creditNotes", label: "Credit notes", definition: "credit notes issued, less credit notes voided." },
  { figure: "netCharges", label: "Net charges", definition: "charges − credit notes." },
  { figure: "writeOffs", label: "Written off", definition: "balances written off as uncollectible, less write-offs reversed or recovered." },
  { figure: "collections", label: "Collections", definition: "money received: card, bank and front-desk payments; manual payments voided later come off." },
  {
    figure: "channels",
    label: "Channels",
    definition: "collections by where the payment was made (pay page, saved card charged by staff, front desk by method).",
  },
  { figure: "refunds", label: "Refunds", definition: "refunds requested, less refunds that failed." },
  { figure: "netCollections", label: "Net collections", definition: "collections − refunds." },
  {
    figure: "creditApplied",
    label: "Patient credit applied",
    definition: "credit from overpayments or credit notes used to pay invoices; not money received.",
  },
  { figure: "processingFees", label: "Processing fees", definition: "card processing fees charged by Stripe." },
  { figure: "disputeLosses", label: "Dispute losses", definition: "chargebacks lost." },
  { figure: "disputeFees", label: "Dispute fees", definition: "dispute fees, less fees returned on disputes won." },
  { figure: "grossCollectionRate", label: "Gross collection rate", definition: "collections ÷ charges." },
  { figure: "netCollectionRate", label: "Net collection rate", definition: "(collections − refunds) ÷ (charges − credit notes − write-offs)." },
  { figure: "successRate", label: "Card success rate", definition: "succeeded ÷ attempted card payments (submitted at least once)." },
  { figure: "firstAttemptSuccessRate", label: "First attempt", definition: "card payments that succeeded on their first attempt ÷ attempted." },
  { figure: "aging", label: "Aging", definition: "open invoices' amount due by days since the invoice date." },
  { figure: "accountsReceivable", label: "Accounts receivable", definition: "the AR account's balance: what patients owe now." },
  { figure: "over90Percent", label: "Over 90 days", definition: "AR on invoices issued more than 90 days ago ÷ AR." },
  { figure: "daysInAR", label: "Days in A/R", definition: "AR ÷ (net charges of the last 90 days ÷ 90)." },
  {
    figure: "servicesByNetCharges",
    label: "Top services",
    definition: "invoice lines after their discount, with tax, less voids and credit notes, by service code.",
  },
];

/** The one-page monthly summary PDF of `month` (YYYY-MM) for the clinic, with its file name. */
export async function renderMonthlySummaryPdf(
  db: Db,
  options: { organizationId: string; month: string; now?: Date },
): Promise<{ filename: string; pdf: Buffer }> {
  const now = options.now ?? new Date();
  const [summary, organization] = await Promise.all([
    loadMonthlySummary(db, { organizationId: options.organizationId, month: options.month, now }),
    db.organization.findUniqueOrThrow({ where: { id: options.organizationId }, include: { logo: true } }),
  ]);
  const pdf = await renderToBuffer(
    <MonthlySummaryDocument
      data={{
        ...pdfLetterhead(organization),
        summary,
        footnotes: FOOTNOTES,
        asOfLabel: formatCalendarDate(summary.asOf),
        generatedLabel: formatDateTime(now, { timeZone: organization.timezone }, { zoneName: true }),
      }}
    />,
  );
  return { filename: `monthly-summary-${options.month}.pdf`, pdf };
}
