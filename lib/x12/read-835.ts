import { AppError } from "@/lib/errors";
import { checkEnvelopes } from "./check-structure";
import { elementOf, readOrExplain, readX12, transactionSetsOf, x12DateToIso, type X12Interchange, type X12ReadSegment } from "./read-x12";
import {
  ADJUSTMENT_GROUP_CODES,
  CLAIM_PAYMENT_STATUS_CODES,
  PAYMENT_HANDLING_CODES,
  PAYMENT_METHOD_CODES,
  PROVIDER_ADJUSTMENT_REASON_CODES,
  describeRemittanceCode,
  isAdjustmentGroupCode,
  type AdjustmentGroupCode,
} from "./remittance-codes";
import { describeComponentSeparatorSlip } from "./separators";
import { x12AmountToCents } from "./x12-amount";

/** One reason/amount/quantity triple of a CAS segment. Amounts are in cents; a negative amount gives money back. */
export type Adjustment835 = {
  groupCode: AdjustmentGroupCode;
  reasonCode: string;
  amountCents: number;
  quantity: number | null;
  /** 1-based ordinal of the CAS segment in the file. */
  segment: number;
};

/** NM1 in loop 2100: QC patient, IL insured, 74 corrected patient, 82 rendering provider. */
export type Party835 = {
  lastName: string;
  firstName: string | null;
  middleName: string | null;
  /** NM108: MI member id, XX NPI, BS/BD payer's provider ids, HN, II… */
  idQualifier: string | null;
  id: string | null;
};

export type ProcedureCode835 = { qualifier: string; code: string; modifiers: string[] };

export type ServiceLinePayment835 = {
  /** 1-based position within its claim payment. */
  lineNumber: number;
  /** SVC01 as paid (the code the payer adjudicated). */
  procedure: ProcedureCode835;
  chargeCents: number;
  paidCents: number;
  /** SVC04: NUBC revenue code, when sent. */
  revenueCode: string | null;
  /** SVC05 paid units (1 when not sent, as the guide says). */
  units: number;
  /** SVC06: the code as billed, sent only when the payer paid another code than the one billed. */
  originalProcedure: ProcedureCode835 | null;
  /** SVC07: units as billed, when they differ. */
  originalUnits: number | null;
  /** DTM*472, or DTM*150 / DTM*151 for a range, as YYYY-MM-DD. */
  serviceDateFrom: string | null;
  serviceDateTo: string | null;
  adjustments: Adjustment835[];
  /** REF*6R: the line item control number we sent (REF*6R of the 837 line). */
  lineItemControlNumber: string | null;
  references: { qualifier: string; value: string }[];
  /** AMT*B6: the amount the payer allowed for the line. */
  allowedCents: number | null;
  amounts: { qualifier: string; amountCents: number }[];
  /** LQ*HE: remittance advice remark codes (RARC). */
  remarkCodes: string[];
  /** LQ*RX: NCPDP reject reason codes. */
  rejectReasonCodes: string[];
  segment: number;
};

export type ClaimPayment835 = {
  /** LX01 of the header loop the claim sits in, when the payer groups claims. */
  headerNumber: string | null;
  /** CLP01: our CLM01 (Carebill's claim number, e.g. CLM-000123). */
  patientControlNumber: string;
  /** CLP02 and its meaning: 1 primary, 2 secondary, 3 tertiary, 4 denied, 22 reversal… */
  statusCode: string;
  status: string;
  chargeCents: number;
  paidCents: number;
  /** CLP05; null when not sent. */
  patientResponsibilityCents: number | null;
  /** CLP06: the claim filing indicator (12 PPO, MA/MB Medicare, MC Medicaid…). */
  filingIndicator: string;
  /** CLP07: the payer's claim control number (needed to correct or void the claim later). */
  payerClaimControlNumber: string | null;
  /** CLP08: facility type or place of service. */
  facilityCode: string | null;
  /** CLP09: claim frequency (1 original, 7 replacement, 8 void). */
  frequencyCode: string | null;
  adjustments: Adjustment835[];
  patient: Party835 | null;
  insured: Party835 | null;
  correctedPatient: Party835 | null;
  renderingProvider: Party835 | null;
  /** MIA05, MIA20–23 and MOA03–07: claim-level remark codes (RARC). */
  remarkCodes: string[];
  /** DTM*232 / DTM*233 as YYYY-MM-DD. */
  statementFrom: string | null;
  statementTo: string | null;
  /** DTM*050: when the payer received the claim. */
  receivedDate: string | null;
  /** AMT at claim level (AU coverage amount, I interest, D8 discount…). */
  amounts: { qualifier: string; amountCents: number }[];
  references: { qualifier: string; value: string }[];
  serviceLines: ServiceLinePayment835[];
  segment: number;
};

/** PLB: money the payer adds or takes back outside any claim. A positive amount reduces the payment. */
export type ProviderAdjustment835 = {
  providerId: string;
  /** PLB02: the end of the provider's fiscal year, YYYY-MM-DD. */
  fiscalPeriodDate: string | null;
  reasonCode: string;
  reason: string;
  /** The second component: the reference (an overpayment's claim number, a check number…). */
  reference: string | null;
  amountCents: number;
  segment: number;
};

export type Remittance835 = {
  /** ST02. */
  controlNumber: string;
  group: { senderId: string; receiverId: string; controlNumber: string; version: string } | null;
  payment: {
    handlingCode: string;
    handling: string;
    /** BPR02: the total paid, in cents. */
    totalCents: number;
    /** BPR03: C credit to the provider, D debit. */
    creditDebit: "C" | "D";
    methodCode: string;
    method: string;
    /** BPR05: CCP, CTX… for ACH. */
    formatCode: string | null;
    /** BPR16: the check issue or EFT effective date; null (with a note) when the payer left it out. */
    date: string | null;
    segment: number;
  };
  trace: {
    /** TRN02: the check or EFT trace number; with the payer id it identifies the deposit. */
    number: string;
    /** TRN03: the payer's identifier ("1" + EIN, usually). */
    payerId: string;
    originatingCompanySupplementalCode: string | null;
  };
  /** DTM*405: the production date. */
  productionDate: string | null;
  payer: {
    name: string;
    /** REF*2U: the payer identification number. */
    payerId: string | null;
    references: { qualifier: string; value: string }[];
  };
  payee: {
    name: string;
    /** N104 with N103 = XX. */
    npi: string | null;
    /** N104 with N103 = FI, or REF*TJ. */
    taxId: string | null;
    references: { qualifier: string; value: string }[];
  };
  claims: ClaimPayment835[];
  providerAdjustments: ProviderAdjustment835[];
};

export type Read835Result = {
  senderId: string;
  receiverId: string;
  interchangeControlNumber: string;
  /** ISA15: P production, T test. */
  usage: string;
  separators: X12Interchange["separators"];
  remittances: Remittance835[];
  /** Slips that do not change the meaning (envelope counts, another implementation guide named). */
  notes: string[];
};

const DESCRIPTION = "an 835 remittance";

/** SVC01-1 / SVC06-1: product or service id qualifiers of the 005010X221A1 guide. */
const PRODUCT_QUALIFIERS = ["AD", "ER", "HC", "HP", "IV", "N4", "N6", "NU", "UI", "WK"] as const;

function refuse(message: string): never {
  throw new AppError("VALIDATION_FAILED", message, { fields: { file: [message] } });
}

function cents(segment: X12ReadSegment, position: number, where: string): number {
  const value = elementOf(segment, position);
  const name = `${segment.id}${String(position).padStart(2, "0")}`;
  if (value === "") refuse(`${where}: ${name} (an amount) is missing.`);
  const amount = x12AmountToCents(value);
  if (amount === null) refuse(`${where}: ${name} reads "${value}", which is not an amount.`);
  return amount;
}

function optionalCents(segment: X12ReadSegment, position: number, where: string): number | null {
  return elementOf(segment, position) === "" ? null : cents(segment, position, where);
}

function quantity(segment: X12ReadSegment, position: number, where: string): number | null {
  const value = elementOf(segment, position);
  if (value === "") return null;
  if (!/^-?(\d+(\.\d*)?|\.\d+)$/.test(value)) refuse(`${where}: ${segment.id}${String(position).padStart(2, "0")} reads "${value}", which is not a quantity.`);
  return Number(value);
}

function date(segment: X12ReadSegment, position: number, where: string): string {
  const value = elementOf(segment, position);
  const iso = x12DateToIso(value);
  if (iso === null) refuse(`${where}: ${segment.id}${String(position).padStart(2, "0")} reads "${value}", not a date written CCYYMMDD.`);
  return iso;
}

function orNull(value: string): string | null {
  return value === "" ? null : value;
}

function readParty(segment: X12ReadSegment): Party835 {
  return {
    lastName: elementOf(segment, 3),
    firstName: orNull(elementOf(segment, 4)),
    middleName: orNull(elementOf(segment, 5)),
    idQualifier: orNull(elementOf(segment, 8)),
    id: orNull(elementOf(segment, 9)),
  };
}

/** A composite whose first component must be one of `codes`: a value written with another separator than ISA16 is refused, naming both. */
function components(segment: X12ReadSegment, position: number, codes: readonly string[], component: string, where: string): string[] {
  const value = elementOf(segment, position);
  const parts = value.split(component);
  if (codes.includes(parts[0] ?? "")) return parts;
  const name = `${segment.id}${String(position).padStart(2, "0")}`;
  const slip = describeComponentSeparatorSlip(value, codes, component);
  if (slip)
    refuse(
      `${where}: ${name} reads ${slip} Carebill does not guess which separator was meant: ask the payer or clearinghouse for a file whose ISA16 matches its data.`,
    );
  refuse(`${where}: ${name} reads "${value}"; it should start with one of ${codes.join(", ")}.`);
}

function readProcedure(segment: X12ReadSegment, position: number, component: string, where: string): ProcedureCode835 {
  const [qualifier = "", code = "", ...rest] = components(segment, position, PRODUCT_QUALIFIERS, component, where);
  const name = `${segment.id}${String(position).padStart(2, "0")}`;
  if (code === "")
    refuse(
      `${where}: ${name} reads "${elementOf(segment, position)}" with no procedure code after the qualifier, and the next element reads "${elementOf(segment, position + 1)}". The line cannot be matched to a billed service.`,
    );
  // SVC01-3..6 are modifiers, SVC01-7 a description; empty modifier slots are dropped.
  return { qualifier, code, modifiers: rest.slice(0, 4).filter((modifier) => modifier !== "") };
}

function readAdjustments(segment: X12ReadSegment, where: string): Adjustment835[] {
  const groupCode = elementOf(segment, 1);
  if (!isAdjustmentGroupCode(groupCode))
    refuse(`${where}: CAS01 reads "${groupCode}"; an adjustment's group is one of ${Object.keys(ADJUSTMENT_GROUP_CODES).join(", ")}.`);
  const adjustments: Adjustment835[] = [];
  for (let triple = 0; triple < 6; triple++) {
    const first = 2 + triple * 3;
    const reasonCode = elementOf(segment, first);
    if (reasonCode === "") {
      if (elementOf(segment, first + 1) !== "") refuse(`${where}: CAS${String(first + 1).padStart(2, "0")} has an amount with no reason code before it.`);
      continue;
    }
    adjustments.push({
      groupCode,
      reasonCode,
      amountCents: cents(segment, first + 1, where),
      quantity: quantity(segment, first + 2, where),
      segment: segment.ordinal,
    });
  }
  if (adjustments.length === 0) refuse(`${where}: the CAS segment has no reason code.`);
  return adjustments;
}

function readProviderAdjustments(segment: X12ReadSegment, component: string): ProviderAdjustment835[] {
  const where = `Provider adjustment (PLB, segment ${segment.ordinal})`;
  const providerId = elementOf(segment, 1);
  const fiscalPeriodDate = elementOf(segment, 2) === "" ? null : date(segment, 2, where);
  const adjustments: ProviderAdjustment835[] = [];
  for (let pair = 0; pair < 6; pair++) {
    const position = 3 + pair * 2;
    const value = elementOf(segment, position);
    if (value === "") continue;
    const [reasonCode = "", reference = ""] = value.split(component);
    if (!/^[A-Z0-9]{2}$/.test(reasonCode)) {
      const slip = describeComponentSeparatorSlip(value, Object.keys(PROVIDER_ADJUSTMENT_REASON_CODES), component);
      refuse(
        slip
          ? `${where}: PLB${String(position).padStart(2, "0")} reads ${slip} Carebill does not guess which separator was meant: ask the payer or clearinghouse for a file whose ISA16 matches its data.`
          : `${where}: PLB${String(position).padStart(2, "0")} reads "${value}"; it should start with a two-character adjustment reason code.`,
      );
    }
    adjustments.push({
      providerId,
      fiscalPeriodDate,
      reasonCode,
      reason: describeRemittanceCode(PROVIDER_ADJUSTMENT_REASON_CODES, reasonCode, "Provider adjustment reason"),
      reference: orNull(reference),
      amountCents: cents(segment, position + 1, where),
      segment: segment.ordinal,
    });
  }
  return adjustments;
}

function describeClaim(claim: ClaimPayment835): string {
  return `Claim ${claim.patientControlNumber || "(no number)"} (CLP, segment ${claim.segment})`;
}

function describeLine(claim: ClaimPayment835, line: { lineNumber: number; segment: number }): string {
  return `Claim ${claim.patientControlNumber || "(no number)"}, service line ${line.lineNumber} (SVC, segment ${line.segment})`;
}

function readRemittance(header: X12ReadSegment, group: X12ReadSegment | null, segments: X12ReadSegment[], component: string, notes: string[]): Remittance835 {
  const setName = `Transaction set ${elementOf(header, 2)}`;
  const version = elementOf(header, 3) || (group ? elementOf(group, 8) : "");
  if (version && !version.startsWith("005010X221")) notes.push(`${setName} follows ${version}; Carebill reads 835s by the 005010X221A1 guide.`);

  let payment: Remittance835["payment"] | null = null;
  let trace: Remittance835["trace"] | null = null;
  let productionDate: string | null = null;
  const payer: Remittance835["payer"] = { name: "", payerId: null, references: [] };
  const payee: Remittance835["payee"] = { name: "", npi: null, taxId: null, references: [] };
  let party: "payer" | "payee" | null = null;
  let headerNumber: string | null = null;
  const claims: ClaimPayment835[] = [];
  const providerAdjustments: ProviderAdjustment835[] = [];
  let claim: ClaimPayment835 | null = null;
  let line: ServiceLinePayment835 | null = null;

  for (const segment of segments) {
    const where = line && claim ? describeLine(claim, line) : claim ? describeClaim(claim) : `${setName}, segment ${segment.ordinal} (${segment.id})`;
    switch (segment.id) {
      case "BPR": {
        const creditDebit = elementOf(segment, 3);
        if (creditDebit !== "C" && creditDebit !== "D") refuse(`${where}: BPR03 reads "${creditDebit}"; it should be C (credit) or D (debit).`);
        const handlingCode = elementOf(segment, 1);
        const methodCode = elementOf(segment, 4);
        payment = {
          handlingCode,
          handling: describeRemittanceCode(PAYMENT_HANDLING_CODES, handlingCode, "Handling code"),
          totalCents: cents(segment, 2, `${setName}, the payment (BPR)`),
          creditDebit,
          methodCode,
          method: describeRemittanceCode(PAYMENT_METHOD_CODES, methodCode, "Payment method"),
          formatCode: orNull(elementOf(segment, 5)),
          date: elementOf(segment, 16) === "" ? null : date(segment, 16, `${setName}, the payment (BPR)`),
          segment: segment.ordinal,
        };
        if (payment.date === null) {
          const stray = segment.elements.slice(16).find(Boolean) ?? [...segment.elements].reverse().find((value) => x12DateToIso(value) !== null);
          notes.push(
            `${setName}: BPR16 (the payment date) is missing${stray ? `; the segment ends with "${stray}", in another position, which Carebill does not take for the date` : ""}.`,
          );
        }
        break;
      }
      case "TRN":
        trace = {
          number: elementOf(segment, 2),
          payerId: elementOf(segment, 3),
          originatingCompanySupplementalCode: orNull(elementOf(segment, 4)),
        };
        if (trace.number === "") refuse(`${setName}: TRN02 (the check or EFT trace number) is missing.`);
        break;
      case "N1": {
        const entity = elementOf(segment, 1);
        party = entity === "PR" ? "payer" : entity === "PE" ? "payee" : null;
        if (party === "payer") payer.name = elementOf(segment, 2);
        if (party === "payee") {
          payee.name = elementOf(segment, 2);
          if (elementOf(segment, 3) === "XX") payee.npi = orNull(elementOf(segment, 4));
          if (elementOf(segment, 3) === "FI") payee.taxId = orNull(elementOf(segment, 4));
        }
        break;
      }
      case "LX":
        headerNumber = orNull(elementOf(segment, 1));
        claim = null;
        line = null;
        party = null;
        break;
      case "CLP": {
        line = null;
        party = null;
        const statusCode = elementOf(segment, 2);
        const here = `Claim ${elementOf(segment, 1) || "(no number)"} (CLP, segment ${segment.ordinal})`;
        claim = {
          headerNumber,
          patientControlNumber: elementOf(segment, 1),
          statusCode,
          status: describeRemittanceCode(CLAIM_PAYMENT_STATUS_CODES, statusCode, "Claim status"),
          chargeCents: cents(segment, 3, here),
          paidCents: cents(segment, 4, here),
          patientResponsibilityCents: optionalCents(segment, 5, here),
          filingIndicator: elementOf(segment, 6),
          payerClaimControlNumber: orNull(elementOf(segment, 7)),
          facilityCode: orNull(elementOf(segment, 8)),
          frequencyCode: orNull(elementOf(segment, 9)),
          adjustments: [],
          patient: null,
          insured: null,
          correctedPatient: null,
          renderingProvider: null,
          remarkCodes: [],
          statementFrom: null,
          statementTo: null,
          receivedDate: null,
          amounts: [],
          references: [],
          serviceLines: [],
          segment: segment.ordinal,
        };
        if (claim.patientControlNumber === "") refuse(`${here}: CLP01 (the patient control number, our claim number) is missing.`);
        claims.push(claim);
        break;
      }
      case "CAS":
        if (line) line.adjustments.push(...readAdjustments(segment, where));
        else if (claim) claim.adjustments.push(...readAdjustments(segment, where));
        else refuse(`${where}: an adjustment (CAS) comes before any claim (CLP).`);
        break;
      case "NM1":
        if (claim && !line) {
          const entity = elementOf(segment, 1);
          if (entity === "QC") claim.patient = readParty(segment);
          else if (entity === "IL") claim.insured = readParty(segment);
          else if (entity === "74") claim.correctedPatient = readParty(segment);
          else if (entity === "82") claim.renderingProvider = readParty(segment);
        }
        break;
      case "MIA":
        if (claim) claim.remarkCodes.push(...[5, 20, 21, 22, 23].map((position) => elementOf(segment, position)).filter(Boolean));
        break;
      case "MOA":
        if (claim) claim.remarkCodes.push(...[3, 4, 5, 6, 7].map((position) => elementOf(segment, position)).filter(Boolean));
        break;
      case "DTM": {
        const qualifier = elementOf(segment, 1);
        if (line) {
          if (qualifier === "472") line.serviceDateFrom = line.serviceDateTo = date(segment, 2, where);
          else if (qualifier === "150") line.serviceDateFrom = date(segment, 2, where);
          else if (qualifier === "151") line.serviceDateTo = date(segment, 2, where);
        } else if (claim) {
          if (qualifier === "232") claim.statementFrom = date(segment, 2, where);
          else if (qualifier === "233") claim.statementTo = date(segment, 2, where);
          else if (qualifier === "050") claim.receivedDate = date(segment, 2, where);
        } else if (qualifier === "405") productionDate = date(segment, 2, where);
        break;
      }
      case "REF": {
        const reference = { qualifier: elementOf(segment, 1), value: elementOf(segment, 2) };
        if (line) {
          line.references.push(reference);
          if (reference.qualifier === "6R") line.lineItemControlNumber = reference.value;
        } else if (claim) claim.references.push(reference);
        else if (party === "payer") {
          payer.references.push(reference);
          if (reference.qualifier === "2U") payer.payerId = reference.value;
        } else if (party === "payee") {
          payee.references.push(reference);
          if (reference.qualifier === "TJ" && payee.taxId === null) payee.taxId = reference.value;
        }
        break;
      }
      case "AMT": {
        const amount = { qualifier: elementOf(segment, 1), amountCents: cents(segment, 2, where) };
        if (line) {
          line.amounts.push(amount);
          if (amount.qualifier === "B6") line.allowedCents = amount.amountCents;
        } else if (claim) claim.amounts.push(amount);
        break;
      }
      case "SVC": {
        if (!claim) refuse(`${where}: a service line (SVC) comes before any claim (CLP).`);
        const lineNumber = claim.serviceLines.length + 1;
        const here = describeLine(claim, { lineNumber, segment: segment.ordinal });
        line = {
          lineNumber,
          procedure: readProcedure(segment, 1, component, here),
          chargeCents: cents(segment, 2, here),
          paidCents: cents(segment, 3, here),
          revenueCode: orNull(elementOf(segment, 4)),
          units: quantity(segment, 5, here) ?? 1,
          originalProcedure: elementOf(segment, 6) === "" ? null : readProcedure(segment, 6, component, here),
          originalUnits: quantity(segment, 7, here),
          serviceDateFrom: null,
          serviceDateTo: null,
          adjustments: [],
          lineItemControlNumber: null,
          references: [],
          allowedCents: null,
          amounts: [],
          remarkCodes: [],
          rejectReasonCodes: [],
          segment: segment.ordinal,
        };
        claim.serviceLines.push(line);
        break;
      }
      case "LQ":
        if (line) {
          const code = elementOf(segment, 2);
          if (elementOf(segment, 1) === "HE") line.remarkCodes.push(code);
          else if (elementOf(segment, 1) === "RX") line.rejectReasonCodes.push(code);
        }
        break;
      case "PLB":
        claim = null;
        line = null;
        providerAdjustments.push(...readProviderAdjustments(segment, component));
        break;
      default:
        // CUR, PER, N3, N4, RDM, TS3, TS2, QTY, MIA/MOA amounts: not needed to post a remittance.
        break;
    }
  }
  if (!payment) refuse(`${setName} has no BPR segment (the payment), so it is not a remittance.`);
  if (!trace) refuse(`${setName} has no TRN segment, so the payment's trace number is unknown.`);
  if (payer.name === "") refuse(`${setName} names no payer (N1*PR).`);
  if (payee.name === "") refuse(`${setName} names no payee (N1*PE).`);
  return {
    controlNumber: elementOf(header, 2),
    group: group ? { senderId: elementOf(group, 2), receiverId: elementOf(group, 3), controlNumber: elementOf(group, 6), version: elementOf(group, 8) } : null,
    payment,
    trace,
    productionDate,
    payer,
    payee,
    claims,
    providerAdjustments,
  };
}

/**
 * Reads an 835 health care claim payment/advice (005010X221A1) into its payments: per transaction
 * set the payment (BPR, amounts in cents), the trace number (TRN), payer and payee, every claim
 * payment (CLP) with its adjustments (CAS), people (NM1), remark codes (MIA/MOA), dates and service
 * lines (SVC with modifiers, CAS, REF*6R, AMT*B6, LQ), and provider-level adjustments (PLB).
 * Separators come from the ISA; a composite written with another component separator than ISA16
 * declares is refused with a sentence naming both, never guessed. Anything malformed throws
 * AppError VALIDATION_FAILED with one sentence saying where; envelope slips are `notes`.
 * Whether the figures add up is a separate question: see check835Balance.
 */
export function read835(text: string): Read835Result {
  return readOrExplain(DESCRIPTION, () => {
    const interchange = readX12(text);
    const isa = interchange.segments[0] as X12ReadSegment;
    const problems = checkEnvelopes(interchange).map((problem) => problem.message);
    const cut = problems.find((problem) => /has no (SE|GE|IEA) trailer|comes before SE closed|starts before SE closed/.test(problem));
    if (cut) refuse(`The 835 is cut short or out of order: ${cut}`);
    const notes = [...interchange.notes, ...problems];
    const remittances = transactionSetsOf(interchange, "835", DESCRIPTION).map((set) =>
      readRemittance(set.header, set.group, set.segments, interchange.separators.component, notes),
    );
    return {
      senderId: elementOf(isa, 6).trim(),
      receiverId: elementOf(isa, 8).trim(),
      interchangeControlNumber: elementOf(isa, 13),
      usage: elementOf(isa, 15),
      separators: interchange.separators,
      remittances,
      notes,
    };
  });
}
