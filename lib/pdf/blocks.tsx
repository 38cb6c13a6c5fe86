import { Document, Image, Page, StyleSheet, Text, View } from "@react-pdf/renderer";
import type { ReactNode } from "react";
import { BASE_PDF_STYLES } from "./document-styles";

/**
 * The blocks every Carebill PDF (invoice, receipt, credit note) is built from, so the three look
 * alike: the page, the clinic header, the row of facts under it, the highlighted amount, the
 * totals, the footer and the watermark. Each document adds only what is its own.
 */

const styles = StyleSheet.create(BASE_PDF_STYLES);

export type PdfClinic = {
  name: string;
  addressLines: string[];
  /** How to reach the clinic: "(503) 555-0142 · billing@… · sunrise.example". */
  contactLines?: string[];
  /** The clinic's logo (PNG or JPEG bytes), drawn above its name. */
  logo?: { data: Buffer; format: "png" | "jpg" };
};
/** `addressLines`: the patient's postal address, printed under "Bill to" on invoices. */
export type PdfPatient = { name: string; externalId: string | null; addressLines?: string[] };
export type PdfPageSize = "LETTER" | "A4";

/** The document (its metadata names the clinic as author) with its one page template. */
export function PdfDocument({ title, clinic, pageSize, children }: { title: string; clinic: PdfClinic; pageSize: PdfPageSize; children: ReactNode }) {
  return (
    <Document title={title} author={clinic.name} creator="Carebill" producer="Carebill" language="en">
      <Page size={pageSize} style={styles.page}>
        {children}
      </Page>
    </Document>
  );
}

/** The clinic's name and address, the document's title on the right (with `children` under it), then a rule. */
export function DocumentHeader({ clinic, title, children }: { clinic: PdfClinic; title: string; children?: ReactNode }) {
  return (
    <>
      <View style={styles.header}>
        <View style={styles.clinic}>
          {/* eslint-disable-next-line jsx-a11y/alt-text -- react-pdf's Image has no alt; the clinic's name follows as text */}
          {clinic.logo && <Image src={clinic.logo} style={styles.clinicLogo} />}
          <Text style={styles.clinicName}>{clinic.name}</Text>
          {[...clinic.addressLines, ...(clinic.contactLines ?? [])].map((line) => (
            <Text key={line} style={styles.muted}>
              {line}
            </Text>
          ))}
        </View>
        {children ? (
          <View>
            <Text style={styles.title}>{title}</Text>
            {children}
          </View>
        ) : (
          <Text style={styles.title}>{title}</Text>
        )}
      </View>
      <View style={styles.rule} />
    </>
  );
}

/** The row under the header: the patient, under `patientLabel` ("Bill to", …), then the document's facts (MetaColumn). */
export function MetaRow({ patientLabel, patient, children }: { patientLabel: string; patient: PdfPatient; children: ReactNode }) {
  return (
    <View style={styles.meta}>
      <View style={styles.metaColumnWide}>
        <Text style={styles.label}>{patientLabel}</Text>
        <Text style={styles.strong}>{patient.name}</Text>
        {patient.addressLines?.map((line) => (
          <Text key={line}>{line}</Text>
        ))}
        {patient.externalId && <Text style={styles.muted}>Patient ID {patient.externalId}</Text>}
      </View>
      {children}
    </View>
  );
}

/** One fact in the MetaRow: a small label over its value, and an optional muted note. */
export function MetaColumn({ label, value, strong = false, note }: { label: string; value: string; strong?: boolean; note?: string | null }) {
  return (
    <View style={styles.metaColumn}>
      <Text style={styles.label}>{label}</Text>
      <Text style={strong ? styles.strong : undefined}>{value}</Text>
      {note && <Text style={styles.muted}>{note}</Text>}
    </View>
  );
}

/** The highlighted amount the document is about: balance due, amount paid, amount credited. */
export function AmountBox({ label, value }: { label: string; value: string }) {
  return (
    <View style={styles.amountBox}>
      <Text style={styles.amountLabel}>{label}</Text>
      <Text style={styles.amountValue}>{value}</Text>
    </View>
  );
}

/** The right-aligned totals block, kept on one page; `marginTop` when it follows a section rather than a table. */
export function Totals({ marginTop, children }: { marginTop?: number; children: ReactNode }) {
  return (
    <View style={marginTop === undefined ? styles.totals : [styles.totals, { marginTop }]} wrap={false}>
      {children}
    </View>
  );
}

/** One line of the totals: a muted label and its amount, or, `strong`, a total under a rule. */
export function TotalsRow({ label, value, strong = false }: { label: string; value: string; strong?: boolean }) {
  return (
    <View style={strong ? [styles.totalsRow, styles.totalsStrong] : styles.totalsRow}>
      <Text style={strong ? undefined : styles.muted}>{label}</Text>
      <Text>{value}</Text>
    </View>
  );
}

/** The footer on every page: the clinic and the document's reference on the left, `children` (PageNumbers, or a line of text) on the right. */
export function DocumentFooter({ clinic, reference, children }: { clinic: PdfClinic; reference: string; children: ReactNode }) {
  return (
    <View style={styles.footer} fixed>
      <Text>
        {clinic.name} · {reference}
      </Text>
      {children}
    </View>
  );
}

/** "Page 1 of 2", for the footer. */
export function PageNumbers() {
  return <Text style={styles.pageNumber} render={({ pageNumber, totalPages }) => `Page ${pageNumber} of ${totalPages}`} />;
}

/** DRAFT or VOID across every page. Render it last, so it lies over the content. */
export function Watermark({ text, color }: { text: string; color: string }) {
  return (
    <Text fixed style={[styles.watermark, { color }]}>
      {text}
    </Text>
  );
}
