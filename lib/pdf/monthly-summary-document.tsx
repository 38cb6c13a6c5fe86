import { StyleSheet, Text, View } from "@react-pdf/renderer";
import { AGING_BUCKET_LABELS, CHANNEL_LABELS } from "@/lib/analytics/figure-definitions";
import { formatChange, formatDays, formatRate } from "@/lib/analytics/figure-format";
import type { MonthlySummary } from "@/lib/analytics/monthly-summary";
import { formatMoney } from "@/lib/money/currency";
import { DocumentFooter, DocumentHeader, PdfDocument, type PdfClinic, type PdfPageSize } from "./blocks";
import { BASE_PDF_STYLES, PDF_COLORS } from "./document-styles";

/** A figure's name and definition, printed as a numbered footnote. */
export type FigureFootnote = { figure: string; label: string; definition: string; formula: string };

export type MonthlySummaryPdfData = {
  pageSize: PdfPageSize;
  clinic: PdfClinic;
  summary: MonthlySummary;
  /** The definitions of the figures printed (lib/analytics/figure-definitions.ts), in footnote order. */
  footnotes: FigureFootnote[];
  /** "Dec 5, 2026": the clinic's today, when receivables are counted. */
  asOfLabel: string;
  generatedLabel: string;
};

/** "November 2026" → "November" for a column head. */
const shortMonth = (label: string) => label.replace(/ \d{4}$/, "");

const styles = StyleSheet.create({
  ...BASE_PDF_STYLES,
  page: { ...BASE_PDF_STYLES.page, paddingTop: 36, paddingBottom: 44, paddingHorizontal: 40, fontSize: 8.5 },
  rule: { ...BASE_PDF_STYLES.rule, marginVertical: 10 },
  subtitle: { textAlign: "right", marginTop: 2, color: PDF_COLORS.muted },
  kpis: { flexDirection: "row", marginBottom: 8 },
  kpi: { flexGrow: 1, flexBasis: 0, backgroundColor: PDF_COLORS.primarySurface, borderRadius: 4, paddingVertical: 5, paddingHorizontal: 9, marginRight: 8 },
  kpiLast: { marginRight: 0 },
  kpiLabel: { fontSize: 7, fontWeight: 600, color: PDF_COLORS.primary, textTransform: "uppercase", marginBottom: 3 },
  kpiValue: { fontSize: 12, fontWeight: 700, color: PDF_COLORS.primary },
  kpiNote: { fontSize: 6.5, color: PDF_COLORS.muted, marginTop: 1 },
  columns: { flexDirection: "row" },
  left: { flexGrow: 1.25, flexBasis: 0, marginRight: 16 },
  right: { flexGrow: 1, flexBasis: 0 },
  sectionTitle: { fontSize: 7, fontWeight: 700, color: PDF_COLORS.primary, textTransform: "uppercase", marginTop: 6, marginBottom: 1 },
  head: { flexDirection: "row", borderBottomWidth: 1, borderBottomColor: PDF_COLORS.text, paddingBottom: 3, paddingHorizontal: 4 },
  headCell: { fontSize: 6.5, fontWeight: 600, color: PDF_COLORS.muted, textTransform: "uppercase" },
  row: { flexDirection: "row", paddingVertical: 1.6, paddingHorizontal: 4, borderBottomWidth: 0.5, borderBottomColor: PDF_COLORS.border },
  rowStrong: { fontWeight: 600, backgroundColor: PDF_COLORS.surface },
  colLabel: { flexGrow: 1, flexBasis: 0, paddingRight: 4 },
  colIndent: { paddingLeft: 10, color: PDF_COLORS.muted },
  colMoney: { width: 58, textAlign: "right" },
  colRate: { width: 34, textAlign: "right" },
  colRateChange: { width: 48, textAlign: "right", color: PDF_COLORS.muted },
  colChange: { width: 40, textAlign: "right", color: PDF_COLORS.muted },
  colCount: { width: 30, textAlign: "right" },
  colAmount: { width: 62, textAlign: "right" },
  sup: { fontSize: 5.5, color: PDF_COLORS.muted },
  note: { fontSize: 6.5, color: PDF_COLORS.muted, marginTop: 3 },
  footnotes: { marginTop: 8, borderTopWidth: 0.5, borderTopColor: PDF_COLORS.border, paddingTop: 4, flexDirection: "row", flexWrap: "wrap" },
  footnoteColumn: { width: "50%", paddingRight: 8 },
  footnote: { fontSize: 5.4, color: PDF_COLORS.muted, marginBottom: 0.6, lineHeight: 1.15 },
  footnoteWide: { width: "100%", fontSize: 5.4, color: PDF_COLORS.muted, marginTop: 2, lineHeight: 1.15 },
});

/** The one-page monthly summary for the clinic owner: the month's figures beside the previous month's, receivables today, top services, and what each figure means. */
export function MonthlySummaryDocument({ data }: { data: MonthlySummaryPdfData }) {
  const { clinic, summary, footnotes } = data;
  const { current, previous, aging, currency } = summary;
  const money = (amount: number) => formatMoney(amount, currency);
  const note = (figure: string) => {
    const index = footnotes.findIndex((footnote) => footnote.figure === figure);
    return index === -1 ? null : <Text style={styles.sup}> {index + 1}</Text>;
  };
  const amountRow = (label: string, figure: string, now: number, before: number, options: { strong?: boolean; indent?: boolean } = {}) => (
    <View key={`${figure}-${label}`} style={options.strong ? [styles.row, styles.rowStrong] : styles.row} wrap={false}>
      <Text style={options.indent ? [styles.colLabel, styles.colIndent] : styles.colLabel}>
        {label}
        {note(figure)}
      </Text>
      <Text style={styles.colMoney}>{money(now)}</Text>
      <Text style={styles.colMoney}>{money(before)}</Text>
      <Text style={styles.colChange}>{formatChange(now, before, "amount")}</Text>
    </View>
  );
  const rateRow = (label: string, figure: string, now: number | null, before: number | null) => (
    <View key={figure} style={styles.row} wrap={false}>
      <Text style={styles.colLabel}>
        {label}
        {note(figure)}
      </Text>
      <Text style={styles.colRate}>{formatRate(now)}</Text>
      <Text style={styles.colRate}>{formatRate(before)}</Text>
      <Text style={styles.colRateChange}>{formatChange(now, before, "rate")}</Text>
    </View>
  );
  const s = current.summary;
  const p = previous.summary;
  const channels = current.collections.byChannel
    .map((channel) => ({ ...channel, before: previous.collections.byChannel.find((other) => other.channel === channel.channel)?.amount ?? 0 }))
    .filter((channel) => channel.amount !== 0 || channel.before !== 0);
  const receivables = s.receivables;
  const monthLabel = summary.month.monthToDate ? `${summary.month.label} to date` : summary.month.label;

  return (
    <PdfDocument title={`Monthly summary ${summary.month.label}`} clinic={clinic} pageSize={data.pageSize}>
      <DocumentHeader clinic={clinic} title="MONTHLY SUMMARY">
        <Text style={styles.subtitle}>{monthLabel}</Text>
        <Text style={styles.subtitle}>compared with {summary.previousMonth.label}</Text>
      </DocumentHeader>

      <View style={styles.kpis}>
        <View style={styles.kpi}>
          <Text style={styles.kpiLabel}>Net collections</Text>
          <Text style={styles.kpiValue}>{money(s.netCollections.current)}</Text>
          <Text style={styles.kpiNote}>{formatChange(s.netCollections.current, p.netCollections.current, "amount")} vs previous month</Text>
        </View>
        <View style={styles.kpi}>
          <Text style={styles.kpiLabel}>Net charges</Text>
          <Text style={styles.kpiValue}>{money(s.netCharges.current)}</Text>
          <Text style={styles.kpiNote}>{formatChange(s.netCharges.current, p.netCharges.current, "amount")} vs previous month</Text>
        </View>
        <View style={styles.kpi}>
          <Text style={styles.kpiLabel}>Accounts receivable</Text>
          <Text style={styles.kpiValue}>{money(receivables.amount)}</Text>
          <Text style={styles.kpiNote}>{formatRate(receivables.over90Percent)} over 90 days</Text>
        </View>
        <View style={[styles.kpi, styles.kpiLast]}>
          <Text style={styles.kpiLabel}>Card success rate</Text>
          <Text style={styles.kpiValue}>{formatRate(current.payments.successRate.current)}</Text>
          <Text style={styles.kpiNote}>{formatRate(current.payments.firstAttemptSuccessRate.current)} on the first attempt</Text>
        </View>
      </View>

      <View style={styles.columns}>
        <View style={styles.left}>
          <View style={styles.head}>
            <Text style={[styles.headCell, styles.colLabel]}>Figure</Text>
            <Text style={[styles.headCell, styles.colMoney]}>{shortMonth(summary.month.label)}</Text>
            <Text style={[styles.headCell, styles.colMoney]}>{shortMonth(summary.previousMonth.label)}</Text>
            <Text style={[styles.headCell, styles.colChange]}>Change</Text>
          </View>
          <Text style={styles.sectionTitle}>Billed</Text>
          {amountRow("Charges", "charges", s.charges.current, p.charges.current)}
          {amountRow("Credit notes", "creditNotes", s.creditNotes.current, p.creditNotes.current)}
          {amountRow("Net charges", "netCharges", s.netCharges.current, p.netCharges.current, { strong: true })}
          {amountRow("Written off", "writeOffs", s.writeOffs.current, p.writeOffs.current)}
          <Text style={styles.sectionTitle}>Collected</Text>
          {amountRow("Collections", "collections", s.collections.current, p.collections.current)}
          {channels.map((channel) => amountRow(CHANNEL_LABELS[channel.channel], "channels", channel.amount, channel.before, { indent: true }))}
          {amountRow("Refunds", "refunds", s.refunds.current, p.refunds.current)}
          {amountRow("Net collections", "netCollections", s.netCollections.current, p.netCollections.current, { strong: true })}
          {amountRow("Patient credit applied", "creditApplied", s.creditApplied.current, p.creditApplied.current)}
          <Text style={styles.sectionTitle}>Costs</Text>
          {amountRow("Processing fees", "processingFees", s.processingFees.current, p.processingFees.current)}
          {amountRow("Dispute losses", "disputeLosses", s.disputeLosses.current, p.disputeLosses.current)}
          {amountRow("Dispute fees", "disputeFees", s.disputeFees.current, p.disputeFees.current)}
        </View>

        <View style={styles.right}>
          <View style={styles.head}>
            <Text style={[styles.headCell, styles.colLabel]}>Receivables, {data.asOfLabel}</Text>
            <Text style={[styles.headCell, styles.colCount]}>Inv.</Text>
            <Text style={[styles.headCell, styles.colAmount]}>Amount</Text>
          </View>
          <Text style={styles.sectionTitle}>
            Aging by days since issue
            {note("aging")}
          </Text>
          {aging.buckets.map((bucket) => (
            <View key={bucket.key} style={styles.row} wrap={false}>
              <Text style={styles.colLabel}>{AGING_BUCKET_LABELS[bucket.key]}</Text>
              <Text style={styles.colCount}>{bucket.count}</Text>
              <Text style={styles.colAmount}>{money(bucket.amount)}</Text>
            </View>
          ))}
          <View style={[styles.row, styles.rowStrong]} wrap={false}>
            <Text style={styles.colLabel}>
              Accounts receivable
              {note("receivables")}
            </Text>
            <Text style={styles.colCount}>{aging.total.count}</Text>
            <Text style={styles.colAmount}>{money(receivables.amount)}</Text>
          </View>
          <View style={styles.row} wrap={false}>
            <Text style={styles.colLabel}>
              Over 90 days
              {note("over90Percent")}
            </Text>
            <Text style={styles.colCount} />
            <Text style={styles.colAmount}>{formatRate(receivables.over90Percent)}</Text>
          </View>
          <View style={styles.row} wrap={false}>
            <Text style={styles.colLabel}>
              Days in A/R
              {note("daysInAR")}
            </Text>
            <Text style={styles.colCount} />
            <Text style={styles.colAmount}>{formatDays(receivables.daysInAR)}</Text>
          </View>
          {aging.total.amount !== receivables.amount && (
            <Text style={styles.note}>Open invoices total {money(aging.total.amount)}; the AR account also holds balances not yet on an invoice.</Text>
          )}

          <View style={[styles.head, { marginTop: 14 }]}>
            <Text style={[styles.headCell, styles.colLabel]}>
              Top services, {summary.month.label}
              {note("serviceNetCharges")}
            </Text>
            <Text style={[styles.headCell, styles.colAmount]}>Net charges</Text>
          </View>
          {current.services.byNetCharges.slice(0, 5).map((service) => (
            <View key={`${service.serviceCode ?? ""}|${service.description}`} style={styles.row} wrap={false}>
              <Text style={styles.colLabel}>{service.serviceCode ? `${service.serviceCode} · ${service.description}` : service.description}</Text>
              <Text style={styles.colAmount}>{money(service.netCharges)}</Text>
            </View>
          ))}
          {current.services.byNetCharges.length === 0 && <Text style={styles.note}>No services billed this month.</Text>}

          <View style={[styles.head, { marginTop: 14 }]}>
            <Text style={[styles.headCell, styles.colLabel]}>Rates</Text>
            <Text style={[styles.headCell, styles.colRate]}>{shortMonth(summary.month.label).slice(0, 3)}</Text>
            <Text style={[styles.headCell, styles.colRate]}>{shortMonth(summary.previousMonth.label).slice(0, 3)}</Text>
            <Text style={[styles.headCell, styles.colRateChange]}>Change</Text>
          </View>
          {rateRow("Gross collection", "grossCollectionRate", s.grossCollectionRate.current, p.grossCollectionRate.current)}
          {rateRow("Net collection", "netCollectionRate", s.netCollectionRate.current, p.netCollectionRate.current)}
          {rateRow("Card success", "successRate", current.payments.successRate.current, previous.payments.successRate.current)}
          {rateRow(
            "Card, first attempt",
            "firstAttemptSuccessRate",
            current.payments.firstAttemptSuccessRate.current,
            previous.payments.firstAttemptSuccessRate.current,
          )}
        </View>
      </View>

      <View style={styles.footnotes}>
        {[footnotes.slice(0, Math.ceil(footnotes.length / 2)), footnotes.slice(Math.ceil(footnotes.length / 2))].map((column, columnIndex) => (
          <View key={columnIndex} style={styles.footnoteColumn}>
            {column.map((footnote) => (
              <Text key={footnote.figure} style={styles.footnote}>
                {footnotes.indexOf(footnote) + 1}. {footnote.label}. {footnote.definition}
              </Text>
            ))}
          </View>
        ))}
        <Text style={styles.footnoteWide}>
          {summary.month.monthToDate ? `Figures for ${summary.month.label} run to ${data.asOfLabel}. ` : ""}Receivables and aging are counted on{" "}
          {data.asOfLabel}. Dates are the clinic&apos;s calendar ({summary.timezone}); amounts in {currency}; every figure is read from the ledger.
        </Text>
      </View>

      <DocumentFooter clinic={clinic} reference={`Monthly summary ${summary.month.label}`}>
        <Text>Generated {data.generatedLabel}</Text>
      </DocumentFooter>
    </PdfDocument>
  );
}
