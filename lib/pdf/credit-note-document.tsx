import { StyleSheet, Text, View } from "@react-pdf/renderer";
import type { CreditNoteDisposition } from "@/lib/db/generated/enums";
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

/** Everything the credit note PDF shows, already scoped and loaded. */
export type CreditNotePdfData = {
  pageSize: PdfPageSize;
  clinic: PdfClinic;
  patient: PdfPatient;
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

const styles = StyleSheet.create(BASE_PDF_STYLES);

/** A credit note as a one-page PDF, VOID watermarked when voided (a refund that failed). */
export function CreditNoteDocument({ data }: { data: CreditNotePdfData }) {
  const { clinic, patient, creditNote, invoice } = data;
  const money = (amount: number) => formatMoney(amount, creditNote.currency);
  return (
    <PdfDocument title={`Credit note ${creditNote.number}`} clinic={clinic} pageSize={data.pageSize}>
      <DocumentHeader clinic={clinic} title="CREDIT NOTE" />

      <MetaRow patientLabel="Credit to" patient={patient}>
        <MetaColumn label="Credit note" value={creditNote.number} strong />
        <MetaColumn label="Date" value={creditNote.issueDate} />
        <MetaColumn label="For invoice" value={invoice.number} note={invoice.issueDate} />
      </MetaRow>

      <AmountBox label="Amount credited" value={money(creditNote.amount)} />

      <View style={styles.section}>
        <Text style={styles.label}>Reason</Text>
        <Text>{creditNote.reason}</Text>
      </View>

      <Totals marginTop={20}>
        <TotalsRow label="Credit before tax" value={money(creditNote.amount - creditNote.taxAmount)} />
        <TotalsRow label="Tax credited" value={money(creditNote.taxAmount)} />
        <TotalsRow label="Total credited" value={money(creditNote.amount)} strong />
        <TotalsRow label={`Invoice ${invoice.number} total`} value={money(invoice.total)} />
      </Totals>

      <View style={styles.section}>
        <Text>
          {creditNote.status === "void" ? "This credit note is void: the refund it went with did not go through." : DISPOSITION_TEXT[creditNote.disposition]}
        </Text>
      </View>

      <DocumentFooter clinic={clinic} reference={creditNote.number}>
        <PageNumbers />
      </DocumentFooter>

      {creditNote.status === "void" && <Watermark text="VOID" color={PDF_COLORS.danger} />}
    </PdfDocument>
  );
}
