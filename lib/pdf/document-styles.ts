import { PDF_FONT_FAMILY } from "./fonts";

/** The palette every Carebill PDF uses (invoice, credit note, receipt). */
export const PDF_COLORS = {
  text: "#1B2230",
  muted: "#5F6B7D",
  border: "#DDE2EA",
  surface: "#F4F6F9",
  primary: "#0B6E69",
  primarySurface: "#E7F3F2",
  success: "#17784A",
  danger: "#B42318",
  warning: "#8A5300",
};

/**
 * The layout the documents share: page, clinic header, meta columns, the highlighted amount box,
 * tables, totals and footer. The shared blocks (blocks.tsx) use them; a document spreads these into
 * its StyleSheet.create for the tables and text styles it draws itself, and adds its own.
 */
export const BASE_PDF_STYLES = {
  // Inter's contextual alternates (calt: arrows, punctuation raised between capitals) change
  // nothing an invoice prints in a visible way, yet were a quarter of the time a PDF took to render
  // (fontkit's chaining-context lookups on every text run; `npm run bench`, bench/README.md).
  // Kerning and ligatures stay on.
  page: {
    fontFamily: PDF_FONT_FAMILY,
    fontFeatureSettings: { calt: false },
    fontSize: 9.5,
    color: PDF_COLORS.text,
    paddingTop: 48,
    paddingBottom: 64,
    paddingHorizontal: 48,
  },
  header: { flexDirection: "row", justifyContent: "space-between", alignItems: "flex-start" },
  clinic: { maxWidth: 300 },
  clinicName: { fontSize: 16, fontWeight: 700, marginBottom: 4 },
  clinicLogo: { height: 40, maxWidth: 160, objectFit: "contain", objectPosition: "left", marginBottom: 6 },
  muted: { color: PDF_COLORS.muted },
  title: { fontSize: 22, fontWeight: 600, color: PDF_COLORS.primary, textAlign: "right" },
  rule: { borderBottomWidth: 1, borderBottomColor: PDF_COLORS.border, marginVertical: 20 },
  meta: { flexDirection: "row" },
  metaColumnWide: { flexGrow: 1.6, flexBasis: 0, paddingRight: 16 },
  metaColumn: { flexGrow: 1, flexBasis: 0, paddingRight: 16 },
  label: { fontSize: 7.5, fontWeight: 600, color: PDF_COLORS.muted, textTransform: "uppercase", marginBottom: 4 },
  strong: { fontWeight: 600 },
  amountBox: {
    marginTop: 20,
    flexDirection: "row",
    justifyContent: "space-between",
    alignItems: "center",
    backgroundColor: PDF_COLORS.primarySurface,
    borderRadius: 4,
    paddingVertical: 10,
    paddingHorizontal: 14,
  },
  amountLabel: { fontSize: 11, fontWeight: 600, color: PDF_COLORS.primary },
  amountValue: { fontSize: 18, fontWeight: 700, color: PDF_COLORS.primary },
  table: { marginTop: 24 },
  tableHead: { flexDirection: "row", backgroundColor: PDF_COLORS.surface, borderRadius: 3, paddingVertical: 6, paddingHorizontal: 8 },
  tableHeadCell: { fontSize: 7.5, fontWeight: 600, color: PDF_COLORS.muted, textTransform: "uppercase" },
  tableRow: { flexDirection: "row", paddingVertical: 7, paddingHorizontal: 8, borderBottomWidth: 1, borderBottomColor: PDF_COLORS.border },
  totals: { marginTop: 14, marginLeft: "auto", width: 250 },
  totalsRow: { flexDirection: "row", justifyContent: "space-between", paddingVertical: 3, paddingHorizontal: 8 },
  totalsStrong: { borderTopWidth: 1, borderTopColor: PDF_COLORS.text, marginTop: 4, paddingTop: 6, fontWeight: 600 },
  section: { marginTop: 20 },
  footer: {
    position: "absolute",
    bottom: 28,
    left: 48,
    right: 48,
    flexDirection: "row",
    justifyContent: "space-between",
    fontSize: 7.5,
    color: PDF_COLORS.muted,
    borderTopWidth: 1,
    borderTopColor: PDF_COLORS.border,
    paddingTop: 8,
  },
  pageNumber: { width: 80, textAlign: "right" },
  watermark: {
    position: "absolute",
    top: 300,
    left: 0,
    right: 0,
    textAlign: "center",
    fontSize: 120,
    fontWeight: 700,
    opacity: 0.09,
    transform: "rotate(-30deg)",
  },
} as const;
