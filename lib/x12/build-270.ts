import { z } from "zod";
import "@/lib/validation/fields";
import { ZNpi, zX12Text } from "@/lib/insurance/identifier-schemas";
import { ZCalendarDate } from "@/lib/validation/fields";
import { PATIENT_RELATIONSHIP_CODES } from "./build-837p.types";
import { segment, writeInterchange, type WriteX12Options, type X12Segment } from "./write-x12";

export const IMPLEMENTATION_270 = "005010X279A1";

const ZParty = z.object({ qualifier: z.enum(["01", "14", "20", "27", "28", "29", "30", "33", "ZZ"]), id: zX12Text(15) });
const ZSex = z.enum(["F", "M", "U"], { message: "Use F, M or U (unknown) for sex." });
const ZServiceTypeCode = z
  .string()
  .trim()
  .toUpperCase()
  .refine((value) => /^[A-Z0-9]{1,2}$/.test(value), "A service type code is one or two letters or digits (30 = health benefit plan coverage).");

const ZPerson = z.object({
  lastName: zX12Text(60),
  firstName: zX12Text(35),
  middleName: zX12Text(25).optional(),
  birthDate: ZCalendarDate.optional(),
  sex: ZSex.optional(),
});

function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

/**
 * One eligibility inquiry (270, 005010X279A1) for one person: the subscriber, or a dependent of the
 * subscriber when the patient is not the subscriber (PAT01-style relationship code). The trace number is
 * written both as BHT03 and as TRN02 of the person asked about, so a 271 can be matched back either way
 * (payers echo TRN; a 271 rejected before the subscriber level only echoes BHT03).
 */
export const Z270Input = z
  .object({
    usage: z.enum(["P", "T"]),
    createdAt: z.date(),
    timeZone: z.string().refine(isTimeZone, "Use an IANA time zone such as America/Los_Angeles.").default("UTC"),
    controlNumbers: z.object({
      interchange: z.number().int().min(1).max(999_999_999),
      group: z.number().int().min(1).max(999_999_999),
      transactionSet: z.number().int().min(1).max(999_999_999),
    }),
    interchangeSender: ZParty,
    interchangeReceiver: ZParty,
    /** GS02/GS03; the interchange ids when not given. */
    applicationSenderCode: zX12Text(15).optional(),
    applicationReceiverCode: zX12Text(15).optional(),
    acknowledgmentRequested: z.boolean().default(false),
    /** BHT03 and TRN02: unique per clinic, 1 to 50 characters. */
    traceNumber: zX12Text(50),
    /** TRN03: "1" followed by the clinic's EIN (9 digits), the originating company's identifier. */
    traceAssigner: z
      .string()
      .transform((value) => value.replace(/\D/g, ""))
      .refine((value) => /^\d{9}$/.test(value), "Use the clinic's 9-digit EIN for the trace number's originator.")
      .transform((value) => `1${value}`),
    /** 2100A: the payer asked (NM1*PR … PI). */
    payer: z.object({ name: zX12Text(60), payerId: zX12Text(80) }),
    /** 2100B: the clinic asking (NM1*1P … XX NPI). */
    provider: z.object({ organizationName: zX12Text(60), npi: ZNpi }),
    /** 2100C: the subscriber with their member id (NM1*IL … MI). */
    subscriber: ZPerson.extend({ memberId: zX12Text(80), groupNumber: zX12Text(50).optional() }),
    /** 2000D/2100D: the patient when they are a dependent of the subscriber; null when the patient is the subscriber. */
    dependent: ZPerson.extend({
      relationshipCode: z.enum(Object.keys(PATIENT_RELATIONSHIP_CODES) as [keyof typeof PATIENT_RELATIONSHIP_CODES]),
      birthDate: ZCalendarDate,
    }).nullable(),
    /** DTP*291: the day the benefits are asked for (the clinic's today or a planned visit). */
    serviceDate: ZCalendarDate,
    /** EQ01, one 2110 loop each; 30 = health benefit plan coverage. */
    serviceTypeCodes: z.array(ZServiceTypeCode).min(1, "Ask about at least one service type.").max(99, "At most 99 service types.").default(["30"]),
  })
  .superRefine((input, context) => {
    const seen = new Set<string>();
    input.serviceTypeCodes.forEach((code, index) => {
      if (seen.has(code)) context.addIssue({ code: "custom", path: ["serviceTypeCodes", index], message: `Service type ${code} is asked twice.` });
      seen.add(code);
    });
    for (const [path, birthDate] of [
      [["subscriber", "birthDate"], input.subscriber.birthDate],
      [["dependent", "birthDate"], input.dependent?.birthDate],
    ] as const) {
      if (birthDate && birthDate > input.serviceDate)
        context.addIssue({ code: "custom", path: [...path], message: "The birth date is after the date the benefits are asked for." });
    }
  });

export type T270Input = z.input<typeof Z270Input>;
export type T270 = z.output<typeof Z270Input>;

const compactDate = (date: string) => date.replaceAll("-", "");

function personName(entity: "IL" | "03", person: { lastName: string; firstName: string; middleName?: string }, memberId?: string): X12Segment {
  return segment("NM1", entity, "1", person.lastName, person.firstName, person.middleName, undefined, undefined, memberId ? "MI" : undefined, memberId);
}

function demographics(person: { birthDate?: string; sex?: string }): X12Segment[] {
  return person.birthDate ? [segment("DMG", "D8", compactDate(person.birthDate), person.sex)] : [];
}

/**
 * A 270 eligibility inquiry (005010X279A1) as text: ISA/GS (HS)/ST 270, BHT*0022*13, 2000A/2100A the
 * payer (NM1*PR, PI), 2000B/2100B the provider (NM1*1P, XX NPI), 2000C/2100C the subscriber (NM1*IL with
 * the member id, REF*6P group number, DMG), and when the patient is a dependent 2000D/2100D (NM1*03, DMG);
 * the TRN and the DTP*291 and EQ loops (2110) belong to the person asked about. Bad input throws the
 * ZodError naming every field.
 */
export function build270(input: T270Input, options: WriteX12Options = {}): string {
  const data = Z270Input.parse(input);
  const asked = data.dependent;
  const trace = segment("TRN", "1", data.traceNumber, data.traceAssigner);
  const serviceDate = segment("DTP", "291", "D8", compactDate(data.serviceDate));
  const inquiries = data.serviceTypeCodes.map((code) => segment("EQ", code));

  const segments: X12Segment[] = [
    segment("BHT", "0022", "13", data.traceNumber, compactDate(calendarDay(data.createdAt, data.timeZone)), clockTime(data.createdAt, data.timeZone)),
    segment("HL", "1", undefined, "20", "1"),
    segment("NM1", "PR", "2", data.payer.name, undefined, undefined, undefined, undefined, "PI", data.payer.payerId),
    segment("HL", "2", "1", "21", "1"),
    segment("NM1", "1P", "2", data.provider.organizationName, undefined, undefined, undefined, undefined, "XX", data.provider.npi),
    segment("HL", "3", "2", "22", asked ? "1" : "0"),
  ];
  if (!asked) segments.push(trace);
  segments.push(personName("IL", data.subscriber, data.subscriber.memberId));
  if (data.subscriber.groupNumber) segments.push(segment("REF", "6P", data.subscriber.groupNumber));
  segments.push(...demographics(data.subscriber));
  if (asked) {
    segments.push(segment("HL", "4", "3", "23", "0"), trace, personName("03", asked), ...demographics(asked));
  }
  segments.push(serviceDate, ...inquiries);

  return writeInterchange(
    {
      sender: data.interchangeSender,
      receiver: data.interchangeReceiver,
      applicationSenderCode: data.applicationSenderCode ?? data.interchangeSender.id,
      applicationReceiverCode: data.applicationReceiverCode ?? data.interchangeReceiver.id,
      interchangeControlNumber: data.controlNumbers.interchange,
      groupControlNumber: data.controlNumbers.group,
      functionalIdentifier: "HS",
      implementationReference: IMPLEMENTATION_270,
      usage: data.usage,
      acknowledgmentRequested: data.acknowledgmentRequested,
      createdAt: data.createdAt,
      timeZone: data.timeZone,
    },
    [{ transactionSetId: "270", controlNumber: data.controlNumbers.transactionSet, segments }],
    options,
  );
}

function calendarDay(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(at);
}

function clockTime(at: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat("en-US", { timeZone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).formatToParts(at);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((candidate) => candidate.type === type)?.value ?? "00";
  return `${part("hour")}${part("minute")}`;
}
