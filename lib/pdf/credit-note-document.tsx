import { Document, Page, StyleSheet, Text, View } from "@react-pdf/renderer";
import type { CreditNoteDisposition } from "@/lib/db/generated/enums";
import { formatMoney } from "@/lib/money/currency";
import { BASE_PDF_STYLES, PDF_COLORS } from "./document-styles";

/** Everything the credit note PDF shows, already scoped and loaded. */
export type CreditNotePdfData = {
  pageSize: "LETTER" | "A4";
  clinic: { name: string; addressLines: string[] };
  patient: { name: string; externalId: string | null };
  creditNote: {
    number: string;
    status: "issued" | "void";
    currency: string;
    /** Formatted in the clinic's time zone. */
    issueDate: string;
    disposition: CreditNoteDisposition;
    reason: string;
    amount: number;
    taxAmount: number;
  };
  invoice: { number: string; total: number; issueDate: string | null };
};

/** What happens to the credited amount, in the patient's words. */
const DISPOSITION_TEXT: Record<CreditNoteDisposition, string> = {
  reduce_balance: "This amount is taken off what you owe on the invoice.",
  patient_credit: "This amount is kept as credit on your account and used toward future bills.",
  refund: "This amount is refunded to the card you paid with.",
};

const styles = StyleSheet.create({
  ...BASE_PDF_STYLES,
  totals: { ...BASE_PDF_STYLES.totals, marginTop: 20 },
  watermark: { ...BASE_PDF_STYLES.watermark, color: PDF_COLORS.danger },
});

function TotalsRow({ label, value, strong = false }: { label: string; value: string; strong?: boolean }) {
  return (
    <View style={strong ? [styles.totalsRow, styles.totalsStrong] : styles.totalsRow}>
      <Text style={strong ? undefined : styles.muted}>{label}</Text>
      <Text>{value}</Text>
    </View>
  );
}

/** A credit note as a one-page PDF, VOID watermarked when voided (a refund that failed). */
export function CreditNoteDocument({ data }: { data: CreditNotePdfData }) {
  const { clinic, patient, creditNote, invoice } = data;
  const money = (amount: number) => formatMoney(amount, creditNote.currency);
  return (
    <Document title={`Credit note ${creditNote.number}`} author={clinic.name} creator="Carebill" producer="Carebill" language="en">
      <Page size={data.pageSize} style={styles.page}>
        <View style={styles.header}>
          <View style={styles.clinic}>
            <Text style={styles.clinicName}>{clinic.name}</Text>
            {clinic.addressLines.map((line) => (
              <Text key={line} style={styles.muted}>
                {line}
              </Text>
            ))}
          </View>
          <Text style={styles.title}>CREDIT NOTE</Text>
        </View>

        <View style={styles.rule} />

        <View style={styles.meta}>
          <View style={styles.metaColumnWide}>
            <Text style={styles.label}>Credit to</Text>
            <Text style={styles.strong}>{patient.name}</Text>
            {patient.externalId && <Text style={styles.muted}>Patient ID {patient.externalId}</Text>}
          </View>
          <View style={styles.metaColumn}>
            <Text style={styles.label}>Credit note</Text>
            <Text style={styles.strong}>{creditNote.number}</Text>
          </View>
          <View style={styles.metaColumn}>
            <Text style={styles.label}>Date</Text>
            <Text>{creditNote.issueDate}</Text>
          </View>
          <View style={styles.metaColumn}>
            <Text style={styles.label}>For invoice</Text>
            <Text>{invoice.number}</Text>
            {invoice.issueDate && <Text style={styles.muted}>{invoice.issueDate}</Text>}
          </View>
        </View>

        <View style={styles.amountBox}>
          <Text style={styles.amountLabel}>Amount credited</Text>
          <Text style={styles.amountValue}>{money(creditNote.amount)}</Text>
        </View>

        <View style={styles.section}>
          <Text style={styles.label}>Reason</Text>
          <Text>{creditNote.reason}</Text>
        </View>

        <View style={styles.totals} wrap={false}>
          <TotalsRow label="Credit before tax" value={money(creditNote.amount - creditNote.taxAmount)} />
          <TotalsRow label="Tax credited" value={money(creditNote.taxAmount)} />
          <TotalsRow label="Total credited" value={money(creditNote.amount)} strong />
          <TotalsRow label={`Invoice ${invoice.number} total`} value={money(invoice.total)} />
        </View>

        <View style={styles.section}>
          <Text>{creditNote.status === "void" ? "This credit note is void: the refund it went with did not go through." : DISPOSITION_TEXT[creditNote.disposition]}</Text>
        </View>

        <View style={styles.footer} fixed>
          <Text>
            {clinic.name} · {creditNote.number}
          </Text>
          <Text render={({ pageNumber, totalPages }) => `Page ${pageNumber} of ${totalPages}`} />
        </View>

        {creditNote.status === "void" && (
          <Text fixed style={styles.watermark}>
            VOID
          </Text>
        )}
      </Page>
    </Document>
  );
}
