import { renderToBuffer } from "@react-pdf/renderer";
import type { Db } from "@/lib/db/client";
import { formatCalendarDate, formatDateTime } from "@/lib/dates/format-date";
import { FIGURE_DEFINITIONS, type FigureKey } from "@/lib/analytics/figure-definitions";
import { loadMonthlySummary } from "@/lib/analytics/monthly-summary";
import { pdfLetterhead } from "./letterhead";
import { MonthlySummaryDocument, type FigureFootnote } from "./monthly-summary-document";

/** The figures the summary prints a definition for (figure-definitions.ts, as the page's info popovers), in footnote order. */
const FOOTNOTE_FIGURES = [
  "charges",
  "creditNotes",
  "netCharges",
  "writeOffs",
  "collections",
  "refunds",
  "netCollections",
  "creditApplied",
  "processingFees",
  "disputeLosses",
  "disputeFees",
  "aging",
  "receivables",
  "over90Percent",
  "daysInAR",
  "serviceNetCharges",
  "grossCollectionRate",
  "netCollectionRate",
  "successRate",
  "firstAttemptSuccessRate",
] as const satisfies readonly FigureKey[];

export const FOOTNOTES: FigureFootnote[] = FOOTNOTE_FIGURES.map((figure) => ({ figure, ...FIGURE_DEFINITIONS[figure] }));

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
