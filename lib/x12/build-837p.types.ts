import { z } from "zod";
import "@/lib/validation/fields";
import { ZCalendarDate } from "@/lib/validation/fields";
import { ZEin, ZIcd10Cm, ZModifiers, ZNpi, ZPlaceOfService, ZProcedureCode, ZTaxonomyCode, zX12Text } from "@/lib/insurance/identifier-schemas";

/**
 * The input of build837P: one batch of claims from one billing provider to one receiver, as plain
 * data. Everything a payer reads from the file is given here (no flag is hard-coded in the
 * builder), and the lengths and code lists are those of the 005010X222A1 guide.
 */

const ZPostalCode = z
  .string()
  .trim()
  .transform((value) => value.replace(/[\s-]/g, ""))
  .refine((value) => /^\d{5}(\d{4})?$/.test(value), "Use a 5-digit ZIP code or ZIP+4, such as 97201 or 97201-1234.");

const ZState = z
  .string()
  .trim()
  .toUpperCase()
  .refine((value) => /^[A-Z]{2}$/.test(value), "Use the 2-letter state code, such as OR.");

export const ZX12Address = z.object({
  line1: zX12Text(55),
  line2: zX12Text(55).optional(),
  city: zX12Text(30),
  state: ZState,
  postalCode: ZPostalCode,
});

const ZPersonName = z.object({
  lastName: zX12Text(60),
  firstName: zX12Text(35),
  middleName: zX12Text(25).optional(),
  suffix: zX12Text(10).optional(),
});

const ZSex = z.enum(["F", "M", "U"], { message: "Use F, M or U (unknown) for sex." });

/** SBR09 / 2010BB: the kind of plan, never left blank (clearinghouses reject a claim without it). */
export const CLAIM_FILING_INDICATORS = {
  "11": "Other non-federal programs",
  "12": "Preferred provider organization (PPO)",
  "13": "Point of service (POS)",
  "14": "Exclusive provider organization (EPO)",
  "15": "Indemnity insurance",
  "16": "Health maintenance organization (HMO) Medicare risk",
  "17": "Dental maintenance organization",
  AM: "Automobile medical",
  BL: "Blue Cross/Blue Shield",
  CH: "CHAMPUS (TRICARE)",
  CI: "Commercial insurance",
  DS: "Disability",
  FI: "Federal employees program",
  HM: "Health maintenance organization (HMO)",
  LM: "Liability medical",
  MA: "Medicare Part A",
  MB: "Medicare Part B",
  MC: "Medicaid",
  OF: "Other federal program",
  TV: "Title V",
  VA: "Veterans Affairs plan",
  WC: "Workers' compensation health claim",
  ZZ: "Mutually defined",
} as const;

/** PAT01 (2000C): the patient's relationship to the subscriber when they are not the same person. */
export const PATIENT_RELATIONSHIP_CODES = {
  "01": "Spouse",
  "19": "Child",
  "20": "Employee",
  "21": "Unknown",
  "39": "Organ donor",
  "40": "Cadaver donor",
  "53": "Life partner",
  G8: "Other relationship",
} as const;

const codeKeys = <T extends Record<string, string>>(codes: T) => Object.keys(codes) as [keyof T & string, ...(keyof T & string)[]];

const ZParty = z.object({ qualifier: z.enum(["01", "14", "20", "27", "28", "29", "30", "33", "ZZ"]), id: zX12Text(15) });

const ZRenderingProvider = ZPersonName.extend({ npi: ZNpi, taxonomyCode: ZTaxonomyCode.optional() });

/** CAS01: who the adjustment falls on (CO contractual, PR patient, OA other, PI payer initiated, CR correction). */
export const ADJUSTMENT_GROUP_CODES = ["CO", "CR", "OA", "PI", "PR"] as const;

/** One CAS reason as the other payer adjudicated it (2320 claim level, 2430 line level). */
const ZAdjustment = z.object({
  groupCode: z.enum(ADJUSTMENT_GROUP_CODES, { message: "Use CO, CR, OA, PI or PR for an adjustment's group." }),
  /** CARC. */
  reasonCode: z
    .string()
    .trim()
    .toUpperCase()
    .refine((value) => /^[A-Z0-9]{1,5}$/.test(value), "An adjustment reason code (CARC) has 1 to 5 letters or digits."),
  /** Cents; negative gives money back. */
  amountCents: z.number().int(),
  quantity: z.number().optional(),
});

/**
 * 2430: how another payer (2330B, named by its payer id) adjudicated this line: SVD (paid amount,
 * the procedure as adjudicated, paid units), its CAS, DTP*573 the day it paid.
 */
const ZLineAdjudication = z.object({
  /** SVD01: the other payer's id, as in its 2330B NM109. */
  payerId: zX12Text(80),
  paidCents: z.number().int(),
  procedureCode: ZProcedureCode,
  modifiers: ZModifiers.default([]),
  units: z.number().min(0, "Paid units cannot be negative."),
  adjustments: z.array(ZAdjustment).default([]),
  /** DTP*573: the remittance's date. */
  adjudicatedOn: ZCalendarDate,
});

const ZServiceLine = z.object({
  procedureCode: ZProcedureCode,
  modifiers: ZModifiers.default([]),
  /** Line charge in cents. */
  chargeCents: z.number().int().positive("A service line's charge must be more than zero."),
  units: z
    .number()
    .positive("Units must be more than zero.")
    .refine((value) => Number.isInteger(value * 1000), "Units have at most 3 decimals.")
    .refine((value) => value < 10_000, "Units must be under 10,000."),
  /** Only when it differs from the claim's place of service (then written in SV105). */
  placeOfService: ZPlaceOfService.optional(),
  /** 1-based positions in the claim's diagnoses, 1 to 4 of them, the first the primary for this line. */
  diagnosisPointers: z
    .array(z.number().int())
    .min(1, "Point each service line at 1 to 4 of the claim's diagnoses.")
    .max(4, "A service line points at no more than 4 diagnoses."),
  serviceDate: ZCalendarDate,
  /** Last day when the line covers several days (written as a range, RD8). */
  serviceDateEnd: ZCalendarDate.optional(),
  /**
   * 2420A: who rendered this line when it is not the claim's rendering provider (2310B, or the
   * billing provider when the claim names none); written only when its NPI differs from theirs.
   */
  renderingProvider: ZRenderingProvider.optional(),
  /** 2430: each other payer's adjudication of this line (a secondary or tertiary claim). */
  adjudications: z.array(ZLineAdjudication).default([]),
});

/** SBR02 of 2320: the patient's relationship to the other payer's subscriber (18 self). */
export const OTHER_SUBSCRIBER_RELATIONSHIP_CODES = ["01", "18", "19", "20", "21", "39", "40", "53", "G8"] as const;

/**
 * 2320 with 2330A and 2330B: a payer that adjudicated the claim before this one (a secondary or
 * tertiary claim carries each one before it): its SBR, claim-level CAS, AMT*D (what it paid), OI,
 * its subscriber and the payer itself.
 */
const ZOtherPayer = z.object({
  /** SBR01: P when the other payer is the primary, S the secondary. */
  payerResponsibility: z.enum(["P", "S", "T"]),
  relationshipCode: z.enum(OTHER_SUBSCRIBER_RELATIONSHIP_CODES, { message: "Choose how the patient relates to the other coverage's subscriber." }),
  groupNumber: zX12Text(50).optional(),
  groupName: zX12Text(60).optional(),
  claimFilingIndicator: z.enum(codeKeys(CLAIM_FILING_INDICATORS), { message: "Choose the plan type (claim filing indicator, SBR09) for this payer." }),
  /** OI03: the insured assigned benefits to the provider under that coverage. */
  benefitsAssignmentCertified: z.enum(["Y", "N", "W"], { message: "Use Y, N or W for the assignment of benefits." }),
  /** Claim-level adjustments (CAS of 2320); the lines' own are in their 2430. */
  adjustments: z.array(ZAdjustment).default([]),
  /** AMT*D: what that payer paid on the claim, in cents. */
  paidCents: z.number().int(),
  /** 2330A. */
  subscriber: ZPersonName.extend({ memberId: zX12Text(80), address: ZX12Address.optional() }),
  /** 2330B. */
  payer: z.object({
    name: zX12Text(60),
    payerId: zX12Text(80),
    address: ZX12Address.optional(),
    /** REF*F8: that payer's claim control number (CLP07). */
    claimControlNumber: zX12Text(50).optional(),
  }),
  /** DTP*573 of 2330B: the day it paid, sent when a line of this claim has no 2430 of this payer. */
  adjudicatedOn: ZCalendarDate.optional(),
});

/** One claim; the batch adds what needs the file's day (no service date in the future) and unique claim numbers. */
export const ZClaim837P = z
  .object({
    /** CLM01, the patient control number: the clinic's claim number, echoed back in 277CA and 835. */
    claimNumber: zX12Text(38),
    /** CLM02 in cents: must equal the sum of the service lines. */
    totalChargeCents: z.number().int().positive("The claim total must be more than zero."),
    /** CLM05-1. */
    placeOfService: ZPlaceOfService,
    /** CLM05-3: 1 original, 7 replacement (corrected claim), 8 void. */
    frequencyCode: z.enum(["1", "7", "8"], { message: "Use frequency code 1 (original), 7 (corrected) or 8 (void)." }),
    /** REF*F8: the payer's claim control number, required to correct or void a claim. */
    payerClaimNumber: zX12Text(50).optional(),
    /** CLM06: the provider's signature is on file. */
    providerSignatureOnFile: z.boolean(),
    /** CLM07: A assigned, B assignment accepted on clinical lab services only, C not assigned. */
    providerAcceptsAssignment: z.enum(["A", "B", "C"], { message: "Use A (accepts assignment), B (lab services only) or C (does not accept)." }),
    /** CLM08: the insured authorized paying benefits to the provider (Y), did not (N), or does not apply (W). */
    benefitsAssignmentCertified: z.enum(["Y", "N", "W"], { message: "Use Y, N or W for the assignment of benefits." }),
    /** CLM09: I informed consent to release medical information (HIPAA), Y signed statement on file. */
    releaseOfInformation: z.enum(["I", "Y"], { message: "Use I (informed consent) or Y (signed statement) for release of information." }),
    /** SBR01: whose turn it is to pay this claim. */
    payerResponsibility: z.enum(["P", "S", "T"]).default("P"),
    subscriber: ZPersonName.extend({
      memberId: zX12Text(80),
      birthDate: ZCalendarDate.optional(),
      sex: ZSex.optional(),
      address: ZX12Address.optional(),
      groupNumber: zX12Text(50).optional(),
      groupName: zX12Text(60).optional(),
    }),
    /** null when the patient is the subscriber; otherwise the dependent and how they relate. */
    patient: ZPersonName.extend({
      relationshipCode: z.enum(codeKeys(PATIENT_RELATIONSHIP_CODES), { message: "Choose how the patient relates to the subscriber (01 spouse, 19 child, …)." }),
      birthDate: ZCalendarDate,
      sex: ZSex,
      address: ZX12Address,
    }).nullable(),
    payer: z.object({
      name: zX12Text(60),
      /** NM109 of 2010BB: the payer id the clearinghouse publishes. */
      payerId: zX12Text(80),
      claimFilingIndicator: z.enum(codeKeys(CLAIM_FILING_INDICATORS), { message: "Choose the plan type (claim filing indicator, SBR09) for this payer." }),
      address: ZX12Address.optional(),
    }),
    /** ICD-10-CM codes, the first the principal diagnosis (ABK), up to 11 more (ABF). */
    diagnoses: z.array(ZIcd10Cm).min(1, "A claim needs at least one diagnosis.").max(12, "A claim carries at most 12 diagnoses."),
    /**
     * 2310B: the claim's rendering provider, the one all or most lines share; written only when
     * its NPI differs from the billing provider's. A line rendered by someone else names them (2420A).
     */
    renderingProvider: ZRenderingProvider.optional(),
    serviceLines: z.array(ZServiceLine).min(1, "A claim needs at least one service line.").max(50, "A claim carries at most 50 service lines."),
    /** 2320: the payers that adjudicated this claim before (empty on a claim to the primary). */
    otherPayers: z.array(ZOtherPayer).max(10, "A claim names at most 10 other payers.").default([]),
  })
  .superRefine((claim, context) => {
    const issue = (path: (string | number)[], message: string) => context.addIssue({ code: "custom", path, message });
    if (claim.frequencyCode !== "1" && !claim.payerClaimNumber) {
      issue(["payerClaimNumber"], `A ${claim.frequencyCode === "7" ? "corrected" : "void"} claim needs the payer's claim number of the claim it replaces.`);
    }
    if (claim.frequencyCode === "1" && claim.payerClaimNumber)
      issue(["payerClaimNumber"], "Only a corrected (7) or void (8) claim carries the payer's claim number.");
    if (!claim.patient) {
      if (!claim.subscriber.birthDate) issue(["subscriber", "birthDate"], "The subscriber's birth date is required when the subscriber is the patient.");
      if (!claim.subscriber.sex) issue(["subscriber", "sex"], "The subscriber's sex is required when the subscriber is the patient.");
      if (!claim.subscriber.address) issue(["subscriber", "address"], "The subscriber's address is required when the subscriber is the patient.");
    }
    const seen = new Set<string>();
    claim.diagnoses.forEach((code, index) => {
      if (seen.has(code)) issue(["diagnoses", index], `Diagnosis ${code} is listed twice.`);
      seen.add(code);
    });
    let sum = 0;
    claim.serviceLines.forEach((line, index) => {
      sum += line.chargeCents;
      line.diagnosisPointers.forEach((pointer, pointerIndex) => {
        if (pointer < 1 || pointer > claim.diagnoses.length) {
          issue(
            ["serviceLines", index, "diagnosisPointers", pointerIndex],
            `Service line ${index + 1} points to diagnosis ${pointer}, but the claim has ${claim.diagnoses.length}.`,
          );
        }
      });
      if (new Set(line.diagnosisPointers).size !== line.diagnosisPointers.length)
        issue(["serviceLines", index, "diagnosisPointers"], `Service line ${index + 1} points to the same diagnosis twice.`);
      if (line.serviceDateEnd && line.serviceDateEnd < line.serviceDate)
        issue(["serviceLines", index, "serviceDateEnd"], `Service line ${index + 1} ends before it starts.`);
    });
    const otherPayerIds = new Set<string>();
    claim.otherPayers.forEach((other, index) => {
      if (other.payerResponsibility === claim.payerResponsibility)
        issue(
          ["otherPayers", index, "payerResponsibility"],
          `The other payer ${other.payer.name} has the same responsibility (${other.payerResponsibility}) as this claim's payer.`,
        );
      if (otherPayerIds.has(other.payer.payerId))
        issue(["otherPayers", index, "payer", "payerId"], `The other payer id ${other.payer.payerId} is named twice.`);
      otherPayerIds.add(other.payer.payerId);
    });
    claim.serviceLines.forEach((line, index) => {
      const seenPayers = new Set<string>();
      line.adjudications.forEach((adjudication, adjudicationIndex) => {
        if (!otherPayerIds.has(adjudication.payerId) || seenPayers.has(adjudication.payerId)) {
          issue(
            ["serviceLines", index, "adjudications", adjudicationIndex, "payerId"],
            `Service line ${index + 1}: the adjudication by payer ${adjudication.payerId} names no other payer of the claim, or names it twice.`,
          );
        }
        seenPayers.add(adjudication.payerId);
      });
    });
    if (sum !== claim.totalChargeCents)
      issue(["totalChargeCents"], `The claim total (${claim.totalChargeCents} cents) differs from the sum of its service lines (${sum} cents).`);
  });

function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

/** The calendar day (YYYY-MM-DD) of `at` in `timeZone`, or null for a time zone Intl does not know. */
function calendarDateIn(timeZone: string, at: Date): string | null {
  if (!isTimeZone(timeZone) || Number.isNaN(at.getTime())) return null;
  return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(at);
}

export const ZClaimBatch837P = z
  .object({
    /** ISA15: P production, T test. */
    usage: z.enum(["P", "T"]),
    createdAt: z.date(),
    /** The clinic's time zone for the file's dates (IANA, e.g. America/Los_Angeles). */
    timeZone: z.string().refine(isTimeZone, "Use an IANA time zone such as America/Los_Angeles.").default("UTC"),
    /** Allocated by the caller, never reused with this receiver (gapless allocation is the database's job). */
    controlNumbers: z.object({
      interchange: z.number().int().min(1).max(999_999_999),
      group: z.number().int().min(1).max(999_999_999),
      transactionSet: z.number().int().min(1).max(999_999_999),
    }),
    /** BHT03: the batch's own reference, echoed in acknowledgments. */
    batchReference: zX12Text(50),
    interchangeSender: ZParty,
    interchangeReceiver: ZParty,
    /** GS02/GS03; the interchange ids when not given. */
    applicationSenderCode: zX12Text(15).optional(),
    applicationReceiverCode: zX12Text(15).optional(),
    acknowledgmentRequested: z.boolean().default(false),
    submitter: z
      .object({
        name: zX12Text(60),
        /** NM109 of 1000A: the submitter id the clearinghouse assigned. */
        id: zX12Text(80),
        contactName: zX12Text(60),
        phone: z
          .string()
          .transform((value) => value.replace(/\D/g, ""))
          .refine((value) => /^\d{10}$/.test(value), "Use a 10-digit phone number.")
          .optional(),
        email: zX12Text(256).optional(),
      })
      .refine((submitter) => submitter.phone || submitter.email, { message: "Give the submitter's phone number or email.", path: ["phone"] }),
    receiver: z.object({ name: zX12Text(60), id: zX12Text(80) }),
    billingProvider: z.object({
      organizationName: zX12Text(60),
      npi: ZNpi,
      ein: ZEin,
      taxonomyCode: ZTaxonomyCode,
      address: ZX12Address.refine((address) => address.postalCode.length === 9, {
        message: "The billing provider's ZIP code needs all 9 digits (ZIP+4) on claims.",
        path: ["postalCode"],
      }),
    }),
    claims: z.array(ZClaim837P).min(1, "A batch needs at least one claim."),
  })
  .superRefine((batch, context) => {
    const today = calendarDateIn(batch.timeZone, batch.createdAt);
    // An unknown time zone is reported on its own field; the dates cannot be compared without it.
    if (today === null) return;
    const numbers = new Set<string>();
    batch.claims.forEach((claim, claimIndex) => {
      if (numbers.has(claim.claimNumber))
        context.addIssue({ code: "custom", path: ["claims", claimIndex, "claimNumber"], message: `Claim number ${claim.claimNumber} is in the batch twice.` });
      numbers.add(claim.claimNumber);
      claim.serviceLines.forEach((line, lineIndex) => {
        if (line.serviceDate > today) {
          context.addIssue({
            code: "custom",
            path: ["claims", claimIndex, "serviceLines", lineIndex, "serviceDate"],
            message: `Service line ${lineIndex + 1} is dated ${line.serviceDate}, in the future.`,
          });
        }
      });
      for (const [path, birthDate] of [
        [["subscriber", "birthDate"], claim.subscriber.birthDate],
        [["patient", "birthDate"], claim.patient?.birthDate],
      ] as const) {
        if (birthDate && birthDate > today)
          context.addIssue({ code: "custom", path: ["claims", claimIndex, ...path], message: "A birth date cannot be in the future." });
      }
    });
  });

export type TClaimBatch837PInput = z.input<typeof ZClaimBatch837P>;
export type TClaimBatch837P = z.output<typeof ZClaimBatch837P>;
export type TClaim837P = TClaimBatch837P["claims"][number];
