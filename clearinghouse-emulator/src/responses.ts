import { checkNpi } from "@/lib/insurance/identifiers";
import { formatAmount } from "@/lib/x12/build-837p";
import type { X12Problem } from "@/lib/x12/check-structure";
import { elementOf, readX12, type X12ReadSegment } from "@/lib/x12/read-x12";
import { segment, writeInterchange, type X12Segment } from "@/lib/x12/write-x12";
import type { EmulatorConfig, EmulatorPayer } from "./config";
import type { Submitted837, SubmittedClaim } from "./read-837p";

/** The parts of a response's envelope the emulator chooses: who it answers, and its next numbers. */
export type ResponseEnvelope = { submitterId: string; interchangeControlNumber: number; createdAt: Date; usage: "P" | "T" };

function envelope(config: EmulatorConfig, to: ResponseEnvelope, functionalIdentifier: string, implementationReference: string) {
  return {
    sender: { qualifier: "ZZ", id: config.clearinghouseId },
    receiver: { qualifier: "ZZ", id: to.submitterId },
    applicationSenderCode: config.clearinghouseId,
    applicationReceiverCode: to.submitterId,
    interchangeControlNumber: to.interchangeControlNumber,
    groupControlNumber: to.interchangeControlNumber,
    functionalIdentifier,
    implementationReference,
    usage: to.usage,
    acknowledgmentRequested: false,
    createdAt: to.createdAt,
  };
}

const ymd = (date: Date) => date.toISOString().slice(0, 10).replaceAll("-", "");

/**
 * The 999 for an 837P: accepted when checkStructure found nothing, else rejected with one IK3 per
 * problem that names a segment (IK3-04 8 "segment has data element errors", 3 "required segment
 * missing" for a loop problem) and IK5*R*5.
 */
export function write999(
  config: EmulatorConfig,
  to: ResponseEnvelope,
  submitted: { groupControlNumber: string; setControlNumbers: string[]; text: string },
  problems: X12Problem[],
): string {
  const rejected = problems.length > 0;
  const segments: X12Segment[] = [segment("AK1", "HC", submitted.groupControlNumber, "005010X222A1")];
  const ordinals = readOrdinals(submitted.text);
  for (const controlNumber of submitted.setControlNumbers.length > 0 ? submitted.setControlNumbers : ["0001"]) {
    segments.push(segment("AK2", "837", controlNumber, "005010X222A1"));
    for (const problem of problems.slice(0, 20)) {
      const located = problem.segment !== undefined ? ordinals.get(problem.segment) : undefined;
      segments.push(segment("IK3", located?.id ?? "ST", String(located?.position ?? 1), null, problem.kind === "loop" ? "3" : "8"));
    }
    segments.push(rejected ? segment("IK5", "R", "5") : segment("IK5", "A"));
  }
  const count = String(submitted.setControlNumbers.length || 1);
  segments.push(segment("AK9", rejected ? "R" : "A", count, count, rejected ? "0" : count));
  return writeInterchange(envelope(config, to, "FA", "005010X231A1"), [{ transactionSetId: "999", controlNumber: 1, segments }]);
}

/** Segment ordinal in the file → its id and its position inside its transaction set (ST = 1). */
function readOrdinals(text: string): Map<number, { id: string; position: number }> {
  const map = new Map<number, { id: string; position: number }>();
  try {
    let position = 0;
    for (const each of readX12(text).segments) {
      if (each.id === "ST") position = 0;
      position += 1;
      map.set(each.ordinal, { id: each.id, position });
    }
  } catch {
    // An unreadable file has no segments to point at: the IK3s name ST.
  }
  return map;
}

export type ClaimVerdict = { claim: SubmittedClaim; accepted: boolean; statuses: string[]; payerClaimNumber: string | null; payer: EmulatorPayer | null };

/** What the emulator keeps of a claim it adjudicated (state.json), so that a later 7 or 8 can reverse it. */
export type StoredAdjudication = {
  payerId: string;
  /** "payerId|memberId": whose accumulators the claim used. */
  memberKey: string;
  claim: SubmittedClaim;
  payerClaimNumber: string;
  lines: AdjudicatedLine[];
  paidCents: number;
  patientCents: number;
  /** The payer claim number of the accepted 7 or 8 that reverses it, once one came; it cannot be reversed twice. */
  reversedBy: string | null;
};

/**
 * The documented 277CA rules, in order (README "Rules"): a payer id the configuration does not know →
 * A3:21:PR; no subscriber member id (a placeholder: isMissingMemberId) → A6:164:IL; a billing NPI that fails the Luhn check → A7:562:85;
 * a rendering NPI that fails it → A7:562:82; a corrected (7) or void (8) claim whose REF*F8 names no
 * adjudication of this payer still standing (`original` finds it) → A7:464 (payer claim control number).
 * Every failing rule is reported; none → A2:20 with a payer claim number.
 */
export function judgeClaim(
  config: EmulatorConfig,
  claim: SubmittedClaim,
  payerClaimNumber: string,
  original: (payerClaimNumber: string) => StoredAdjudication | undefined = () => undefined,
): ClaimVerdict {
  const payer = config.payers.find((each) => each.payerId.toUpperCase() === claim.payerId.toUpperCase()) ?? null;
  const statuses: string[] = [];
  if (!payer) statuses.push("A3:21:PR");
  if (isMissingMemberId(claim.memberId)) statuses.push("A6:164:IL");
  if (!checkNpi(claim.billingProviderNpi).ok) statuses.push("A7:562:85");
  if (claim.renderingProviderNpi !== null && !checkNpi(claim.renderingProviderNpi).ok) statuses.push("A7:562:82");
  if (claim.frequencyCode !== "1") {
    const reversed = claim.originalPayerClaimNumber ? original(claim.originalPayerClaimNumber) : undefined;
    if (!reversed || reversed.reversedBy !== null || !payer || reversed.payerId !== payer.payerId) statuses.push("A7:464");
  }
  const accepted = statuses.length === 0;
  return { claim, accepted, statuses: accepted ? ["A2:20"] : statuses, payerClaimNumber: accepted ? payerClaimNumber : null, payer };
}

/**
 * NM109 of the subscriber is required by the 837P's syntax (a file without it fails the 999), so
 * what reaches this rule is a placeholder typed where the id was unknown: empty, zeros, NONE, UNKNOWN, N/A.
 */
export function isMissingMemberId(memberId: string): boolean {
  const value = memberId.trim().toUpperCase();
  return value === "" || /^0+$/.test(value) || ["NONE", "UNKNOWN", "NA", "N/A", "TBD"].includes(value);
}

/** The 277CA (005010X214) for one 837 batch: the batch received, then each claim accepted or rejected by judgeClaim. */
export function write277CA(
  config: EmulatorConfig,
  to: ResponseEnvelope,
  submitted: Submitted837 & { batchReference: string; submitterName: string },
  verdicts: ClaimVerdict[],
): string {
  const today = ymd(to.createdAt);
  const total = (list: ClaimVerdict[]) => formatAmount(list.reduce((sum, verdict) => sum + verdict.claim.chargeCents, 0));
  const accepted = verdicts.filter((verdict) => verdict.accepted);
  const rejected = verdicts.filter((verdict) => !verdict.accepted);
  const segments: X12Segment[] = [
    segment("BHT", "0085", "08", submitted.batchReference || submitted.interchangeControlNumber, today, "1200", "TH"),
    segment("HL", "1", null, "20", "1"),
    segment("NM1", "PR", "2", config.clearinghouseName, null, null, null, null, "46", config.clearinghouseId),
    segment("TRN", "1", String(to.interchangeControlNumber)),
    segment("DTP", "050", "D8", today),
    segment("DTP", "009", "D8", today),
    segment("HL", "2", "1", "21", "1"),
    segment("NM1", "41", "2", submitted.submitterName || submitted.senderId, null, null, null, null, "46", submitted.senderId),
    segment("TRN", "2", submitted.batchReference || submitted.interchangeControlNumber),
    segment("STC", ["A1", "19"], today, "WQ", total(verdicts)),
    ...(accepted.length > 0 ? [segment("QTY", "90", String(accepted.length))] : []),
    ...(rejected.length > 0 ? [segment("QTY", "AA", String(rejected.length))] : []),
    ...(accepted.length > 0 ? [segment("AMT", "YU", total(accepted))] : []),
    ...(rejected.length > 0 ? [segment("AMT", "YY", total(rejected))] : []),
  ];
  let hl = 2;
  const providers = [...new Set(verdicts.map((verdict) => verdict.claim.billingProviderNpi))];
  for (const npi of providers) {
    const providerHl = ++hl;
    const mine = verdicts.filter((verdict) => verdict.claim.billingProviderNpi === npi);
    segments.push(
      segment("HL", String(providerHl), "2", "19", "1"),
      segment("NM1", "85", "2", mine[0]!.claim.billingProviderName || "PROVIDER", null, null, null, null, "XX", npi || "0000000000"),
      segment("TRN", "1", `${to.interchangeControlNumber}-${providerHl}`),
    );
    for (const verdict of mine) {
      const { claim } = verdict;
      segments.push(
        segment("HL", String(++hl), String(providerHl), "PT"),
        segment(
          "NM1",
          "QC",
          "1",
          claim.patientLastName || "UNKNOWN",
          claim.patientFirstName || null,
          null,
          null,
          null,
          claim.memberId ? "MI" : null,
          claim.memberId || null,
        ),
        segment("TRN", "2", claim.claimNumber),
      );
      for (const [index, status] of verdict.statuses.entries()) {
        segments.push(
          index === 0
            ? segment("STC", status.split(":"), today, verdict.accepted ? "WQ" : "U", formatAmount(claim.chargeCents))
            : segment("STC", status.split(":"), today),
        );
      }
      if (verdict.payerClaimNumber) segments.push(segment("REF", "1K", verdict.payerClaimNumber));
      const first = claim.lines[0]?.serviceDate;
      if (first) segments.push(segment("DTP", "472", "D8", first));
    }
  }
  return writeInterchange(envelope(config, to, "HN", "005010X214"), [{ transactionSetId: "277", controlNumber: 1, segments }]);
}

/** What a member has used of the plan year, kept by the emulator across files. */
export type MemberAccumulators = { deductibleMetCents: number; outOfPocketMetCents: number };

export type AdjudicatedLine = {
  line: SubmittedClaim["lines"][number];
  allowedCents: number;
  contractualCents: number;
  copayCents: number;
  deductibleCents: number;
  coinsuranceCents: number;
  paidCents: number;
  /** Denied for a missing required modifier (CO-4, remark M20): nothing allowed, nothing paid, nothing owed by the patient. */
  denied: boolean;
};

export type AdjudicatedClaim = {
  claim: SubmittedClaim;
  payerClaimNumber: string;
  payer: EmulatorPayer;
  lines: AdjudicatedLine[];
  paidCents: number;
  patientCents: number;
  /** A reversal of an earlier payment (CLP02 22): every amount negated. */
  reversal: boolean;
};

/**
 * Adjudicates one accepted claim (README "Adjudication"): per line, allowed = fee schedule × units
 * (or charge × defaultAllowedPercent), never above the charge, the rest a contractual adjustment
 * (CO-45); then the co-pay (once per claim, PR-3), the deductible still to meet (PR-1) and the
 * coinsurance on what remains (PR-2), the patient's share capped by the out-of-pocket maximum.
 * A line whose code requires a modifier (`requiredModifiers`) it does not carry is denied: all of
 * its charge CO-4 (remark M20), and it uses none of the co-pay, deductible or coinsurance.
 * Updates `member` (deductible and out-of-pocket met).
 */
export function adjudicateClaim(verdict: ClaimVerdict & { payer: EmulatorPayer; payerClaimNumber: string }, member: MemberAccumulators): AdjudicatedClaim {
  const { payer } = verdict;
  let copayLeft = payer.copayCents;
  const lines = verdict.claim.lines.map((line): AdjudicatedLine => {
    const required = payer.requiredModifiers[line.procedureCode];
    if (required !== undefined && !line.modifiers.includes(required)) {
      return { line, allowedCents: 0, contractualCents: line.chargeCents, copayCents: 0, deductibleCents: 0, coinsuranceCents: 0, paidCents: 0, denied: true };
    }
    const scheduled = payer.feeSchedule[line.procedureCode];
    const allowedCents = Math.min(
      line.chargeCents,
      scheduled !== undefined ? scheduled * line.units : Math.round((line.chargeCents * payer.defaultAllowedPercent) / 100),
    );
    let remaining = allowedCents;
    const copayCents = Math.min(copayLeft, remaining);
    copayLeft -= copayCents;
    remaining -= copayCents;
    const deductibleCents = Math.min(Math.max(payer.deductibleCents - member.deductibleMetCents, 0), remaining);
    member.deductibleMetCents += deductibleCents;
    remaining -= deductibleCents;
    let coinsuranceCents = Math.round((remaining * payer.coinsuranceBasisPoints) / 10_000);
    if (payer.outOfPocketMaxCents !== null) {
      const left = Math.max(payer.outOfPocketMaxCents - member.outOfPocketMetCents - copayCents - deductibleCents, 0);
      coinsuranceCents = Math.min(coinsuranceCents, left);
    }
    member.outOfPocketMetCents += copayCents + deductibleCents + coinsuranceCents;
    return {
      line,
      allowedCents,
      contractualCents: line.chargeCents - allowedCents,
      copayCents,
      deductibleCents,
      coinsuranceCents,
      paidCents: remaining - coinsuranceCents,
      denied: false,
    };
  });
  const paidCents = lines.reduce((sum, line) => sum + line.paidCents, 0);
  const patientCents = lines.reduce((sum, line) => sum + line.copayCents + line.deductibleCents + line.coinsuranceCents, 0);
  return { claim: verdict.claim, payerClaimNumber: verdict.payerClaimNumber, payer, lines, paidCents, patientCents, reversal: false };
}

/**
 * The reversal of an earlier adjudication (README "Corrections and voids"): the same claim (CLP01,
 * CLP07 its payer claim number) with status 22 and every amount negated (charge, paid, patient
 * share, each line's charge, paid, adjustments and allowed). Gives `member` back the deductible and
 * out-of-pocket the original used (never below 0).
 */
export function reverseAdjudication(original: Omit<AdjudicatedClaim, "reversal">, member: MemberAccumulators): AdjudicatedClaim {
  const deductible = original.lines.reduce((sum, line) => sum + line.deductibleCents, 0);
  member.deductibleMetCents = Math.max(member.deductibleMetCents - deductible, 0);
  member.outOfPocketMetCents = Math.max(member.outOfPocketMetCents - original.patientCents, 0);
  const negate = (cents: number) => (cents === 0 ? 0 : -cents);
  return {
    claim: { ...original.claim, chargeCents: negate(original.claim.chargeCents) },
    payerClaimNumber: original.payerClaimNumber,
    payer: original.payer,
    lines: original.lines.map((line) => ({
      line: { ...line.line, chargeCents: negate(line.line.chargeCents) },
      allowedCents: negate(line.allowedCents),
      contractualCents: negate(line.contractualCents),
      copayCents: negate(line.copayCents),
      deductibleCents: negate(line.deductibleCents),
      coinsuranceCents: negate(line.coinsuranceCents),
      paidCents: negate(line.paidCents),
      denied: line.denied,
    })),
    paidCents: negate(original.paidCents),
    patientCents: negate(original.patientCents),
    reversal: true,
  };
}

/**
 * One 835 (005010X221A1) per payer and submitter for the claims adjudicated together (reversals
 * among them): BPR02 = the sum of CLP04; a check (BPR*I…C*CHK) when positive, a debit notice
 * (BPR*I…D*NON) when the reversals take back more than is paid, nothing paid (BPR*H…C*NON) at zero.
 */
export function write835(
  config: EmulatorConfig,
  to: ResponseEnvelope,
  payee: { name: string; npi: string },
  claims: AdjudicatedClaim[],
  checkNumber: string,
): string {
  const payer = claims[0]!.payer;
  const today = ymd(to.createdAt);
  const total = claims.reduce((sum, claim) => sum + claim.paidCents, 0);
  const segments: X12Segment[] = [
    segment(
      "BPR",
      total !== 0 ? "I" : "H",
      formatAmount(Math.abs(total)),
      total < 0 ? "D" : "C",
      total > 0 ? "CHK" : "NON",
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      today,
    ),
    segment("TRN", "1", checkNumber, `1${payer.taxId}`),
    segment("DTM", "405", today),
    segment("N1", "PR", payer.name),
    segment("N3", "1 CLAIMS WAY"),
    segment("N4", "HARTFORD", "CT", "06156"),
    // REF*2U: the payer id the clinic billed (2010BB NM109), so the 835 names the payer in the clinic's terms, not only by tax id (TRN03).
    segment("REF", "2U", payer.payerId),
    segment("PER", "BL", "PROVIDER SERVICES", "TE", "8005550100"),
    segment("N1", "PE", payee.name || "PROVIDER", "XX", payee.npi),
    segment("LX", "1"),
  ];
  for (const claim of claims) {
    const charge = claim.claim.chargeCents;
    segments.push(
      segment(
        "CLP",
        claim.claim.claimNumber,
        claim.reversal ? "22" : claim.paidCents > 0 || claim.patientCents > 0 ? "1" : "4",
        formatAmount(charge),
        formatAmount(claim.paidCents),
        formatAmount(claim.patientCents),
        "12",
        claim.payerClaimNumber,
        claim.claim.placeOfService || "11",
        "1",
      ),
      segment("NM1", "QC", "1", claim.claim.patientLastName || "UNKNOWN", claim.claim.patientFirstName || null, null, null, null, "MI", claim.claim.memberId),
    );
    for (const line of claim.lines) {
      segments.push(
        segment(
          "SVC",
          ["HC", line.line.procedureCode, ...line.line.modifiers],
          formatAmount(line.line.chargeCents),
          formatAmount(line.paidCents),
          null,
          String(line.line.units),
        ),
      );
      if (line.line.serviceDate) segments.push(segment("DTM", "472", line.line.serviceDate));
      if (line.contractualCents !== 0) segments.push(segment("CAS", "CO", line.denied ? "4" : "45", formatAmount(line.contractualCents)));
      const patient: string[] = [];
      for (const [reason, cents] of [
        ["1", line.deductibleCents],
        ["2", line.coinsuranceCents],
        ["3", line.copayCents],
      ] as const) {
        if (cents !== 0) patient.push(reason, formatAmount(cents), "");
      }
      if (patient.length > 0) segments.push(segment("CAS", "PR", ...patient.slice(0, -1)));
      if (!line.denied) segments.push(segment("AMT", "B6", formatAmount(line.allowedCents)));
      // LQ*HE*M20: "missing/incomplete/invalid HCPCS" (the modifier), the remark that goes with CO-4.
      else segments.push(segment("LQ", "HE", "M20"));
    }
  }
  const text = writeInterchange(envelope(config, to, "HP", "005010X221A1"), [{ transactionSetId: "835", controlNumber: 1, segments }]);
  // The 835 guide does not use ST03 (its version is in GS08 only); the shared writer always writes it.
  return text.replace("ST*835*0001*005010X221A1~", "ST*835*0001~");
}

/** The 270's parts a 271 echoes. */
type Read270 = {
  senderId: string;
  reference: string;
  payerId: string;
  payerSegment: X12ReadSegment | null;
  providerSegment: X12ReadSegment | null;
  subscriber: X12ReadSegment | null;
  subscriberTrace: X12ReadSegment[];
  subscriberDemographics: X12ReadSegment | null;
  dependent: X12ReadSegment | null;
  dependentTrace: X12ReadSegment[];
  dependentDemographics: X12ReadSegment | null;
};

export function read270(text: string): Read270 {
  const interchange = readX12(text);
  const result: Read270 = {
    senderId: elementOf(interchange.segments[0]!, 6).trim(),
    reference: "",
    payerId: "",
    payerSegment: null,
    providerSegment: null,
    subscriber: null,
    subscriberTrace: [],
    subscriberDemographics: null,
    dependent: null,
    dependentTrace: [],
    dependentDemographics: null,
  };
  let level = "";
  for (const each of interchange.segments) {
    if (each.id === "BHT") result.reference = elementOf(each, 3);
    if (each.id === "HL") level = elementOf(each, 3);
    if (each.id === "NM1" && level === "20") {
      result.payerSegment = each;
      result.payerId = elementOf(each, 9);
    }
    if (each.id === "NM1" && level === "21") result.providerSegment = each;
    if (each.id === "NM1" && level === "22") result.subscriber = each;
    if (each.id === "NM1" && level === "23") result.dependent = each;
    if (each.id === "TRN") (level === "23" ? result.dependentTrace : result.subscriberTrace).push(each);
    if (each.id === "DMG") {
      if (level === "23") result.dependentDemographics = each;
      else result.subscriberDemographics = each;
    }
  }
  return result;
}

const copy = (source: X12ReadSegment) => segment(source.id, ...source.elements);
/** A 270's TRN*1 (current transaction) comes back as TRN*2 (referenced transaction). */
const echoTrace = (source: X12ReadSegment) => segment("TRN", "2", ...source.elements.slice(1));

/**
 * The 271 (005010X279A1) for a 270: a payer the configuration does not know → AAA*Y**79*C at the
 * payer; no member id → AAA*Y**72*C at the subscriber; a member listed inactive → EB*6; else EB*1
 * active with the plan's co-pay (EB*B, office visit 98), coinsurance (EB*A), deductible and
 * out-of-pocket maximum for the calendar year (EB*C/EB*G, time period 23) and what remains (29).
 */
export function write271(config: EmulatorConfig, to: ResponseEnvelope, request: Read270, member: MemberAccumulators | null): string {
  const payer = config.payers.find((each) => each.payerId.toUpperCase() === request.payerId.toUpperCase()) ?? null;
  const memberId = request.subscriber ? elementOf(request.subscriber, 9) : "";
  const segments: X12Segment[] = [
    segment("BHT", "0022", "11", request.reference || String(to.interchangeControlNumber), ymd(to.createdAt), "1200"),
    segment("HL", "1", null, "20", "1"),
    request.payerSegment ? copy(request.payerSegment) : segment("NM1", "PR", "2", "UNKNOWN PAYER", null, null, null, null, "PI", request.payerId || "UNKNOWN"),
  ];
  if (!payer) segments.push(segment("AAA", "Y", null, "79", "C"));
  segments.push(segment("HL", "2", "1", "21", "1"));
  segments.push(request.providerSegment ? copy(request.providerSegment) : segment("NM1", "1P", "2", "PROVIDER"));
  segments.push(segment("HL", "3", "2", "22", request.dependent ? "1" : "0"));
  segments.push(...(request.dependent ? [] : request.subscriberTrace.map(echoTrace)));
  if (request.subscriber) segments.push(copy(request.subscriber));
  if (request.subscriberDemographics) segments.push(copy(request.subscriberDemographics));
  const benefits: X12Segment[] = [];
  if (payer && !memberId) benefits.push(segment("AAA", "Y", null, "72", "C"));
  else if (payer && payer.inactiveMemberIds.includes(memberId)) benefits.push(segment("EB", "6", "IND", "30"));
  else if (payer) {
    const used = member ?? { deductibleMetCents: 0, outOfPocketMetCents: 0 };
    benefits.push(segment("EB", "1", "IND", "30", null, `${payer.name} PLAN`));
    if (payer.copayCents > 0) benefits.push(segment("EB", "B", "IND", "98", null, null, "27", formatAmount(payer.copayCents), null, null, null, null, "Y"));
    benefits.push(segment("EB", "A", "IND", "30", null, null, "27", null, String(payer.coinsuranceBasisPoints / 10_000), null, null, null, "Y"));
    benefits.push(segment("EB", "C", "IND", "30", null, null, "23", formatAmount(payer.deductibleCents), null, null, null, null, "Y"));
    benefits.push(
      segment(
        "EB",
        "C",
        "IND",
        "30",
        null,
        null,
        "29",
        formatAmount(Math.max(payer.deductibleCents - used.deductibleMetCents, 0)),
        null,
        null,
        null,
        null,
        "Y",
      ),
    );
    if (payer.outOfPocketMaxCents !== null) {
      benefits.push(segment("EB", "G", "IND", "30", null, null, "23", formatAmount(payer.outOfPocketMaxCents), null, null, null, null, "Y"));
      benefits.push(
        segment(
          "EB",
          "G",
          "IND",
          "30",
          null,
          null,
          "29",
          formatAmount(Math.max(payer.outOfPocketMaxCents - used.outOfPocketMetCents, 0)),
          null,
          null,
          null,
          null,
          "Y",
        ),
      );
    }
  }
  if (request.dependent) {
    segments.push(segment("HL", "4", "3", "23", "0"), ...request.dependentTrace.map(echoTrace), copy(request.dependent));
    if (request.dependentDemographics) segments.push(copy(request.dependentDemographics));
  }
  segments.push(...benefits);
  return writeInterchange(envelope(config, to, "HB", "005010X279A1"), [{ transactionSetId: "271", controlNumber: 1, segments }]);
}
