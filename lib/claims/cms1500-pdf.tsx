import { Document, Line, Page, StyleSheet, Svg, Text, View, renderToBuffer } from "@react-pdf/renderer";
import type { ReactNode } from "react";
import { PDF_FONT_FAMILY } from "@/lib/pdf/fonts";
import type { Cms1500Data, Cms1500Line, Cms1500Person } from "./cms1500-data";

/**
 * The CMS-1500 (02/12) health insurance claim form of one claim, drawn (not overlaid on a scan): its
 * numbered boxes 1–33 with their titles in the form's red, the values in black at a size that reads
 * when printed on Letter paper. Six service lines per form; a claim with more prints as several forms,
 * the total on the last ("CONTINUED" on the others), as the NUCC manual asks. A facsimile for payers
 * that take paper or for the clinic's records: some payers only scan the official red-ink form.
 */

const INK = "#B3261E";
const INK_SURFACE = "#FBEDEC";
const LINES_PER_FORM = 6;

const styles = StyleSheet.create({
  page: {
    fontFamily: PDF_FONT_FAMILY,
    fontFeatureSettings: { calt: false },
    fontSize: 8,
    color: "#000000",
    paddingTop: 20,
    paddingBottom: 14,
    paddingHorizontal: 22,
  },
  header: { flexDirection: "row", justifyContent: "space-between", alignItems: "flex-end", marginBottom: 4 },
  formTitle: { fontSize: 14, fontWeight: 700, color: INK, letterSpacing: 0.4 },
  formSubtitle: { fontSize: 5.8, color: INK, marginTop: 2 },
  carrier: { width: 230, borderLeftWidth: 1.5, borderLeftColor: INK, paddingLeft: 6 },
  carrierLabel: { fontSize: 5.8, fontWeight: 600, color: INK, marginBottom: 1 },
  carrierValue: { fontSize: 9 },
  form: { borderTopWidth: 1, borderLeftWidth: 1, borderColor: INK },
  row: { flexDirection: "row" },
  box: { borderRightWidth: 1, borderBottomWidth: 1, borderColor: INK, paddingHorizontal: 2.5, paddingTop: 1.5, paddingBottom: 2 },
  title: { fontSize: 6, color: INK, lineHeight: 1.15 },
  number: { fontWeight: 700 },
  value: { fontSize: 9, marginTop: 1.5, lineHeight: 1.2 },
  small: { fontSize: 8 },
  muted: { color: "#444444" },
  checks: { flexDirection: "row", flexWrap: "wrap", marginTop: 2 },
  check: { flexDirection: "row", alignItems: "center", marginRight: 6, marginBottom: 1 },
  checkBox: { width: 8, height: 8, borderWidth: 0.8, borderColor: INK, alignItems: "center", justifyContent: "center", marginRight: 2 },
  checkLabel: { fontSize: 6.2, color: INK },
  band: { backgroundColor: INK_SURFACE, borderRightWidth: 1, borderBottomWidth: 1, borderColor: INK, paddingHorizontal: 3, paddingVertical: 1.5 },
  bandText: { fontSize: 6, fontWeight: 700, color: INK, letterSpacing: 0.3 },
  diagnosisGrid: { flexDirection: "row", flexWrap: "wrap", marginTop: 2 },
  diagnosis: { width: "25%", flexDirection: "row", alignItems: "flex-end", paddingRight: 4, marginBottom: 1.5 },
  diagnosisLetter: { fontSize: 6, color: INK, fontWeight: 700, width: 9 },
  diagnosisCode: { fontSize: 9, borderBottomWidth: 0.6, borderBottomColor: INK, flexGrow: 1, paddingLeft: 1 },
  lineHead: { fontSize: 5.8, color: INK, textAlign: "center", lineHeight: 1.15 },
  lineCell: { borderRightWidth: 1, borderColor: INK, paddingHorizontal: 2, justifyContent: "center" },
  lineShade: { backgroundColor: INK_SURFACE, height: 8, borderBottomWidth: 0.5, borderColor: INK },
  lineNumber: { width: 12, fontSize: 8, fontWeight: 700, color: INK, textAlign: "center" },
  footer: { flexDirection: "row", justifyContent: "space-between", marginTop: 4 },
  footerText: { fontSize: 6, color: INK },
});

/** Box widths (points) of the 568-point-wide form (Letter less the margins): the left and middle columns; the right one takes the rest. */
const LEFT = 198;
const MIDDLE = 162;

/** A numbered box: `grow` shares a row's leftover width; `fill` takes a column's leftover height (never less than its content). */
function Box({
  n,
  title,
  width,
  height,
  children,
  grow,
  fill,
}: {
  n?: string;
  title: string;
  width?: number;
  height?: number;
  children?: ReactNode;
  grow?: boolean;
  fill?: boolean;
}) {
  return (
    <View
      style={[
        styles.box,
        width !== undefined ? { width, flexShrink: 0 } : {},
        height !== undefined ? { minHeight: height } : {},
        grow ? { flexGrow: 1, flexBasis: 0 } : {},
        fill ? { flexGrow: 1 } : {},
      ]}
      wrap={false}
    >
      <Text style={styles.title}>
        {n ? <Text style={styles.number}>{n}. </Text> : null}
        {title}
      </Text>
      {children}
    </View>
  );
}

function Value({ children, small }: { children?: ReactNode; small?: boolean }) {
  return <Text style={small ? [styles.value, styles.small] : styles.value}>{children ?? " "}</Text>;
}

function Check({ label, checked }: { label: string; checked: boolean }) {
  return (
    <View style={styles.check}>
      <View style={styles.checkBox}>
        {checked ? (
          <Svg width={7} height={7} viewBox="0 0 7 7">
            <Line x1={1} y1={1} x2={6} y2={6} stroke="#000000" strokeWidth={1.3} />
            <Line x1={6} y1={1} x2={1} y2={6} stroke="#000000" strokeWidth={1.3} />
          </Svg>
        ) : null}
      </View>
      <Text style={styles.checkLabel}>{label}</Text>
    </View>
  );
}

/** "1980-04-12" → "04 12 1980" (birth dates) or "11 30 26" (dates of service). */
function formDate(date: string | null, digits: 4 | 2 = 4): string {
  if (!date) return "";
  const [year = "", month = "", day = ""] = date.split("-");
  return `${month} ${day} ${digits === 4 ? year : year.slice(2)}`;
}

function money(cents: number): string {
  const sign = cents < 0 ? "-" : "";
  const absolute = Math.abs(cents);
  return `${sign}${Math.floor(absolute / 100).toLocaleString("en-US")}.${String(absolute % 100).padStart(2, "0")}`;
}

function units(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Math.round(value * 1000) / 1000);
}

function BirthDateAndSex({ person }: { person: Pick<Cms1500Person, "birthDate" | "sex"> }) {
  return (
    <View style={[styles.row, { alignItems: "flex-end", justifyContent: "space-between" }]}>
      <Value>{formDate(person.birthDate) || " "}</Value>
      <View style={[styles.checks, { marginTop: 0 }]}>
        <Check label="M" checked={person.sex === "M"} />
        <Check label="F" checked={person.sex === "F"} />
      </View>
    </View>
  );
}

function Address({ person }: { person: Cms1500Person }) {
  return (
    <>
      <Value>{person.street ?? " "}</Value>
      <View style={[styles.row, { marginTop: 2 }]}>
        <Text style={[styles.title, { width: "62%" }]}>CITY</Text>
        <Text style={styles.title}>STATE</Text>
      </View>
      <View style={styles.row}>
        <Text style={[styles.value, { width: "62%", marginTop: 0 }]}>{person.city ?? " "}</Text>
        <Text style={[styles.value, { marginTop: 0 }]}>{person.state ?? " "}</Text>
      </View>
      <View style={[styles.row, { marginTop: 2 }]}>
        <Text style={[styles.title, { width: "45%" }]}>ZIP CODE</Text>
        <Text style={styles.title}>TELEPHONE (Include Area Code)</Text>
      </View>
      <View style={styles.row}>
        <Text style={[styles.value, { width: "45%", marginTop: 0 }]}>{person.zip ?? " "}</Text>
        <Text style={[styles.value, { marginTop: 0 }]}>{person.phone ?? " "}</Text>
      </View>
    </>
  );
}

const LINE_COLUMNS = [
  { key: "from", width: 44, head: "A. DATE(S) OF SERVICE\nFrom\nMM DD YY" },
  { key: "to", width: 44, head: "\nTo\nMM DD YY" },
  { key: "pos", width: 28, head: "B.\nPLACE OF\nSERVICE" },
  { key: "emg", width: 22, head: "C.\n\nEMG" },
  { key: "code", width: 50, head: "D. PROCEDURES, SERVICES,\nOR SUPPLIES\nCPT/HCPCS" },
  { key: "modifier", width: 72, head: "\n\nMODIFIER" },
  { key: "pointer", width: 42, head: "E.\nDIAGNOSIS\nPOINTER" },
  { key: "charge", width: 62, head: "F.\n\n$ CHARGES" },
  { key: "units", width: 34, head: "G.\nDAYS OR\nUNITS" },
  { key: "epsdt", width: 30, head: "H.\nEPSDT\nFamily Plan" },
  { key: "qualifier", width: 26, head: "I.\nID.\nQUAL." },
  { key: "npi", width: 98, head: "J.\nRENDERING\nPROVIDER ID. #" },
] as const;

function lineValues(line: Cms1500Line | undefined): Record<(typeof LINE_COLUMNS)[number]["key"], string> {
  if (!line) return { from: "", to: "", pos: "", emg: "", code: "", modifier: "", pointer: "", charge: "", units: "", epsdt: "", qualifier: "NPI", npi: "" };
  return {
    from: formDate(line.from, 2),
    to: formDate(line.to, 2),
    pos: line.placeOfService,
    emg: "",
    code: line.procedureCode,
    modifier: line.modifiers.join(" "),
    pointer: line.pointers,
    charge: money(line.charge),
    units: units(line.units),
    epsdt: "",
    qualifier: "NPI",
    npi: line.renderingNpi ?? "",
  };
}

function ServiceLines({ lines }: { lines: (Cms1500Line | undefined)[] }) {
  return (
    <View>
      <View style={[styles.row, { borderBottomWidth: 1, borderColor: INK }]}>
        <View style={[styles.lineCell, { width: 12 }]} />
        {LINE_COLUMNS.map((column) => (
          <View key={column.key} style={[styles.lineCell, { width: column.width, paddingVertical: 1.5 }, column.key === "npi" ? { flexGrow: 1 } : {}]}>
            <Text style={styles.lineHead}>{column.head}</Text>
          </View>
        ))}
      </View>
      {lines.map((line, index) => {
        const values = lineValues(line);
        return (
          <View key={index} style={[styles.row, { borderBottomWidth: 1, borderColor: INK }]} wrap={false}>
            <View style={[styles.lineCell, { width: 12 }]}>
              <Text style={styles.lineNumber}>{index + 1}</Text>
            </View>
            {LINE_COLUMNS.map((column) => (
              <View key={column.key} style={[{ width: column.width, borderRightWidth: 1, borderColor: INK }, column.key === "npi" ? { flexGrow: 1 } : {}]}>
                {/* The shaded half holds supplemental information (NDC codes…), unused here. */}
                <View style={styles.lineShade} />
                <Text
                  style={[
                    styles.value,
                    {
                      marginTop: 0,
                      paddingVertical: 3,
                      paddingHorizontal: 2,
                      textAlign: column.key === "charge" || column.key === "units" ? "right" : "center",
                    },
                    column.key === "qualifier" ? { color: INK, fontSize: 6.5 } : {},
                  ]}
                >
                  {values[column.key] || " "}
                </Text>
              </View>
            ))}
          </View>
        );
      })}
    </View>
  );
}

function FormPage({ data, lines, page, pages }: { data: Cms1500Data; lines: Cms1500Line[]; page: number; pages: number }) {
  const last = page === pages;
  const { patient, insured } = data;
  const slots = Array.from({ length: LINES_PER_FORM }, (_, index) => lines[index]);
  const diagnosisSlots = Array.from({ length: 12 }, (_, index) => data.diagnoses[index] ?? "");
  return (
    <Page size="LETTER" style={styles.page}>
      <View style={styles.header}>
        <View>
          <Text style={styles.formTitle}>HEALTH INSURANCE CLAIM FORM</Text>
          <Text style={styles.formSubtitle}>APPROVED BY NATIONAL UNIFORM CLAIM COMMITTEE (NUCC) 02/12 · PICA</Text>
        </View>
        <View style={styles.carrier}>
          <Text style={styles.carrierLabel}>CARRIER</Text>
          <Text style={[styles.carrierValue, { fontWeight: 600 }]}>{data.payer.name}</Text>
          {data.payer.addressLines.map((line) => (
            <Text key={line} style={styles.carrierValue}>
              {line}
            </Text>
          ))}
        </View>
      </View>

      <View style={styles.form}>
        <View style={styles.band}>
          <Text style={styles.bandText}>PATIENT AND INSURED INFORMATION</Text>
        </View>
        <View style={styles.row}>
          <Box n="1" title="TYPE OF COVERAGE (one box)" width={LEFT + MIDDLE}>
            <View style={styles.checks}>
              <Check label="MEDICARE (Medicare#)" checked={data.program === "medicare"} />
              <Check label="MEDICAID (Medicaid#)" checked={data.program === "medicaid"} />
              <Check label="TRICARE (ID#/DoD#)" checked={data.program === "tricare"} />
              <Check label="CHAMPVA (Member ID#)" checked={data.program === "champva"} />
              <Check label="GROUP HEALTH PLAN (ID#)" checked={data.program === "group"} />
              <Check label="FECA BLK LUNG (ID#)" checked={data.program === "feca"} />
              <Check label="OTHER (ID#)" checked={data.program === "other"} />
            </View>
          </Box>
          <Box n="1a" title="INSURED'S I.D. NUMBER (For Program in Item 1)" grow>
            <Value>{data.insuredId}</Value>
          </Box>
        </View>
        <View style={styles.row}>
          <Box n="2" title="PATIENT'S NAME (Last Name, First Name, Middle Initial)" width={LEFT}>
            <Value>{patient.name}</Value>
          </Box>
          <Box n="3" title="PATIENT'S BIRTH DATE (MM DD YYYY) · SEX" width={MIDDLE}>
            <BirthDateAndSex person={patient} />
          </Box>
          <Box n="4" title="INSURED'S NAME (Last Name, First Name, Middle Initial)" grow>
            <Value>{insured.name}</Value>
          </Box>
        </View>
        <View style={styles.row}>
          <Box n="5" title="PATIENT'S ADDRESS (No., Street)" width={LEFT}>
            <Address person={patient} />
          </Box>
          <View style={{ width: MIDDLE, flexShrink: 0 }}>
            <Box n="6" title="PATIENT RELATIONSHIP TO INSURED" width={MIDDLE}>
              <View style={styles.checks}>
                <Check label="Self" checked={data.relationship === "self"} />
                <Check label="Spouse" checked={data.relationship === "spouse"} />
                <Check label="Child" checked={data.relationship === "child"} />
                <Check label="Other" checked={data.relationship === "other"} />
              </View>
            </Box>
            <Box n="8" title="RESERVED FOR NUCC USE" width={MIDDLE} fill />
          </View>
          <Box n="7" title="INSURED'S ADDRESS (No., Street)" grow>
            <Address person={insured} />
          </Box>
        </View>
        <View style={styles.row}>
          <View style={{ width: LEFT, flexShrink: 0 }}>
            <Box n="9" title="OTHER INSURED'S NAME (Last Name, First Name, Middle Initial)" width={LEFT}>
              <Value>{data.otherCoverage?.insuredName}</Value>
            </Box>
            <Box n="9a" title="OTHER INSURED'S POLICY OR GROUP NUMBER" width={LEFT}>
              <Value>{data.otherCoverage?.policyNumber}</Value>
            </Box>
            <Box n="9b" title="RESERVED FOR NUCC USE" width={LEFT} height={14} />
            <Box n="9c" title="RESERVED FOR NUCC USE" width={LEFT} height={14} />
            <Box n="9d" title="INSURANCE PLAN NAME OR PROGRAM NAME" width={LEFT} fill>
              <Value>{data.otherCoverage?.planName}</Value>
            </Box>
          </View>
          <View style={{ width: MIDDLE, flexShrink: 0 }}>
            <Box n="10" title="IS PATIENT'S CONDITION RELATED TO:" width={MIDDLE}>
              {[
                ["a. EMPLOYMENT? (Current or Previous)", "employment"],
                ["b. AUTO ACCIDENT?", "auto"],
                ["c. OTHER ACCIDENT?", "other"],
              ].map(([label, key]) => (
                <View key={key} style={{ marginTop: 3 }}>
                  <Text style={styles.title}>{label}</Text>
                  <View style={[styles.checks, { marginTop: 1 }]}>
                    <Check label="YES" checked={false} />
                    <Check label="NO" checked />
                  </View>
                </View>
              ))}
            </Box>
            <Box n="10d" title="CLAIM CODES (Designated by NUCC)" width={MIDDLE} fill />
          </View>
          <View style={{ flexGrow: 1, flexBasis: 0 }}>
            <Box n="11" title="INSURED'S POLICY GROUP OR FECA NUMBER">
              <Value>{insured.groupNumber}</Value>
            </Box>
            <Box n="11a" title="INSURED'S DATE OF BIRTH (MM DD YYYY) · SEX">
              <BirthDateAndSex person={insured} />
            </Box>
            <Box n="11b" title="OTHER CLAIM ID (Designated by NUCC)" height={14} />
            <Box n="11c" title="INSURANCE PLAN NAME OR PROGRAM NAME">
              <Value>{insured.planName}</Value>
            </Box>
            <Box n="11d" title="IS THERE ANOTHER HEALTH BENEFIT PLAN?" fill>
              <View style={styles.checks}>
                <Check label="YES" checked={data.otherCoverage !== null} />
                <Check label="NO" checked={data.otherCoverage === null} />
                {data.otherCoverage ? <Text style={[styles.checkLabel, { fontSize: 5.4 }]}>(complete items 9, 9a and 9d)</Text> : null}
              </View>
            </Box>
          </View>
        </View>
        <View style={styles.row}>
          <Box
            n="12"
            title="PATIENT'S OR AUTHORIZED PERSON'S SIGNATURE: I authorize the release of any medical or other information necessary to process this claim."
            width={LEFT + MIDDLE}
          >
            <View style={[styles.row, { justifyContent: "space-between" }]}>
              <Value>SIGNED {data.patientSignatureOnFile ? "SIGNATURE ON FILE" : "NO SIGNATURE ON FILE"}</Value>
              <Value>DATE {data.patientSignatureOnFile ? formDate(data.preparedOn, 2) : ""}</Value>
            </View>
          </Box>
          <Box
            n="13"
            title="INSURED'S OR AUTHORIZED PERSON'S SIGNATURE: I authorize payment of medical benefits to the undersigned physician or supplier."
            grow
          >
            <Value>SIGNED {data.insuredSignatureOnFile ? "SIGNATURE ON FILE" : ""}</Value>
          </Box>
        </View>
        <View style={styles.row}>
          <Box n="14" title="DATE OF CURRENT ILLNESS, INJURY, OR PREGNANCY (LMP) · QUAL." width={LEFT} height={22} />
          <Box n="15" title="OTHER DATE · QUAL." width={MIDDLE} height={22} />
          <Box n="16" title="DATES PATIENT UNABLE TO WORK IN CURRENT OCCUPATION · FROM · TO" grow />
        </View>
        <View style={styles.row}>
          <Box n="17" title="NAME OF REFERRING PROVIDER OR OTHER SOURCE" width={LEFT} height={22} />
          <Box n="17a/b" title="NPI" width={MIDDLE} height={22} />
          <Box n="18" title="HOSPITALIZATION DATES RELATED TO CURRENT SERVICES · FROM · TO" grow />
        </View>
        <View style={styles.row}>
          <Box n="19" title="ADDITIONAL CLAIM INFORMATION (Designated by NUCC)" width={LEFT + MIDDLE} height={22} />
          <Box n="20" title="OUTSIDE LAB? · $ CHARGES" grow>
            <View style={styles.checks}>
              <Check label="YES" checked={false} />
              <Check label="NO" checked />
            </View>
          </Box>
        </View>
        <View style={styles.row}>
          <Box n="21" title="DIAGNOSIS OR NATURE OF ILLNESS OR INJURY. Relate A–L to service line below (24E) · ICD Ind. 0 (ICD-10-CM)" width={LEFT + MIDDLE}>
            <View style={styles.diagnosisGrid}>
              {diagnosisSlots.map((code, index) => (
                <View key={index} style={styles.diagnosis}>
                  <Text style={styles.diagnosisLetter}>{"ABCDEFGHIJKL".charAt(index)}.</Text>
                  <Text style={styles.diagnosisCode}>{code || " "}</Text>
                </View>
              ))}
            </View>
          </Box>
          <View style={{ flexGrow: 1, flexBasis: 0 }}>
            <Box n="22" title="RESUBMISSION CODE · ORIGINAL REF. NO.">
              <View style={[styles.row, { justifyContent: "space-between" }]}>
                <Value>{data.resubmission?.code}</Value>
                <Value>{data.resubmission?.originalReference}</Value>
              </View>
            </Box>
            <Box n="23" title="PRIOR AUTHORIZATION NUMBER" fill />
          </View>
        </View>
        <View style={styles.band}>
          <Text style={styles.bandText}>24. SERVICE LINES · PHYSICIAN OR SUPPLIER INFORMATION</Text>
        </View>
        <ServiceLines lines={slots} />
        <View style={styles.row}>
          <Box n="25" title="FEDERAL TAX I.D. NUMBER · SSN · EIN" width={120}>
            <View style={[styles.row, { alignItems: "flex-end", justifyContent: "space-between" }]}>
              <Value>{data.federalTaxId}</Value>
              <View style={[styles.checks, { marginTop: 0 }]}>
                <Check label="SSN" checked={false} />
                <Check label="EIN" checked={data.federalTaxId !== null} />
              </View>
            </View>
          </Box>
          <Box n="26" title="PATIENT'S ACCOUNT NO." width={96}>
            <Value>{data.claimNumber}</Value>
          </Box>
          <Box n="27" title="ACCEPT ASSIGNMENT? (For govt. claims, see back)" width={96}>
            <View style={styles.checks}>
              <Check label="YES" checked={data.acceptAssignment} />
              <Check label="NO" checked={!data.acceptAssignment} />
            </View>
          </Box>
          <Box n="28" title="TOTAL CHARGE" width={86}>
            <Value>{last ? `$ ${money(data.totalCharge)}` : "CONTINUED"}</Value>
          </Box>
          <Box n="29" title="AMOUNT PAID" width={80}>
            <Value>{last ? `$ ${money(data.amountPaid)}` : ""}</Value>
          </Box>
          <Box n="30" title="Rsvd for NUCC Use" grow />
        </View>
        <View style={styles.row}>
          <Box
            n="31"
            title="SIGNATURE OF PHYSICIAN OR SUPPLIER INCLUDING DEGREES OR CREDENTIALS (I certify that the statements on the reverse apply to this bill and are made a part thereof.)"
            width={LEFT - 10}
          >
            <Value>{data.physician.signatureOnFile ? "SIGNATURE ON FILE" : " "}</Value>
            <Value small>{data.physician.name}</Value>
            <Value small>DATE {formDate(data.preparedOn, 2)}</Value>
          </Box>
          <Box n="32" title="SERVICE FACILITY LOCATION INFORMATION" width={MIDDLE + 20}>
            <Value small>{data.serviceFacility.name}</Value>
            {data.serviceFacility.addressLines.map((line) => (
              <Text key={line} style={[styles.value, styles.small, { marginTop: 0 }]}>
                {line}
              </Text>
            ))}
            <Text style={[styles.title, { marginTop: 3 }]}>
              <Text style={styles.number}>32a. </Text>NPI <Text style={[styles.small, { color: "#000000" }]}>{data.serviceFacility.npi ?? ""}</Text>
              <Text style={styles.number}>{"   "}32b.</Text>
            </Text>
          </Box>
          <Box n="33" title="BILLING PROVIDER INFO & PH #" grow>
            <Text style={[styles.value, styles.small]}>
              {data.billingProvider.name}
              {data.billingProvider.phone ? `   ${data.billingProvider.phone}` : ""}
            </Text>
            {data.billingProvider.addressLines.map((line) => (
              <Text key={line} style={[styles.value, styles.small, { marginTop: 0 }]}>
                {line}
              </Text>
            ))}
            <Text style={[styles.title, { marginTop: 3 }]}>
              <Text style={styles.number}>33a. </Text>NPI <Text style={[styles.small, { color: "#000000" }]}>{data.billingProvider.npi ?? ""}</Text>
              <Text style={styles.number}>{"   "}33b. </Text>
              <Text style={[styles.small, { color: "#000000" }]}>{data.billingProvider.taxonomyCode ? `ZZ${data.billingProvider.taxonomyCode}` : ""}</Text>
            </Text>
          </Box>
        </View>
      </View>
      <View style={styles.footer}>
        <Text style={styles.footerText}>NUCC Instruction Manual available at: www.nucc.org · Facsimile of form CMS-1500 (02-12), prepared by Carebill</Text>
        <Text style={styles.footerText}>
          Claim {data.claimNumber} · form {page} of {pages}
        </Text>
      </View>
    </Page>
  );
}

/** The CMS-1500 of one claim as PDF bytes: one Letter page per six service lines. */
export async function renderCms1500Pdf(data: Cms1500Data): Promise<Buffer> {
  const pages = Math.max(1, Math.ceil(data.lines.length / LINES_PER_FORM));
  const forms = Array.from({ length: pages }, (_, index) => data.lines.slice(index * LINES_PER_FORM, (index + 1) * LINES_PER_FORM));
  return renderToBuffer(
    <Document title={`CMS-1500 ${data.claimNumber}`} author={data.billingProvider.name || "Carebill"} creator="Carebill" producer="Carebill" language="en">
      {forms.map((lines, index) => (
        <FormPage key={index} data={data} lines={lines} page={index + 1} pages={pages} />
      ))}
    </Document>,
  );
}
