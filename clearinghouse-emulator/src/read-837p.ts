import { elementOf, readX12, type X12ReadSegment } from "@/lib/x12/read-x12";
import { x12AmountToCents } from "@/lib/x12/x12-amount";

/** What the emulator needs from an 837P claim to acknowledge and adjudicate it. */
export type SubmittedClaim = {
  /** CLM01, echoed as the 277CA's TRN02 and the 835's CLP01. */
  claimNumber: string;
  chargeCents: number;
  payerId: string;
  payerName: string;
  memberId: string;
  subscriberLastName: string;
  subscriberFirstName: string;
  patientLastName: string;
  patientFirstName: string;
  billingProviderNpi: string;
  billingProviderName: string;
  renderingProviderNpi: string | null;
  /** CLM05-1. */
  placeOfService: string;
  /** CLM05-3: 1 original, 7 replacement (corrected), 8 void; anything else is read as 1. */
  frequencyCode: "1" | "7" | "8";
  /** 2300 REF*F8: the payer claim number of the claim a 7 or 8 corrects or voids, null when absent. */
  originalPayerClaimNumber: string | null;
  lines: { procedureCode: string; modifiers: string[]; chargeCents: number; units: number; serviceDate: string }[];
};

export type Submitted837 = {
  senderId: string;
  receiverId: string;
  interchangeControlNumber: string;
  groupControlNumber: string;
  transactionSets: { controlNumber: string; claims: SubmittedClaim[] }[];
};

/** An amount in cents, 0 when unreadable (the 999 has judged the syntax). */
function toCents(value: string): number {
  return x12AmountToCents(value) ?? 0;
}

function readFrequency(value: string | undefined): SubmittedClaim["frequencyCode"] {
  return value === "7" || value === "8" ? value : "1";
}

/**
 * Reads the parts of an 837P the emulator's rules look at. It trusts checkStructure to have
 * judged the syntax (the 999); here a missing value is just empty.
 */
export function read837P(text: string): Submitted837 {
  const interchange = readX12(text);
  const component = interchange.separators.component;
  const isa = interchange.segments[0]!;
  const gs = interchange.segments.find((segment) => segment.id === "GS");
  const result: Submitted837 = {
    senderId: elementOf(isa, 6).trim(),
    receiverId: elementOf(isa, 8).trim(),
    interchangeControlNumber: elementOf(isa, 13),
    groupControlNumber: gs ? elementOf(gs, 6) : "",
    transactionSets: [],
  };
  let set: Submitted837["transactionSets"][number] | null = null;
  let level = "";
  let billing = { npi: "", name: "" };
  let subscriber = { memberId: "", lastName: "", firstName: "", payerId: "", payerName: "" };
  let patient = { lastName: "", firstName: "" };
  let claim: SubmittedClaim | null = null;
  let inLine = false;
  /** Inside the claim's 2320/2330 loops (other payers), which begin with an SBR after the CLM. */
  let sawOtherPayer = false;
  const startClaim = (clm: X12ReadSegment) => {
    claim = {
      claimNumber: elementOf(clm, 1),
      chargeCents: toCents(elementOf(clm, 2)),
      payerId: subscriber.payerId,
      payerName: subscriber.payerName,
      memberId: subscriber.memberId,
      subscriberLastName: subscriber.lastName,
      subscriberFirstName: subscriber.firstName,
      patientLastName: level === "23" ? patient.lastName : subscriber.lastName,
      patientFirstName: level === "23" ? patient.firstName : subscriber.firstName,
      billingProviderNpi: billing.npi,
      billingProviderName: billing.name,
      renderingProviderNpi: null,
      placeOfService: elementOf(clm, 5).split(component)[0] ?? "",
      frequencyCode: readFrequency(elementOf(clm, 5).split(component)[2]),
      originalPayerClaimNumber: null,
      lines: [],
    };
    set?.claims.push(claim);
    inLine = false;
    sawOtherPayer = false;
  };
  for (const segment of interchange.segments) {
    const current = claim as SubmittedClaim | null;
    switch (segment.id) {
      case "ST":
        set = { controlNumber: elementOf(segment, 2), claims: [] };
        result.transactionSets.push(set);
        break;
      case "HL":
        level = elementOf(segment, 3);
        claim = null;
        if (level === "22") subscriber = { memberId: "", lastName: "", firstName: "", payerId: "", payerName: "" };
        if (level === "23") patient = { lastName: "", firstName: "" };
        break;
      case "NM1": {
        const entity = elementOf(segment, 1);
        if (entity === "85") billing = { npi: elementOf(segment, 9), name: elementOf(segment, 3) };
        else if (entity === "IL")
          subscriber = { ...subscriber, memberId: elementOf(segment, 9), lastName: elementOf(segment, 3), firstName: elementOf(segment, 4) };
        else if (entity === "PR") subscriber = { ...subscriber, payerId: elementOf(segment, 9), payerName: elementOf(segment, 3) };
        else if (entity === "QC") patient = { lastName: elementOf(segment, 3), firstName: elementOf(segment, 4) };
        else if (entity === "82" && current) current.renderingProviderNpi = elementOf(segment, 9) || null;
        break;
      }
      case "CLM":
        startClaim(segment);
        break;
      case "LX":
        inLine = true;
        break;
      case "REF":
        // 2300 REF*F8 (payer claim control number); a 2330B REF*F8 (another payer's, before the lines) is not this claim's.
        if (current && !inLine && elementOf(segment, 1) === "F8" && !sawOtherPayer) current.originalPayerClaimNumber = elementOf(segment, 2) || null;
        break;
      case "SBR":
        if (current) sawOtherPayer = true;
        break;
      case "SV1":
        if (current && inLine) {
          const [, code = "", ...modifiers] = elementOf(segment, 1).split(component);
          current.lines.push({
            procedureCode: code,
            modifiers: modifiers.filter(Boolean),
            chargeCents: toCents(elementOf(segment, 2)),
            units: Number(elementOf(segment, 4)) || 1,
            serviceDate: "",
          });
        }
        break;
      case "DTP":
        if (current && inLine && elementOf(segment, 1) === "472") {
          const line = current.lines.at(-1);
          if (line) line.serviceDate = (elementOf(segment, 3).split("-")[0] ?? "").slice(0, 8);
        }
        break;
    }
  }
  return result;
}
