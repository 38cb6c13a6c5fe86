import { Document, Page, StyleSheet, Text, View } from "@react-pdf/renderer";
import { formatMoney } from "@/lib/money/currency";
import { BASE_PDF_STYLES } from "./document-styles";

/** Everything a payment receipt shows, already scoped and loaded; dates already formatted. */
export type ReceiptPdfData = {
  pageSize: "LETTER" | "A4";
  clinic: { name: string; addressLines: string[] };
  patient: { name: string; externalId: string | null };
  receipt: {
    number: string;
    currency: string;
    /** The day the money was received, formatted. */
    receivedOn: string;
    /** "Cash", "Check no. 1042", "Visa •••• 4242", … */
    method: string;
    amount: number;
    /** Each invoice it paid, with what the invoice still asks for now. */
    allocations: { invoiceNumber: string; applied: number; remaining: number; writtenOff: boolean }[];
    credit: number;
    refunded: number;
  };
};

const styles = StyleSheet.create({
  ...BASE_PDF_STYLES,
  colInvoice: { flexGrow: 1, flexBasis: 0, paddingRight: 8 },
  colMoney: { width: 110, textAlign: "right" },
  thanks: { marginTop: 28 },
});

/** A payment receipt: who paid what, when and how, and what each invoice still owes. */
export function ReceiptDocument({ data }: { data: ReceiptPdfData }) {
  const { clinic, patient, receipt } = data;
  const money = (amount: number) => formatMoney(amount, receipt.currency);
  return (
    <Document title={`Receipt ${receipt.number}`} author={clinic.name} creator="Carebill" producer="Carebill" language="en">
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
          <Text style={styles.title}>RECEIPT</Text>
        </View>

        <View style={styles.rule} />

        <View style={styles.meta}>
          <View style={styles.metaColumnWide}>
            <Text style={styles.label}>Received from</Text>
            <Text style={styles.strong}>{patient.name}</Text>
            {patient.externalId && <Text style={styles.muted}>Patient ID {patient.externalId}</Text>}
          </View>
          <View style={styles.metaColumn}>
            <Text style={styles.label}>Receipt number</Text>
            <Text style={styles.strong}>{receipt.number}</Text>
          </View>
          <View style={styles.metaColumn}>
            <Text style={styles.label}>Date received</Text>
            <Text>{receipt.receivedOn}</Text>
          </View>
          <View style={styles.metaColumn}>
            <Text style={styles.label}>Method</Text>
            <Text>{receipt.method}</Text>
          </View>
        </View>

        <View style={styles.amountBox}>
          <Text style={styles.amountLabel}>Amount paid</Text>
          <Text style={styles.amountValue}>{money(receipt.amount)}</Text>
        </View>

        {receipt.allocations.length > 0 && (
          <View style={styles.table}>
            <View style={styles.tableHead} fixed>
              <Text style={[styles.tableHeadCell, styles.colInvoice]}>Invoice</Text>
              <Text style={[styles.tableHeadCell, styles.colMoney]}>Applied</Text>
              <Text style={[styles.tableHeadCell, styles.colMoney]}>Remaining balance</Text>
            </View>
            {receipt.allocations.map((allocation) => (
              <View key={allocation.invoiceNumber} style={styles.tableRow} wrap={false}>
                <Text style={styles.colInvoice}>{allocation.invoiceNumber}</Text>
                <Text style={styles.colMoney}>{money(allocation.applied)}</Text>
                <Text style={styles.colMoney}>{allocation.remaining > 0 ? `${money(allocation.remaining)}${allocation.writtenOff ? " (written off)" : ""}` : "Paid in full"}</Text>
              </View>
            ))}
          </View>
        )}

        <View style={styles.totals} wrap={false}>
          <View style={styles.totalsRow}>
            <Text style={styles.muted}>Applied to invoices</Text>
            <Text>{money(receipt.allocations.reduce((sum, allocation) => sum + allocation.applied, 0))}</Text>
          </View>
          {receipt.credit > 0 && (
            <View style={styles.totalsRow}>
              <Text style={styles.muted}>Kept as credit</Text>
              <Text>{money(receipt.credit)}</Text>
            </View>
          )}
          {receipt.refunded > 0 && (
            <View style={styles.totalsRow}>
              <Text style={styles.muted}>Refunded since</Text>
              <Text>{money(-receipt.refunded)}</Text>
            </View>
          )}
        </View>

        <View style={styles.thanks}>
          <Text>Thank you for your payment.</Text>
          {receipt.credit > 0 && <Text style={styles.muted}>The credit stays on your account and can pay future visits.</Text>}
        </View>

        <View style={styles.footer} fixed>
          <Text>
            {clinic.name} · Receipt {receipt.number}
          </Text>
          <Text>Keep this receipt for your records.</Text>
        </View>
      </Page>
    </Document>
  );
}
