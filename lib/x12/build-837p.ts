import { ZClaimBatch837P, type TClaim837P, type TClaimBatch837P, type TClaimBatch837PInput } from "./build-837p.types";
import { segment, writeInterchange, type WriteX12Options, type X12Segment } from "./write-x12";

export const IMPLEMENTATION_837P = "005010X222A1";

/** Cents as an X12 decimal amount: 12550 → "125.5", 12500 → "125". */
export function formatAmount(cents: number): string {
  const sign = cents < 0 ? "-" : "";
  const absolute = Math.abs(cents);
  const whole = Math.floor(absolute / 100);
  const fraction = String(absolute % 100)
    .padStart(2, "0")
    .replace(/0+$/, "");
  return `${sign}${whole}${fraction ? `.${fraction}` : ""}`;
}

function formatQuantity(value: number): string {
  return String(Math.round(value * 1000) / 1000);
}

const compactDate = (date: string) => date.replaceAll("-", "");

function addressSegments(address: TClaim837P["subscriber"]["address"]): X12Segment[] {
  if (!address) return [];
  return [segment("N3", address.line1, address.line2), segment("N4", address.city, address.state, address.postalCode)];
}

function personName(
  entity: string,
  person: { lastName: string; firstName: string; middleName?: string; suffix?: string },
  id?: { qualifier: string; value: string },
): X12Segment {
  return segment("NM1", entity, "1", person.lastName, person.firstName, person.middleName, undefined, person.suffix, id?.qualifier, id?.value);
}

/** NM1*82 and PRV*PE: the rendering provider of a claim (2310B) or of one line (2420A), the same segments in both loops. */
function renderingProviderSegments(provider: NonNullable<TClaim837P["renderingProvider"]>): X12Segment[] {
  const segments = [personName("82", provider, { qualifier: "XX", value: provider.npi })];
  if (provider.taxonomyCode) segments.push(segment("PRV", "PE", "PXC", provider.taxonomyCode));
  return segments;
}

type Adjustment = TClaim837P["otherPayers"][number]["adjustments"][number];

/**
 * CAS segments: one per group (CO, PR…) in the order first met, each with up to 6 reasons
 * (reason, amount, quantity); a group with more reasons continues in another CAS of that group.
 */
function adjustmentSegments(adjustments: readonly Adjustment[]): X12Segment[] {
  const byGroup = new Map<string, Adjustment[]>();
  for (const adjustment of adjustments) byGroup.set(adjustment.groupCode, [...(byGroup.get(adjustment.groupCode) ?? []), adjustment]);
  const segments: X12Segment[] = [];
  for (const [group, reasons] of byGroup) {
    for (let start = 0; start < reasons.length; start += 6) {
      const triples = reasons
        .slice(start, start + 6)
        .flatMap((reason) => [
          reason.reasonCode,
          formatAmount(reason.amountCents),
          reason.quantity === undefined ? undefined : formatQuantity(reason.quantity),
        ]);
      segments.push(segment("CAS", group, ...triples));
    }
  }
  return segments;
}

/** 2320, 2330A and 2330B of one payer that adjudicated the claim before the payer it is sent to. */
function otherPayerSegments(other: TClaim837P["otherPayers"][number], claim: TClaim837P): X12Segment[] {
  return [
    segment(
      "SBR",
      other.payerResponsibility,
      other.relationshipCode,
      other.groupNumber,
      other.groupNumber ? undefined : other.groupName,
      undefined,
      undefined,
      undefined,
      undefined,
      other.claimFilingIndicator,
    ),
    ...adjustmentSegments(other.adjustments),
    segment("AMT", "D", formatAmount(other.paidCents)),
    segment("OI", undefined, undefined, other.benefitsAssignmentCertified, undefined, undefined, claim.releaseOfInformation),
    // 2330A: the other coverage's subscriber.
    personName("IL", other.subscriber, { qualifier: "MI", value: other.subscriber.memberId }),
    ...addressSegments(other.subscriber.address),
    // 2330B: the other payer; NM109 is what each line's SVD01 names.
    segment("NM1", "PR", "2", other.payer.name, undefined, undefined, undefined, undefined, "PI", other.payer.payerId),
    ...addressSegments(other.payer.address),
    ...(other.adjudicatedOn ? [segment("DTP", "573", "D8", compactDate(other.adjudicatedOn))] : []),
    ...(other.payer.claimControlNumber ? [segment("REF", "F8", other.payer.claimControlNumber)] : []),
  ];
}

/** 2430: SVD, the line's CAS and DTP*573 for one other payer's adjudication of a line. */
function lineAdjudicationSegments(adjudication: TClaim837P["serviceLines"][number]["adjudications"][number]): X12Segment[] {
  return [
    segment(
      "SVD",
      adjudication.payerId,
      formatAmount(adjudication.paidCents),
      ["HC", adjudication.procedureCode, ...adjudication.modifiers],
      undefined,
      formatQuantity(adjudication.units),
    ),
    ...adjustmentSegments(adjudication.adjustments),
    segment("DTP", "573", "D8", compactDate(adjudication.adjudicatedOn)),
  ];
}

function claimSegments(claim: TClaim837P, billingNpi: string): X12Segment[] {
  const segments: X12Segment[] = [
    segment(
      "CLM",
      claim.claimNumber,
      formatAmount(claim.totalChargeCents),
      undefined,
      undefined,
      [claim.placeOfService, "B", claim.frequencyCode],
      claim.providerSignatureOnFile ? "Y" : "N",
      claim.providerAcceptsAssignment,
      claim.benefitsAssignmentCertified,
      claim.releaseOfInformation,
    ),
  ];
  if (claim.payerClaimNumber) segments.push(segment("REF", "F8", claim.payerClaimNumber));
  segments.push(segment("HI", ...claim.diagnoses.map((code, index) => [index === 0 ? "ABK" : "ABF", code])));

  const rendering = claim.renderingProvider;
  if (rendering && rendering.npi !== billingNpi) segments.push(...renderingProviderSegments(rendering));
  // Who renders a line unless it says otherwise: 2310B, or the billing provider when there is none.
  const claimRenderingNpi = rendering?.npi ?? billingNpi;
  // 2320 (with its 2330A/2330B) after the 2310 loops, one per payer that adjudicated the claim before.
  for (const other of claim.otherPayers) segments.push(...otherPayerSegments(other, claim));

  claim.serviceLines.forEach((line, index) => {
    segments.push(segment("LX", String(index + 1)));
    segments.push(
      segment(
        "SV1",
        ["HC", line.procedureCode, ...line.modifiers],
        formatAmount(line.chargeCents),
        "UN",
        formatQuantity(line.units),
        line.placeOfService && line.placeOfService !== claim.placeOfService ? line.placeOfService : undefined,
        undefined,
        line.diagnosisPointers.map(String),
      ),
    );
    segments.push(
      line.serviceDateEnd && line.serviceDateEnd !== line.serviceDate
        ? segment("DTP", "472", "RD8", `${compactDate(line.serviceDate)}-${compactDate(line.serviceDateEnd)}`)
        : segment("DTP", "472", "D8", compactDate(line.serviceDate)),
    );
    // 2420A after the line's own 2400 segments, only for a line someone else rendered.
    if (line.renderingProvider && line.renderingProvider.npi !== claimRenderingNpi) segments.push(...renderingProviderSegments(line.renderingProvider));
    // 2430 after 2420A: the other payers' adjudication of this line.
    for (const adjudication of line.adjudications) segments.push(...lineAdjudicationSegments(adjudication));
  });
  return segments;
}

function transactionSegments(batch: TClaimBatch837P): X12Segment[] {
  const when = new Intl.DateTimeFormat("en-CA", {
    timeZone: batch.timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).formatToParts(batch.createdAt);
  const part = (type: Intl.DateTimeFormatPartTypes) => when.find((candidate) => candidate.type === type)?.value ?? "";
  const { submitter, receiver, billingProvider } = batch;
  const contact: string[] = [];
  if (submitter.phone) contact.push("TE", submitter.phone);
  if (submitter.email) contact.push("EM", submitter.email);

  const segments: X12Segment[] = [
    segment("BHT", "0019", "00", batch.batchReference, `${part("year")}${part("month")}${part("day")}`, `${part("hour")}${part("minute")}`, "CH"),
    // 1000A submitter, 1000B receiver.
    segment("NM1", "41", "2", submitter.name, undefined, undefined, undefined, undefined, "46", submitter.id),
    segment("PER", "IC", submitter.contactName, ...contact),
    segment("NM1", "40", "2", receiver.name, undefined, undefined, undefined, undefined, "46", receiver.id),
    // 2000A billing provider level and 2010AA its name, address and tax id.
    segment("HL", "1", undefined, "20", "1"),
    segment("PRV", "BI", "PXC", billingProvider.taxonomyCode),
    segment("NM1", "85", "2", billingProvider.organizationName, undefined, undefined, undefined, undefined, "XX", billingProvider.npi),
    ...addressSegments(billingProvider.address),
    segment("REF", "EI", billingProvider.ein),
  ];

  let nextId = 2;
  for (const claim of batch.claims) {
    const subscriberId = nextId++;
    const { subscriber, patient, payer } = claim;
    // 2000B subscriber level: SBR02 is 18 (self) only when the subscriber is the patient.
    segments.push(segment("HL", String(subscriberId), "1", "22", patient ? "1" : "0"));
    segments.push(
      segment(
        "SBR",
        claim.payerResponsibility,
        patient ? undefined : "18",
        subscriber.groupNumber,
        subscriber.groupNumber ? undefined : subscriber.groupName,
        undefined,
        undefined,
        undefined,
        undefined,
        payer.claimFilingIndicator,
      ),
    );
    segments.push(personName("IL", subscriber, { qualifier: "MI", value: subscriber.memberId }));
    // The guide sends the subscriber's address and demographics only when the subscriber is the
    // patient ("if not required by this implementation guide, do not send").
    if (!patient) {
      segments.push(...addressSegments(subscriber.address));
      if (subscriber.birthDate && subscriber.sex) segments.push(segment("DMG", "D8", compactDate(subscriber.birthDate), subscriber.sex));
    }
    // 2010BB payer.
    segments.push(segment("NM1", "PR", "2", payer.name, undefined, undefined, undefined, undefined, "PI", payer.payerId));
    segments.push(...addressSegments(payer.address));
    if (patient) {
      // 2000C patient level and 2010CA the patient, who is not the subscriber.
      segments.push(segment("HL", String(nextId++), String(subscriberId), "23", "0"));
      segments.push(segment("PAT", patient.relationshipCode));
      segments.push(personName("QC", patient));
      segments.push(...addressSegments(patient.address));
      segments.push(segment("DMG", "D8", compactDate(patient.birthDate), patient.sex));
    }
    segments.push(...claimSegments(claim, billingProvider.npi));
  }
  return segments;
}

export type ClaimBatchProblem = { path: string; message: string };

/**
 * Every problem that keeps a batch from becoming an 837P, each with the dotted path of its field
 * (claims.0.serviceLines.1.diagnosisPointers.0) and a sentence; empty when build837P would succeed.
 */
export function listClaimBatchProblems(input: unknown): ClaimBatchProblem[] {
  const parsed = ZClaimBatch837P.safeParse(input);
  return parsed.success ? [] : parsed.error.issues.map((issue) => ({ path: issue.path.map(String).join("."), message: issue.message }));
}

/**
 * Writes a batch of professional claims as one X12 005010X222A1 837P interchange (one ISA, GS
 * and ST) with the control numbers the caller allocated. The input is parsed with
 * ZClaimBatch837P first: bad input throws its ZodError naming every problem, and nothing is written.
 * Each claim gets its own 2000B subscriber level (and 2000C when the patient is a dependent);
 * assignment, signature and release flags come from the input, never from defaults.
 */
export function build837P(input: TClaimBatch837PInput, options: WriteX12Options = {}): string {
  const batch = ZClaimBatch837P.parse(input);
  return writeInterchange(
    {
      sender: batch.interchangeSender,
      receiver: batch.interchangeReceiver,
      applicationSenderCode: batch.applicationSenderCode ?? batch.interchangeSender.id,
      applicationReceiverCode: batch.applicationReceiverCode ?? batch.interchangeReceiver.id,
      interchangeControlNumber: batch.controlNumbers.interchange,
      groupControlNumber: batch.controlNumbers.group,
      functionalIdentifier: "HC",
      implementationReference: IMPLEMENTATION_837P,
      usage: batch.usage,
      acknowledgmentRequested: batch.acknowledgmentRequested,
      createdAt: batch.createdAt,
      timeZone: batch.timeZone,
    },
    [{ transactionSetId: "837", controlNumber: batch.controlNumbers.transactionSet, segments: transactionSegments(batch) }],
    options,
  );
}
