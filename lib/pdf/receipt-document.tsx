import { StyleSheet, Text, View } from "@react-pdf/renderer";
import { formatMoney } from "@/lib/money/currency";
import {
  AmountBox,
  DocumentFooter,
  DocumentHeader,
  MetaColumn,
  MetaRow,
  PdfDocument,
  Totals,
  TotalsRow,
  type PdfClinic,
  type PdfPageSize,
  type PdfPatient,
} from "./blocks";
import { BASE_PDF_STYLES } from "./document-styles";

/** Everything a payment receipt shows, already scoped and loaded; dates already formatted. */
export type ReceiptPdfData = {
  pageSize: PdfPageSize;
  clinic: PdfClinic;
  patient: PdfPatient;
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
    /** Cash payments: the cash handed over (the change given back is cashTendered − amount); null otherwise. */
    cashTendered: number | null;
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
    <PdfDocument title={`Receipt ${receipt.number}`} clinic={clinic} pageSize={data.pageSize}>
      <DocumentHeader clinic={clinic} title="RECEIPT" />

      <MetaRow patientLabel="Received from" patient={patient}>
        <MetaColumn label="Receipt number" value={receipt.number} strong />
        <MetaColumn label="Date received" value={receipt.receivedOn} />
        <MetaColumn label="Method" value={receipt.method} />
      </MetaRow>

      <AmountBox label="Amount paid" value={money(receipt.amount)} />

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
              <Text style={styles.colMoney}>
                {allocation.remaining > 0 ? `${money(allocation.remaining)}${allocation.writtenOff ? " (written off)" : ""}` : "Paid in full"}
              </Text>
            </View>
          ))}
        </View>
      )}

      <Totals>
        <TotalsRow label="Applied to invoices" value={money(receipt.allocations.reduce((sum, allocation) => sum + allocation.applied, 0))} />
        {receipt.credit > 0 && <TotalsRow label="Kept as credit" value={money(receipt.credit)} />}
        {receipt.refunded > 0 && <TotalsRow label="Refunded since" value={money(-receipt.refunded)} />}
        {receipt.cashTendered !== null && receipt.cashTendered > receipt.amount && (
          <>
            <TotalsRow label="Cash received" value={money(receipt.cashTendered)} />
            <TotalsRow label="Change given" value={money(receipt.cashTendered - receipt.amount)} />
          </>
        )}
      </Totals>

      <View style={styles.thanks}>
        <Text>Thank you for your payment.</Text>
        {receipt.credit > 0 && <Text style={styles.muted}>The credit stays on your account and can pay future visits.</Text>}
      </View>

      <DocumentFooter clinic={clinic} reference={`Receipt ${receipt.number}`}>
        <Text>Keep this receipt for your records.</Text>
      </DocumentFooter>
    </PdfDocument>
  );
}
