import { Link, Path, StyleSheet, Svg, Text, View } from "@react-pdf/renderer";
import type { InvoiceStatus } from "@/lib/invoices/invoices.types";
import { formatMoney } from "@/lib/money/currency";
import {
  AmountBox,
  DocumentFooter,
  DocumentHeader,
  MetaColumn,
  MetaRow,
  PageNumbers,
  PdfDocument,
  Totals,
  TotalsRow,
  Watermark,
  type PdfClinic,
  type PdfPageSize,
  type PdfPatient,
} from "./blocks";
import { BASE_PDF_STYLES, PDF_COLORS } from "./document-styles";
import type { QrCodePath } from "./qr-code-path";
import { invoicePaidFigures, invoicePaidRows, type InvoiceRefundTotals } from "@/lib/invoices/invoice-paid-figures";

/** Everything the invoice PDF shows, already scoped, loaded and formatted where it is not money. */
export type InvoicePdfData = {
  pageSize: PdfPageSize;
  clinic: PdfClinic;
  patient: PdfPatient;
  invoice: {
    number: string | null;
    status: InvoiceStatus;
    overdue: boolean;
    currency: string;
    /** Formatted in the clinic's time zone; null while draft. */
    issueDate: string | null;
    /** A formatted date, or the terms ("Due on receipt") for a draft without one. */
    dueDate: string;
    /** Percent, e.g. 8.25. */
    taxRate: number;
    /** Percent for a percentage discount, null for a fixed amount or none. */
    discountPercent: number | null;
    memo: string | null;
    lines: { description: string; serviceCode: string | null; quantity: number; unitAmount: number; amount: number; taxExempt: boolean }[];
    subtotal: number;
    discountTotal: number;
    taxTotal: number;
    total: number;
    amountPaid: number;
    amountWrittenOff: number;
    amountCredited: number;
    /** Card refunds of its payments (invoicePaidFigures). */
    refunds: InvoiceRefundTotals;
    /** What the patient owes now (for a draft: its total). */
    balanceDue: number;
  };
  /** What paid the invoice and what was refunded, oldest first (refunds negative). */
  payments: { date: string; description: string; amount: number }[];
  /** Printed only while something is due. */
  payLink?: { url: string; qrCode: QrCodePath };
};

const STATUS_LABELS: Record<InvoiceStatus, string> = {
  draft: "Draft",
  open: "Open",
  partially_paid: "Partially paid",
  paid: "Paid",
  void: "Void",
  uncollectible: "Uncollectible",
};

const styles = StyleSheet.create({
  ...BASE_PDF_STYLES,
  statusChip: {
    marginTop: 8,
    alignSelf: "flex-end",
    paddingVertical: 2,
    paddingHorizontal: 8,
    borderRadius: 3,
    borderWidth: 1,
    fontSize: 8.5,
    fontWeight: 600,
  },
  colDescription: { flexGrow: 1, flexBasis: 0, paddingRight: 8 },
  colCode: { width: 64 },
  colQuantity: { width: 36, textAlign: "right" },
  colMoney: { width: 84, textAlign: "right" },
  colDate: { width: 84 },
  lineNote: { fontSize: 7.5, color: PDF_COLORS.muted, marginTop: 1 },
  balanceRow: {
    flexDirection: "row",
    justifyContent: "space-between",
    marginTop: 6,
    paddingVertical: 7,
    paddingHorizontal: 8,
    backgroundColor: PDF_COLORS.primary,
    color: "#FFFFFF",
    borderRadius: 3,
    fontSize: 11,
    fontWeight: 700,
  },
  payBox: { marginTop: 20, flexDirection: "row", alignItems: "center", borderWidth: 1, borderColor: PDF_COLORS.border, borderRadius: 4, padding: 12 },
  payText: { flexGrow: 1, flexBasis: 0, paddingLeft: 16 },
  payTitle: { fontSize: 11, fontWeight: 700, marginBottom: 3 },
  payUrl: { color: PDF_COLORS.primary, marginTop: 6, textDecoration: "none", fontSize: 7.5 },
  qrCode: { width: 104, height: 104 },
});

function statusChip(invoice: InvoicePdfData["invoice"]): { label: string; color: string } {
  if (invoice.overdue) return { label: "Overdue", color: PDF_COLORS.danger };
  const color = {
    paid: PDF_COLORS.success,
    void: PDF_COLORS.danger,
    uncollectible: PDF_COLORS.warning,
    draft: PDF_COLORS.muted,
    open: PDF_COLORS.primary,
    partially_paid: PDF_COLORS.primary,
  }[invoice.status];
  return { label: STATUS_LABELS[invoice.status], color };
}

function InvoiceTotals({ invoice }: { invoice: InvoicePdfData["invoice"] }) {
  const money = (amount: number) => formatMoney(amount, invoice.currency);
  return (
    <Totals>
      <TotalsRow label="Subtotal" value={money(invoice.subtotal)} />
      {invoice.discountTotal > 0 && (
        <TotalsRow label={invoice.discountPercent === null ? "Discount" : `Discount (${invoice.discountPercent}%)`} value={money(-invoice.discountTotal)} />
      )}
      {(invoice.taxRate > 0 || invoice.taxTotal > 0) && <TotalsRow label={`Tax (${invoice.taxRate}%)`} value={money(invoice.taxTotal)} />}
      <TotalsRow label="Total" value={money(invoice.total)} strong />
      {invoicePaidRows(invoicePaidFigures(invoice, invoice.refunds), invoice.currency).map((row) => (
        <TotalsRow key={row.testId} label={row.label} value={row.value} />
      ))}
      {invoice.amountCredited > 0 && <TotalsRow label="Credited" value={money(-invoice.amountCredited)} />}
      {invoice.amountWrittenOff > 0 && <TotalsRow label="Written off" value={money(-invoice.amountWrittenOff)} />}
      <View style={styles.balanceRow}>
        <Text>Balance due</Text>
        <Text>{money(invoice.balanceDue)}</Text>
      </View>
    </Totals>
  );
}

function PaymentsTable({ payments, currency }: { payments: InvoicePdfData["payments"]; currency: string }) {
  const money = (amount: number) => (amount < 0 ? `−${formatMoney(-amount, currency)}` : formatMoney(amount, currency));
  return (
    <View style={styles.section}>
      <Text style={styles.label}>Payments and refunds</Text>
      <View style={styles.table}>
        <View style={styles.tableHead}>
          <Text style={[styles.tableHeadCell, styles.colDate]}>Date</Text>
          <Text style={[styles.tableHeadCell, styles.colDescription]}>Description</Text>
          <Text style={[styles.tableHeadCell, styles.colMoney]}>Amount</Text>
        </View>
        {payments.map((payment, index) => (
          <View key={index} style={styles.tableRow} wrap={false}>
            <Text style={styles.colDate}>{payment.date}</Text>
            <Text style={styles.colDescription}>{payment.description}</Text>
            <Text style={styles.colMoney}>{money(payment.amount)}</Text>
          </View>
        ))}
      </View>
    </View>
  );
}

/** Old pay-link URLs are long signed tokens with nowhere to wrap; print them in short lines. */
const URL_LINE_LENGTH = 64;

function PayLinkBox({ url, qrCode }: { url: string; qrCode: QrCodePath }) {
  const lines = Array.from({ length: Math.ceil(url.length / URL_LINE_LENGTH) }, (_, index) =>
    url.slice(index * URL_LINE_LENGTH, (index + 1) * URL_LINE_LENGTH),
  );
  return (
    <View style={styles.payBox} wrap={false}>
      <Svg viewBox={`0 0 ${qrCode.size} ${qrCode.size}`} style={styles.qrCode}>
        <Path d={qrCode.path} fill="#000000" />
      </Svg>
      <View style={styles.payText}>
        <Text style={styles.payTitle}>Pay online</Text>
        <Text style={styles.muted}>Scan the code with your phone’s camera, or open this link to pay securely by card:</Text>
        <Link src={url} style={styles.payUrl}>
          {lines.join("\n")}
        </Link>
      </View>
    </View>
  );
}

/** The invoice as a PDF document: one or more pages, with a DRAFT or VOID watermark where relevant. */
export function InvoiceDocument({ data }: { data: InvoicePdfData }) {
  const { clinic, patient, invoice, payLink } = data;
  const money = (amount: number) => formatMoney(amount, invoice.currency);
  const chip = statusChip(invoice);
  const watermark = invoice.status === "draft" ? "DRAFT" : invoice.status === "void" ? "VOID" : null;
  const reference = invoice.number ?? "Draft invoice";
  const showTaxExemptNotes = invoice.taxRate > 0;

  return (
    <PdfDocument title={`Invoice ${reference}`} clinic={clinic} pageSize={data.pageSize}>
      <DocumentHeader clinic={clinic} title="INVOICE">
        <Text style={[styles.statusChip, { color: chip.color, borderColor: chip.color }]}>{chip.label}</Text>
      </DocumentHeader>

      <MetaRow patientLabel="Bill to" patient={patient}>
        <MetaColumn label="Invoice number" value={reference} strong />
        <MetaColumn label="Issue date" value={invoice.issueDate ?? "Not yet issued"} />
        <MetaColumn label="Due date" value={invoice.dueDate} />
      </MetaRow>

      <AmountBox label="Balance due" value={money(invoice.balanceDue)} />

      <View style={styles.table}>
        <View style={styles.tableHead} fixed>
          <Text style={[styles.tableHeadCell, styles.colDescription]}>Description</Text>
          <Text style={[styles.tableHeadCell, styles.colCode]}>Code</Text>
          <Text style={[styles.tableHeadCell, styles.colQuantity]}>Qty</Text>
          <Text style={[styles.tableHeadCell, styles.colMoney]}>Unit price</Text>
          <Text style={[styles.tableHeadCell, styles.colMoney]}>Amount</Text>
        </View>
        {invoice.lines.map((line, index) => (
          <View key={index} style={styles.tableRow} wrap={false}>
            <View style={styles.colDescription}>
              <Text>{line.description}</Text>
              {showTaxExemptNotes && line.taxExempt && <Text style={styles.lineNote}>Not taxed</Text>}
            </View>
            <Text style={[styles.colCode, styles.muted]}>{line.serviceCode ?? ""}</Text>
            <Text style={styles.colQuantity}>{line.quantity}</Text>
            <Text style={styles.colMoney}>{money(line.unitAmount)}</Text>
            <Text style={styles.colMoney}>{money(line.amount)}</Text>
          </View>
        ))}
      </View>

      <InvoiceTotals invoice={invoice} />

      {data.payments.length > 0 && <PaymentsTable payments={data.payments} currency={invoice.currency} />}

      {payLink && invoice.balanceDue > 0 && <PayLinkBox url={payLink.url} qrCode={payLink.qrCode} />}

      {invoice.memo && (
        <View style={styles.section} wrap={false}>
          <Text style={styles.label}>Notes</Text>
          <Text>{invoice.memo}</Text>
        </View>
      )}

      <DocumentFooter clinic={clinic} reference={reference}>
        <PageNumbers />
      </DocumentFooter>

      {watermark && <Watermark text={watermark} color={watermark === "VOID" ? PDF_COLORS.danger : PDF_COLORS.muted} />}
    </PdfDocument>
  );
}
