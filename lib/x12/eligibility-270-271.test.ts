import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { X12Interchange, X12Parser } from "node-x12";
import { describe, expect, it } from "vitest";
import { ZodError } from "zod";
import { AppError } from "@/lib/errors";
import { build270, type T270Input } from "./build-270";
import { checkEnvelopes, checkHierarchy } from "./check-structure";
import { read271, type Person271 } from "./read-271";
import { readX12 } from "./read-x12";

const fixtures = (path: string) => fileURLToPath(new URL(`./__fixtures__/${path}`, import.meta.url));
const sample = (path: string) => readFileSync(fixtures(`linuxforhealth/${path}`), "utf8");

// De-identified: made-up people and ids; the NPI and EIN are well formed (check digits), not real.
const SELF: T270Input = {
  usage: "T",
  createdAt: new Date("2026-12-04T17:05:00Z"),
  timeZone: "America/Los_Angeles",
  controlNumbers: { interchange: 42, group: 17, transactionSet: 1 },
  interchangeSender: { qualifier: "ZZ", id: "CAREBILLDEMO" },
  interchangeReceiver: { qualifier: "ZZ", id: "EXAMPLECH" },
  traceNumber: "EC000000042",
  traceAssigner: "12-3456789",
  payer: { name: "EXAMPLE HEALTH PLAN", payerId: "EXHP1" },
  provider: { organizationName: "EXAMPLE FAMILY CLINIC", npi: "1234567893" },
  subscriber: { lastName: "DOE", firstName: "JANE", memberId: "XYZ123456789", birthDate: "1980-04-12", sex: "F" },
  dependent: null,
  serviceDate: "2026-12-04",
};

const DEPENDENT: T270Input = {
  ...SELF,
  traceNumber: "EC000000043",
  controlNumbers: { interchange: 43, group: 18, transactionSet: 1 },
  subscriber: { lastName: "DOE", firstName: "JANE", memberId: "XYZ123456789" },
  dependent: { relationshipCode: "19", lastName: "DOE", firstName: "SAM", birthDate: "2015-06-01", sex: "M" },
  serviceTypeCodes: ["30", "98"],
};

const isControlNumber = (id: string, index: number) => (id === "ISA" && index === 12) || (id === "IEA" && index === 1);

/** What node-x12's strict parser read: every segment's tag and elements, envelope included. */
function segmentsFromNodeX12(text: string): string[][] {
  const parsed = new X12Parser(true).parse(text);
  expect(parsed).toBeInstanceOf(X12Interchange);
  const interchange = parsed as X12Interchange;
  const rows: string[][] = [[interchange.header.tag, ...interchange.header.elements.map((element) => element.value)]];
  for (const group of interchange.functionalGroups) {
    rows.push([group.header.tag, ...group.header.elements.map((element) => element.value)]);
    for (const transaction of group.transactions) {
      for (const each of [transaction.header, ...transaction.segments, transaction.trailer])
        rows.push([each.tag, ...each.elements.map((element) => element.value)]);
    }
    rows.push([group.trailer.tag, ...group.trailer.elements.map((element) => element.value)]);
  }
  rows.push([interchange.trailer.tag, ...interchange.trailer.elements.map((element) => element.value)]);
  return rows;
}

const lines = (text: string) => readX12(text).segments.map((each) => [each.id, ...each.elements].join("*"));

/** The segment ids of the transaction set (ST to SE), the shape the guide fixes. */
const setShape = (text: string) => {
  const ids = readX12(text).segments.map((each) => each.id);
  return ids.slice(ids.indexOf("ST"), ids.indexOf("SE") + 1);
};

/**
 * Assigns each segment of a 270 to its 005010X279A1 loop by walking the hierarchy (HL03 20/21/22/23 open
 * 2000A–D; NM1 opens the 2100 loop; EQ opens 2110) and checks the guide's order within each loop.
 */
function loopsOf(text: string): string[] {
  const ORDER: Record<string, string[]> = {
    "2000A": ["HL"],
    "2100A": ["NM1"],
    "2000B": ["HL"],
    "2100B": ["NM1", "REF", "N3", "N4", "PRV"],
    "2000C": ["HL", "TRN"],
    "2100C": ["NM1", "REF", "N3", "N4", "PRV", "DMG", "INS", "HI", "DTP"],
    "2110C": ["EQ", "AMT", "III", "REF", "DTP"],
    "2000D": ["HL", "TRN"],
    "2100D": ["NM1", "REF", "N3", "N4", "PRV", "DMG", "INS", "HI", "DTP"],
    "2110D": ["EQ", "III", "REF", "DTP"],
  };
  const levels: Record<string, string> = { "20": "A", "21": "B", "22": "C", "23": "D" };
  const result: string[] = [];
  let letter = "";
  let loop = "";
  let position = 0;
  const segments = readX12(text).segments;
  for (const segment of segments.slice(segments.findIndex((each) => each.id === "BHT") + 1)) {
    if (segment.id === "SE") break;
    if (segment.id === "HL") {
      letter = levels[segment.elements[2] ?? ""] ?? "?";
      loop = `2000${letter}`;
      position = 0;
    } else if (segment.id === "NM1" && loop.startsWith("2000")) {
      loop = `2100${letter}`;
      position = 0;
    } else if (segment.id === "EQ") {
      loop = `2110${letter}`;
      position = 0;
    }
    const order = ORDER[loop] ?? [];
    const at = order.indexOf(segment.id, position);
    if (at < 0) throw new Error(`${segment.id} is out of place in loop ${loop}`);
    position = at;
    result.push(`${loop} ${segment.id}`);
  }
  return result;
}

describe("build270", () => {
  it("self: matches its golden file, the guide's loops, the linuxforhealth sample's shape and node-x12 (strict)", async () => {
    const text = build270(SELF);
    await expect(text).toMatchFileSnapshot(fixtures("270/subscriber.x12"));
    expect(setShape(text)).toEqual(setShape(sample("270/subscriber-health-benefit-check.270")));
    expect(loopsOf(text)).toEqual([
      "2000A HL",
      "2100A NM1",
      "2000B HL",
      "2100B NM1",
      "2000C HL",
      "2000C TRN",
      "2100C NM1",
      "2100C DMG",
      "2100C DTP",
      "2110C EQ",
    ]);
    const segments = lines(text);
    expect(segments[0]).toBe("ISA*00*          *00*          *ZZ*CAREBILLDEMO   *ZZ*EXAMPLECH      *261204*0905*^*00501*000000042*0*T*:");
    expect(segments).toEqual(
      expect.arrayContaining([
        "GS*HS*CAREBILLDEMO*EXAMPLECH*20261204*0905*17*X*005010X279A1",
        "ST*270*0001*005010X279A1",
        "BHT*0022*13*EC000000042*20261204*0905",
        "HL*1**20*1",
        "NM1*PR*2*EXAMPLE HEALTH PLAN*****PI*EXHP1",
        "HL*2*1*21*1",
        "NM1*1P*2*EXAMPLE FAMILY CLINIC*****XX*1234567893",
        "HL*3*2*22*0",
        "TRN*1*EC000000042*1123456789",
        "NM1*IL*1*DOE*JANE****MI*XYZ123456789",
        "DMG*D8*19800412*F",
        "DTP*291*D8*20261204",
        "EQ*30",
        "SE*13*0001",
        "GE*1*17",
        "IEA*1*000000042",
      ]),
    );
    expect([...checkEnvelopes(readX12(text)), ...checkHierarchy(readX12(text))]).toEqual([]);
    const ours = readX12(text).segments.map((each) => [
      each.id,
      ...each.elements.map((value, index) => (isControlNumber(each.id, index) ? String(Number(value)) : value)),
    ]);
    expect(segmentsFromNodeX12(text)).toEqual(ours);
  });

  it("dependent: 2000D under the subscriber holds the TRN, the dependent's name and DMG, the date and one EQ per service type", async () => {
    const text = build270(DEPENDENT);
    await expect(text).toMatchFileSnapshot(fixtures("270/dependent.x12"));
    expect(loopsOf(text)).toEqual([
      "2000A HL",
      "2100A NM1",
      "2000B HL",
      "2100B NM1",
      "2000C HL",
      "2100C NM1",
      "2000D HL",
      "2000D TRN",
      "2100D NM1",
      "2100D DMG",
      "2100D DTP",
      "2110D EQ",
      "2110D EQ",
    ]);
    // Same shape as the linuxforhealth dependent sample, which asks about one service type.
    const oneServiceType = build270({ ...DEPENDENT, serviceTypeCodes: ["30"] });
    expect(setShape(oneServiceType)).toEqual(setShape(sample("270/dependent-health-benefit-check.270")));
    const segments = lines(text);
    const subscriberLevel = segments.slice(segments.indexOf("HL*3*2*22*1"), segments.indexOf("HL*4*3*23*0"));
    expect(subscriberLevel).toEqual(["HL*3*2*22*1", "NM1*IL*1*DOE*JANE****MI*XYZ123456789"]);
    expect(segments.slice(segments.indexOf("HL*4*3*23*0"))).toEqual([
      "HL*4*3*23*0",
      "TRN*1*EC000000043*1123456789",
      "NM1*03*1*DOE*SAM",
      "DMG*D8*20150601*M",
      "DTP*291*D8*20261204",
      "EQ*30",
      "EQ*98",
      "SE*16*0001",
      "GE*1*18",
      "IEA*1*000000043",
    ]);
    expect([...checkEnvelopes(readX12(text)), ...checkHierarchy(readX12(text))]).toEqual([]);
    expect(segmentsFromNodeX12(text)).toHaveLength(readX12(text).segments.length);
  });

  it("writes the group number (REF*6P) before the demographics when given", () => {
    const segments = lines(build270({ ...SELF, subscriber: { ...SELF.subscriber, groupNumber: "GRP-0042" } }));
    expect(segments.indexOf("REF*6P*GRP-0042")).toBe(segments.indexOf("NM1*IL*1*DOE*JANE****MI*XYZ123456789") + 1);
    expect(segments.indexOf("DMG*D8*19800412*F")).toBe(segments.indexOf("REF*6P*GRP-0042") + 1);
  });

  it("the round-trip has teeth: node-x12 refuses a 270 whose SE count was tampered with", () => {
    const text = build270(SELF);
    expect(() => segmentsFromNodeX12(text.replace("SE*13*0001", "SE*12*0001"))).toThrow(/SE01/);
  });

  it("refuses bad input naming each field", () => {
    const paths = (input: T270Input) => {
      try {
        build270(input);
      } catch (error) {
        expect(error).toBeInstanceOf(ZodError);
        return (error as ZodError).issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
      }
      throw new Error("build270 accepted it");
    };
    const fields = paths({
      ...SELF,
      provider: { organizationName: "EXAMPLE*CLINIC", npi: "1234567890" },
      traceAssigner: "123",
      serviceTypeCodes: ["30", "ABC"],
    });
    expect(fields.map((each) => each.split(":")[0])).toEqual(["traceAssigner", "provider.organizationName", "provider.npi", "serviceTypeCodes.1"]);
    expect(fields[0]).toBe("traceAssigner: Use the clinic's 9-digit EIN for the trace number's originator.");
    // Cross-field rules once every field reads.
    expect(paths({ ...SELF, subscriber: { ...SELF.subscriber, birthDate: "2027-01-01" }, serviceTypeCodes: ["30", "30"] })).toEqual([
      "serviceTypeCodes.1: Service type 30 is asked twice.",
      "subscriber.birthDate: The birth date is after the date the benefits are asked for.",
    ]);
  });
});

describe("read271 on the linuxforhealth samples", () => {
  it("subscriber: active coverage for service type 30, the plan, the co-pays in and out of network, the echoed trace", () => {
    const result = read271(sample("271/subscriber-health-benefit-check.271"));
    expect(result.notes).toEqual([]);
    const [response] = result.responses;
    expect(response?.reference).toBe("10001234");
    expect(response?.payer).toEqual({ name: "ABC COMPANY", id: "841610001" });
    const person = response?.people[0] as Person271;
    expect(person).toMatchObject({
      level: "subscriber",
      traceNumbers: ["93175-012547"],
      lastName: "SMITH",
      firstName: "JOHN",
      memberId: "123456789",
      birthDate: "1963-05-19",
      active: true,
      dates: [{ qualifier: "346", meaning: "Plan begin", value: "2006-01-01" }],
    });
    expect(person.benefits[0]).toMatchObject({
      kind: "active",
      serviceTypeCode: "30",
      serviceTypeLabel: "Health benefit plan coverage",
      planCoverage: "GOLD 123 PLAN",
    });
    const copays = person.benefits.filter((benefit) => benefit.kind === "copay");
    expect(copays.map((benefit) => [benefit.amount, benefit.inNetwork, benefit.timePeriod])).toEqual([
      [1000, true, "Visit"],
      [3000, false, "Visit"],
    ]);
    expect(copays[0]?.serviceTypeCodes).toEqual(["1", "33", "35", "47", "86", "88", "98", "AL", "MH", "UC"]);
    expect(copays[0]?.description).toContain("Co-payment, for Medical care; Chiropractic;");
    expect(copays[0]?.description).toContain(": $10.00 per visit, in network [Health maintenance organization (HMO), GOLD 123 PLAN].");
    // The primary care provider (EB*L with its 2120 loop) is told in words, and its NM1 is not taken for a person.
    expect(person.benefits[1]?.description).toBe("Primary care provider. Related entity: MARCUS JONES.");
    expect(response?.people).toHaveLength(1);
  });

  it("dependent: the trace and benefits belong to the dependent, the subscriber level only names the subscriber", () => {
    const [response] = read271(sample("271/dependent-health-benefit-check.271")).responses;
    expect(response?.people.map((person) => [person.level, person.firstName, person.traceNumbers, person.active, person.benefits.length])).toEqual([
      ["subscriber", "JOHN", [], null, 0],
      ["dependent", "MARY", ["93175-012547"], true, 5],
    ]);
    expect(response?.people[1]?.birthDate).toBe("1998-10-14");
  });

  it("error: the AAA at the provider level in words, and the SE02 slip as a note", () => {
    const result = read271(sample("271/subscriber-health-benefit-check-error.271"));
    expect(result.notes).toEqual(["SE02 (4323) does not match ST02 (4321)."]);
    const [response] = result.responses;
    expect(response?.people).toEqual([]);
    expect(response?.rejections).toEqual([
      {
        level: "provider",
        validRequest: true,
        reason: { code: "50", meaning: "Provider ineligible for inquiries" },
        followUp: { code: "N", meaning: "Resubmission not allowed" },
        message: "The payer could not answer about the provider: Provider ineligible for inquiries (code 50). Resubmission not allowed.",
      },
    ]);
  });
});

describe("read271 on a benefits response", () => {
  const text = readFileSync(fixtures("271/subscriber-benefits.271"), "utf8");

  it("reads co-insurance, co-pays, deductible and out-of-pocket with what remains, for service type 30, in cents and basis points", () => {
    const person = read271(text).responses[0]?.people[0] as Person271;
    expect(person.traceNumbers).toEqual(["EC000000042"]);
    expect(person.payerTraceNumbers).toEqual(["PAYER-7781"]);
    const rows = person.benefits.map((benefit) => [
      benefit.kind,
      benefit.coverageLevel,
      benefit.serviceTypeCode,
      benefit.timePeriodCode,
      benefit.amount,
      benefit.percentBasisPoints,
      benefit.inNetwork,
    ]);
    expect(rows).toEqual([
      ["active", "individual", "30", null, null, null, null],
      ["deductible", "individual", "30", "23", 150000, null, true],
      ["deductible_remaining", "individual", "30", "29", 110000, null, true],
      ["deductible", "family", "30", "23", 300000, null, true],
      ["deductible_remaining", "family", "30", "29", 245050, null, true],
      ["deductible", "individual", "30", "23", 300000, null, false],
      ["out_of_pocket", "individual", "30", "23", 500000, null, true],
      ["out_of_pocket_remaining", "individual", "30", "29", 420000, null, true],
      ["out_of_pocket", "family", "30", "23", 1000000, null, true],
      ["out_of_pocket_remaining", "family", "30", "29", 910000, null, true],
      ["coinsurance", "individual", "30", null, null, 2000, true],
      ["coinsurance", "individual", "30", null, null, 4000, false],
      ["copay", "individual", "98", "27", 2500, null, true],
      ["copay", "individual", "98", "27", 6000, null, false],
      ["copay", "individual", "UC", "27", 7500, null, true],
    ]);
    expect(person.benefits[4]?.description).toBe("Deductible, family, for Health benefit plan coverage: $2,450.50 (remaining), in network.");
    expect(person.benefits[10]?.description).toBe("Co-insurance, individual, for Health benefit plan coverage: 20%, in network.");
    expect(person.benefits[12]?.description).toBe(
      "Co-payment, individual, for Professional (physician) visit, office: $25.00 per visit, in network. SPECIALIST OFFICE VISITS 40.00.",
    );
  });

  it("refuses what is not a readable 271 with one sentence, never a TypeError", () => {
    const refusal = (content: string) => {
      try {
        read271(content);
      } catch (error) {
        expect(error).toBeInstanceOf(AppError);
        expect((error as AppError).code).toBe("VALIDATION_FAILED");
        return (error as AppError).message;
      }
      throw new Error("read271 accepted it");
    };
    expect(refusal("hello")).toMatch(/not an X12 interchange/);
    expect(refusal(build270(SELF))).toBe("This file holds 270 transaction sets, not a 271 eligibility response.");
    expect(refusal(text.replace("EB*C*IND*30***29*1100", "EB*C*IND*30***29*11OO"))).toBe('EB07 (segment 19) is "11OO", not an amount.');
    expect(refusal(text.replace("DMG*D8*19800412", "DMG*D8*19801332"))).toMatch(/DMG02 \(segment 15\) is "19801332", which is not a calendar date/);
    expect(refusal(text.slice(0, text.indexOf("EB*A")))).toMatch(/cut short/);
    expect(refusal(text.replace("HL*3*2*22*0", "HL*3*2*99*0"))).toMatch(/HL03 .* is "99"/);

    fc.assert(
      fc.property(fc.nat({ max: text.length }), fc.string({ maxLength: 3 }), (cut, noise) => {
        const broken = text.slice(0, cut) + noise;
        try {
          read271(broken);
        } catch (error) {
          expect(error).toBeInstanceOf(AppError);
        }
      }),
      { numRuns: 300 },
    );
  });
});
