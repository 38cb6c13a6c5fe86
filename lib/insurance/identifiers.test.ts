import { describe, expect, it } from "vitest";
import { ZEin, ZIcd10Cm, ZModifiers, ZNpi, ZPlaceOfService, ZProcedureCode, ZTaxonomyCode, zX12Text } from "./identifier-schemas";
import {
  checkEin,
  checkIcd10Cm,
  checkModifiers,
  checkNpi,
  checkPlaceOfService,
  checkProcedureCode,
  checkTaxonomyCode,
  checkX12Text,
  formatIcd10Cm,
  type IdentifierCheck,
} from "./identifiers";

const messageOf = (check: IdentifierCheck) => (check.ok ? null : check.message);

describe("NPI", () => {
  it("accepts NPIs whose Luhn check digit over 80840 + the first nine digits is right", () => {
    // 1234567893 is CMS's worked example; the others are valid by the same computation.
    for (const npi of ["1234567893", "1245319599", "1003000126"]) expect(checkNpi(npi)).toEqual({ ok: true, value: npi });
    expect(checkNpi(" 123-456-7893 ")).toEqual({ ok: true, value: "1234567893" });
  });

  it("names what is wrong: a mistyped digit, the length, letters, the first digit", () => {
    expect(messageOf(checkNpi("1234567890"))).toBe("This NPI's check digit is wrong: look for a mistyped digit.");
    expect(messageOf(checkNpi("1234567839"))).toBe("This NPI's check digit is wrong: look for a mistyped digit.");
    expect(messageOf(checkNpi("123456789"))).toBe("An NPI has 10 digits; this one has 9.");
    expect(messageOf(checkNpi("12345678AB"))).toBe("An NPI has digits only.");
    expect(messageOf(checkNpi("3234567890"))).toBe("An NPI starts with 1 or 2.");
    expect(messageOf(checkNpi(""))).toBe("Enter the NPI (10 digits).");
  });
});

describe("EIN", () => {
  it("accepts 9 digits with or without the dash and stores digits", () => {
    expect(checkEin("12-3456789")).toEqual({ ok: true, value: "123456789" });
    expect(checkEin("951234567")).toEqual({ ok: true, value: "951234567" });
  });

  it("refuses other shapes and prefixes the IRS never assigns", () => {
    expect(messageOf(checkEin("123-45-6789"))).toBe("An EIN has 9 digits, written 12-3456789 or 123456789.");
    expect(messageOf(checkEin("12345678"))).toBe("An EIN has 9 digits, written 12-3456789 or 123456789.");
    for (const prefix of ["00", "07", "08", "09", "17", "18", "19", "28", "29", "49", "69", "70", "78", "79", "89", "96", "97"]) {
      expect(messageOf(checkEin(`${prefix}-3456789`))).toBe(`No EIN starts with ${prefix}: check the first two digits.`);
    }
  });
});

describe("ICD-10-CM", () => {
  it("accepts codes with or without the dot and normalizes to capitals without it", () => {
    expect(checkIcd10Cm("e11.9")).toEqual({ ok: true, value: "E119" });
    expect(checkIcd10Cm("S72.001A")).toEqual({ ok: true, value: "S72001A" });
    expect(checkIcd10Cm("C4A.0")).toEqual({ ok: true, value: "C4A0" });
    expect(checkIcd10Cm("I10")).toEqual({ ok: true, value: "I10" });
    expect(checkIcd10Cm("Z0000")).toEqual({ ok: true, value: "Z0000" });
    expect(formatIcd10Cm("S72001A")).toBe("S72.001A");
    expect(formatIcd10Cm("I10")).toBe("I10");
  });

  it("refuses ICD-9 codes, bad shapes and more than 4 characters after the category", () => {
    expect(messageOf(checkIcd10Cm("250.00"))).toBe("250.00 looks like an ICD-9 code; claims use ICD-10-CM codes such as E11.9.");
    expect(messageOf(checkIcd10Cm("E1.9"))).toMatch(/^E1\.9 is not an ICD-10-CM code/);
    expect(messageOf(checkIcd10Cm("EE1.9"))).toMatch(/is not an ICD-10-CM code/);
    expect(messageOf(checkIcd10Cm("S72.001AB"))).toMatch(/is not an ICD-10-CM code/);
    expect(messageOf(checkIcd10Cm("E11."))).toBe("E11. ends with a dot: write the characters after it, or leave the dot out.");
    expect(messageOf(checkIcd10Cm("E11.9-"))).toMatch(/is not an ICD-10-CM code/);
  });
});

describe("procedure codes, modifiers, taxonomy, place of service", () => {
  it("accepts CPT (incl. Category II/III and PLA) and HCPCS Level II, refuses the rest", () => {
    for (const code of ["99213", "0001F", "0042T", "0001U", "G0439", "j3420"])
      expect(checkProcedureCode(code)).toEqual({ ok: true, value: code.toUpperCase() });
    for (const code of ["9921", "992133", "0001X", "GG439", "99213-25"]) expect(messageOf(checkProcedureCode(code))).toMatch(/is not a CPT or HCPCS code/);
  });

  it("takes up to four 2-character modifiers, once each", () => {
    expect(checkModifiers(["25", "gt"])).toEqual({ ok: true, value: ["25", "GT"] });
    expect(messageOf(checkModifiers(["25", "59", "GT", "XU", "76"] as string[]) as IdentifierCheck)).toBe(
      "A service line has at most 4 modifiers; this one has 5.",
    );
    expect(messageOf(checkModifiers(["2"]) as IdentifierCheck)).toBe('"2" is not a modifier: a modifier is 2 letters or digits, such as 25 or GT.');
    expect(messageOf(checkModifiers(["25", "25"]) as IdentifierCheck)).toBe("Modifier 25 is listed twice.");
  });

  it("checks taxonomy codes (10 characters ending in X) and 2-digit places of service", () => {
    expect(checkTaxonomyCode("207q00000x")).toEqual({ ok: true, value: "207Q00000X" });
    expect(messageOf(checkTaxonomyCode("207Q00000"))).toBe("A taxonomy code has 10 characters; this one has 9.");
    expect(messageOf(checkTaxonomyCode("207Q000000"))).toMatch(/9 letters or digits followed by X/);
    expect(checkPlaceOfService("11")).toEqual({ ok: true, value: "11" });
    expect(messageOf(checkPlaceOfService("2"))).toBe("Write the place of service with 2 digits: 02.");
    expect(messageOf(checkPlaceOfService("00"))).toMatch(/is not a place-of-service code/);
    expect(messageOf(checkPlaceOfService("111"))).toMatch(/is not a place-of-service code/);
  });
});

describe("X12 element text", () => {
  it("keeps printable ASCII, drops accents and collapses spaces", () => {
    expect(checkX12Text("  José   Núñez-O'Brien ")).toEqual({ ok: true, value: "Jose Nunez-O'Brien" });
    expect(checkX12Text("Suite 4 (rear) #12 & co.")).toEqual({ ok: true, value: "Suite 4 (rear) #12 & co." });
  });

  it("refuses Carebill's separators, characters X12 cannot carry, and over-long text, naming the label", () => {
    expect(messageOf(checkX12Text("A*B", { label: "The payer name" }))).toBe('The payer name contains "*", which X12 files use as a separator: remove it.');
    for (const separator of ["~", ":", "^"]) expect(messageOf(checkX12Text(`A${separator}B`))).toMatch(/which X12 files use as a separator/);
    expect(messageOf(checkX12Text("Zoë ☺"))).toBe('This text contains "☺", which an X12 file cannot carry: use plain letters, digits and punctuation.');
    expect(messageOf(checkX12Text("ABCDEF", { maxLength: 5 }))).toBe("This text is 6 characters long; X12 allows 5 here.");
    expect(messageOf(checkX12Text("   "))).toBe("This text cannot be empty.");
  });
});

describe("zod schemas", () => {
  it("parse to normalized values and report the checks' sentences", () => {
    expect(ZNpi.parse("1234567893")).toBe("1234567893");
    expect(ZEin.parse("12-3456789")).toBe("123456789");
    expect(ZIcd10Cm.parse("e11.9")).toBe("E119");
    expect(ZProcedureCode.parse("g0439")).toBe("G0439");
    expect(ZTaxonomyCode.parse("207Q00000X")).toBe("207Q00000X");
    expect(ZPlaceOfService.parse("11")).toBe("11");
    expect(ZModifiers.parse(["25"])).toEqual(["25"]);
    expect(zX12Text(10).parse("Zoé")).toBe("Zoe");

    const failure = ZNpi.safeParse("1234567890");
    expect(failure.success).toBe(false);
    expect(failure.error?.issues.map((issue) => issue.message)).toEqual(["This NPI's check digit is wrong: look for a mistyped digit."]);
    expect(ZModifiers.safeParse(["1", "2", "3", "4", "5"]).error?.issues[0]?.message).toBe("A service line has at most 4 modifiers; this one has 5.");
  });
});
