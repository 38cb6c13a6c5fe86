import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { check835Balance } from "./check-835-balance";
import { read835 } from "./read-835";
import { ADJUSTMENT_GROUP_CODES, describeAdjustment, describeCarc, describeRarc } from "./remittance-codes";
import { CLAIM_ADJUSTMENT_REASON_CODES, REMITTANCE_ADVICE_REMARK_CODES } from "./remittance-code-lists";

// The public samples of ../shared/x12, vendored with their licences: linuxforhealth (Apache-2.0) and
// tastypackets (MIT). tastypackets' profee-multiple.edi is 156 byte-identical copies of profee.edi's
// interchange (checked when vendoring), so it is rebuilt here rather than stored.
const fixture = (path: string) => readFileSync(fileURLToPath(new URL(`./__fixtures__/${path}`, import.meta.url)), "utf8");
const PROFEE = fixture("tastypackets/profee.edi");
const MEDICARE_PART_A = fixture("linuxforhealth/835/medicare-part-a.835");
const COB = fixture("linuxforhealth/835/cob-contractural-adjustment.835");
const SECONDARY = fixture("linuxforhealth/835/secondary-payment.835");
const TERTIARY = fixture("linuxforhealth/835/tertiary-payment.835");

function errorOf(run: () => unknown): AppError {
  try {
    run();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error("expected an AppError");
}

/** Replaces exactly one occurrence of `from` (the test fails loudly if the sample changes). */
function edit(text: string, from: string, to: string): string {
  expect(text.split(from)).toHaveLength(2);
  return text.replace(from, to);
}

/** The linuxforhealth samples write ">" inside SVC while ISA16 declares ":"; this is the file as it should have been sent. */
function withDeclaredSeparator(text: string): string {
  return text.replaceAll(">", ":");
}

describe("read835: tastypackets profee.edi (Medicaid professional, CO-29 and CO-251 with N206)", () => {
  const result = read835(PROFEE);
  const [remittance] = result.remittances;

  it("reads the envelope, the payment, the trace number, payer and payee", () => {
    expect(result).toMatchObject({
      senderId: "EMEDNYBAT",
      receiverId: "ETIN",
      interchangeControlNumber: "006000600",
      usage: "T",
      separators: { element: "*", component: ":", repetition: "^", segment: "~" },
      notes: [],
    });
    expect(result.remittances).toHaveLength(1);
    expect(remittance).toMatchObject({
      controlNumber: "1740",
      group: { senderId: "EMEDNYBAT", receiverId: "ETIN", controlNumber: "6000600", version: "005010X221A1" },
      payment: {
        handlingCode: "I",
        handling: "Remittance information only",
        totalCents: 4575,
        creditDebit: "C",
        methodCode: "ACH",
        formatCode: "CCP",
        date: "2010-01-01",
      },
      trace: { number: "10100000000", payerId: "1000000000", originatingCompanySupplementalCode: null },
      productionDate: "2010-01-01",
      payer: { name: "NYSDOH", payerId: null },
      payee: { name: "MAJOR MEDICAL PROVIDER", npi: "9999999995", taxId: "000000000" },
      providerAdjustments: [],
    });
  });

  it("claim 1: paid in full, four lines with modifiers and allowed amounts", () => {
    const claim = remittance?.claims[0];
    expect(claim).toMatchObject({
      headerNumber: "1",
      patientControlNumber: "PATIENT ACCOUNT NUMBER",
      statusCode: "1",
      status: "Processed as primary",
      chargeCents: 3425,
      paidCents: 3425,
      patientResponsibilityCents: null,
      filingIndicator: "MC",
      payerClaimControlNumber: "1000210000000030",
      facilityCode: "11",
      frequencyCode: null,
      adjustments: [],
      patient: { lastName: "SUBMITTED LAST", firstName: "SUBMITTED FIRST", idQualifier: "MI", id: "LL99999L" },
      correctedPatient: { lastName: "CORRECTED LAST", firstName: "CORRECTED FIRST", id: null },
      statementFrom: "2010-01-01",
      statementTo: "2010-01-01",
      amounts: [{ qualifier: "AU", amountCents: 3425 }],
    });
    expect(
      claim?.serviceLines.map((line) => [
        line.procedure.code,
        line.procedure.modifiers,
        line.chargeCents,
        line.paidCents,
        line.units,
        line.allowedCents,
        line.serviceDateFrom,
      ]),
    ).toEqual([
      ["V2020", ["RB"], 600, 600, 1, 600, "2010-01-01"],
      ["V2700", ["RB"], 275, 275, 1, 275, "2010-01-01"],
      ["V2103", ["RB"], 550, 550, 1, 550, "2010-01-01"],
      ["S0580", [], 2000, 2000, 2, 2000, "2010-01-01"],
    ]);
    expect(claim?.serviceLines.every((line) => line.procedure.qualifier === "HC" && line.adjustments.length === 0)).toBe(true);
  });

  it("claim 2: denied for the filing limit (CO-29) on both lines, nothing paid", () => {
    const claim = remittance?.claims[1];
    expect(claim).toMatchObject({ statusCode: "2", chargeCents: 3400, paidCents: 0, payerClaimControlNumber: "1000220000000020", adjustments: [] });
    expect(
      claim?.serviceLines.map((line) => ({
        code: line.procedure.code,
        charge: line.chargeCents,
        paid: line.paidCents,
        units: line.units,
        adjustments: line.adjustments,
      })),
    ).toEqual([
      { code: "V2020", charge: 1200, paid: 0, units: 0, adjustments: [{ groupCode: "CO", reasonCode: "29", amountCents: 1200, quantity: null, segment: 42 }] },
      { code: "V2103", charge: 2200, paid: 0, units: 0, adjustments: [{ groupCode: "CO", reasonCode: "29", amountCents: 2200, quantity: null, segment: 45 }] },
    ]);
  });

  it("claim 3: two lines paid, two denied CO-251 with remark N206; one line dated 2013-09-17", () => {
    const claim = remittance?.claims[2];
    expect(claim).toMatchObject({ statusCode: "2", chargeCents: 3425, paidCents: 1150, amounts: [{ qualifier: "AU", amountCents: 1150 }] });
    expect(
      claim?.serviceLines.map((line) => [
        line.procedure.code,
        line.chargeCents,
        line.paidCents,
        line.serviceDateFrom,
        line.adjustments.map((adjustment) => `${adjustment.groupCode}-${adjustment.reasonCode} ${adjustment.amountCents}`),
        line.remarkCodes,
      ]),
    ).toEqual([
      ["V2020", 600, 600, "2010-01-01", [], []],
      ["V2103", 550, 550, "2013-09-17", [], []],
      ["V2700", 275, 0, "2010-01-01", ["CO-251 275"], ["N206"]],
      ["S0580", 2000, 0, "2010-01-01", ["CO-251 2000"], ["N206"]],
    ]);
  });

  it("balances: 34.25 + 0 + 11.50 = 45.75, and every claim and line", () => {
    expect(check835Balance(result)).toEqual([]);
  });

  it("profee-multiple.edi: 156 interchanges in one file, each its own payment of 45.75, all balanced", () => {
    const multiple = read835(PROFEE.trim().repeat(156));
    expect(multiple.remittances).toHaveLength(156);
    expect(multiple.remittances.flatMap((set) => set.claims)).toHaveLength(468);
    expect(multiple.remittances.every((set) => set.payment.totalCents === 4575)).toBe(true);
    expect(check835Balance(multiple)).toEqual([]);
  });
});

describe("read835: linuxforhealth medicare-part-a.835 (institutional, CO-45, MA02, PLB)", () => {
  const result = read835(MEDICARE_PART_A);
  const [remittance] = result.remittances;

  it("reads BPR02 150,000.00 by ACH, the payer's REF*2U, the payee's NPI and two claims", () => {
    expect(remittance).toMatchObject({
      controlNumber: "1234",
      payment: {
        handlingCode: "C",
        totalCents: 15_000_000,
        creditDebit: "C",
        methodCode: "ACH",
        method: "Automated clearing house (ACH) transfer",
        date: "2002-09-13",
      },
      trace: { number: "12345", payerId: "1512345678" },
      productionDate: "2002-09-16",
      payer: { name: "INSURANCE COMPANY OF TIMBUCKTU", payerId: "999" },
      payee: { name: "REGIONAL HOPE HOSPITAL", npi: "6543210903", taxId: null },
    });
    expect(
      remittance?.claims.map((claim) => [claim.headerNumber, claim.patientControlNumber, claim.chargeCents, claim.paidCents, claim.filingIndicator]),
    ).toEqual([
      ["110212", "666123", 21_136_697, 13_801_840, "MA"],
      ["130212", "777777", 1_500_000, 1_198_033, "MB"],
    ]);
  });

  it("claim-level CO-45 adjustments, patient names, statement dates and the MOA remark code", () => {
    const [first, second] = remittance?.claims ?? [];
    expect(first).toMatchObject({
      payerClaimControlNumber: "1999999444444",
      facilityCode: "11",
      frequencyCode: "1",
      adjustments: [{ groupCode: "CO", reasonCode: "45", amountCents: 7_334_857, quantity: null }],
      patient: { lastName: "JONES", firstName: "SAM", middleName: "O", idQualifier: "HN", id: "666666666A" },
      statementFrom: "2002-08-16",
      statementTo: "2002-08-24",
      remarkCodes: [],
      serviceLines: [],
    });
    expect(second).toMatchObject({
      adjustments: [{ groupCode: "CO", reasonCode: "45", amountCents: 301_967 }],
      patient: { lastName: "BORDER", firstName: "LIZ" },
      remarkCodes: ["MA02"],
      statementFrom: "2002-05-12",
      statementTo: null,
    });
  });

  it("the PLB adds 1.27 (a negative amount), so 138,018.40 + 11,980.33 + 1.27 = 150,000.00 balances", () => {
    expect(remittance?.providerAdjustments).toEqual([
      {
        providerId: "6543210903",
        fiscalPeriodDate: "2002-12-31",
        reasonCode: "CV",
        reason: "Capital passthru",
        reference: "CP",
        amountCents: -127,
        segment: 29,
      },
    ]);
    expect(check835Balance(result)).toEqual([]);
  });
});

describe("read835: the ISA16 that disagrees with the data", () => {
  it("cob-contractural-adjustment.835 declares ':' but writes SVC*HC>55669: refused, naming both separators", () => {
    const error = errorOf(() => read835(COB));
    expect(error.code).toBe("VALIDATION_FAILED");
    expect(error.message).toBe(
      'Claim 0001000055, service line 1 (SVC, segment 21): SVC01 reads "HC>55669"; the interchange declares ":" as its component separator (ISA16), but this looks written with ">". Carebill does not guess which separator was meant: ask the payer or clearinghouse for a file whose ISA16 matches its data.',
    );
  });

  it("secondary-payment.835 has the same slip (SVC*HC>12345>26)", () => {
    expect(errorOf(() => read835(SECONDARY)).message).toMatch(
      /^Claim 0001000053, service line 1 \(SVC, segment 29\): SVC01 reads "HC>12345>26"; the interchange declares ":"/,
    );
  });

  it("a PLB composite written with another separator is refused the same way", () => {
    const error = errorOf(() => read835(edit(MEDICARE_PART_A, "CV:CP", "CV>CP")));
    expect(error.message).toMatch(
      /^Provider adjustment \(PLB, segment 29\): PLB03 reads "CV>CP"; the interchange declares ":" as its component separator \(ISA16\), but this looks written with ">"\./,
    );
  });

  it("tertiary-payment.835 writes SVC*HC*24599.00*…: no procedure code, refused rather than read with shifted amounts", () => {
    expect(errorOf(() => read835(TERTIARY)).message).toBe(
      'Claim 0001000054, service line 1 (SVC, segment 20): SVC01 reads "HC" with no procedure code after the qualifier, and the next element reads "24599.00". The line cannot be matched to a billed service.',
    );
  });
});

describe("read835: the linuxforhealth samples as they should have been written (ISA16 honoured)", () => {
  it("cob: BPR16 missing is a note; line-level OA-23 and a negative OA-94 explain 541.00 − 34.00", () => {
    const result = read835(withDeclaredSeparator(COB));
    expect(result.notes).toEqual([
      'Transaction set 0001: BPR16 (the payment date) is missing; the segment ends with "20050318", in another position, which Carebill does not take for the date.',
    ]);
    const [remittance] = result.remittances;
    expect(remittance).toMatchObject({
      payment: { totalCents: 3400, methodCode: "CHK", method: "Check", date: null },
      trace: { number: "0063158ABC", payerId: "1566339911" },
      payee: { name: "ATONEWITHHEALTH", npi: null, taxId: "3UR334563" },
    });
    expect(remittance?.claims[0]).toMatchObject({
      patientControlNumber: "0001000055",
      statusCode: "2",
      status: "Processed as secondary",
      chargeCents: 54_100,
      paidCents: 3400,
      filingIndicator: "12",
      payerClaimControlNumber: "50650619501",
      patient: { lastName: "BURCK", firstName: "RAYMOND", middleName: "W", idQualifier: "MI", id: "987654321" },
      renderingProvider: { lastName: "PROFESSIONAL TEST 1", idQualifier: "BS", id: "34426" },
      adjustments: [],
    });
    expect(remittance?.claims[0]?.serviceLines).toEqual([
      {
        lineNumber: 1,
        procedure: { qualifier: "HC", code: "55669", modifiers: [] },
        chargeCents: 54_100,
        paidCents: 3400,
        revenueCode: null,
        units: 1,
        originalProcedure: null,
        originalUnits: null,
        serviceDateFrom: "2005-02-02",
        serviceDateTo: "2005-02-02",
        adjustments: [
          { groupCode: "OA", reasonCode: "23", amountCents: 51_600, quantity: null, segment: 23 },
          { groupCode: "OA", reasonCode: "94", amountCents: -900, quantity: null, segment: 24 },
        ],
        lineItemControlNumber: null,
        references: [{ qualifier: "1B", value: "44280" }],
        allowedCents: 55_000,
        amounts: [{ qualifier: "B6", amountCents: 55_000 }],
        remarkCodes: [],
        rejectReasonCodes: [],
        segment: 21,
      },
    ]);
    expect(check835Balance(result)).toEqual([]);
  });

  it("secondary: a claim-level OA-23 claim and a claim whose lines carry modifier 26, PR-1, PR-2 and CO-42", () => {
    const result = read835(withDeclaredSeparator(SECONDARY));
    const [remittance] = result.remittances;
    expect(remittance?.payment.totalCents).toBe(122_200);
    const [first, second] = remittance?.claims ?? [];
    expect(first).toMatchObject({
      patientControlNumber: "L0004828311",
      chargeCents: 1_032_364,
      paidCents: 91_200,
      facilityCode: "11",
      frequencyCode: "1",
      adjustments: [{ groupCode: "OA", reasonCode: "23", amountCents: 941_164 }],
      renderingProvider: { lastName: "ACME MEDICAL CENTER", idQualifier: "BD", id: "987" },
      statementFrom: "2005-03-03",
      statementTo: "2005-03-04",
      amounts: [{ qualifier: "AU", amountCents: 91_200 }],
      serviceLines: [],
    });
    expect(second).toMatchObject({
      patientControlNumber: "0001000053",
      chargeCents: 75_150,
      paidCents: 31_000,
      patientResponsibilityCents: 22_000,
      adjustments: [],
    });
    expect(
      second?.serviceLines.map((line) => ({
        procedure: line.procedure,
        charge: line.chargeCents,
        paid: line.paidCents,
        revenueCode: line.revenueCode,
        allowed: line.allowedCents,
        adjustments: line.adjustments.map((adjustment) => [adjustment.groupCode, adjustment.reasonCode, adjustment.amountCents]),
      })),
    ).toEqual([
      {
        procedure: { qualifier: "HC", code: "12345", modifiers: ["26"] },
        charge: 16_650,
        paid: 3000,
        revenueCode: null,
        allowed: 15_000,
        adjustments: [["OA", "23", 13_650]],
      },
      {
        procedure: { qualifier: "HC", code: "66543", modifiers: ["26"] },
        charge: 58_500,
        paid: 28_000,
        revenueCode: "220",
        allowed: 50_000,
        adjustments: [
          ["PR", "1", 15_000],
          ["PR", "2", 7000],
          ["CO", "42", 8500],
        ],
      },
    ]);
    expect(check835Balance(result)).toEqual([]);
  });
});

describe("read835: other parts of the guide", () => {
  const CLAIM = [
    "ISA*00*          *00*          *ZZ*PAYER          *ZZ*CAREBILL       *261102*1200*^*00501*000000001*0*P*:~",
    "GS*HP*PAYER*CAREBILL*20261102*1200*1*X*005010X221A1~",
    "ST*835*0001~",
    "BPR*I*60*C*ACH*CCP*01*111*DA*33*1234567890**01*111*DA*22*20261102~",
    "TRN*1*EFT123*1999999999~",
    "N1*PR*ACME HEALTH~",
    "REF*2U*ACME01~",
    "N1*PE*DEMO CLINIC*XX*1245319599~",
    "REF*TJ*123456789~",
    "LX*1~",
    "CLP*CLM-000123*1*150*60*40*12*PCN9*11*1~",
    "CAS*PR*3*20~",
    "NM1*QC*1*DOE*JANE****MI*M123~",
    "NM1*IL*1*DOE*JOHN****MI*M100~",
    "MOA***MA130*N130~",
    "DTM*050*20261101~",
    "SVC*HC:99214:25*130*60**1*HC:99215:25:GT~",
    "DTM*150*20261030~",
    "DTM*151*20261031~",
    "CAS*CO*45*50*1*97*0~",
    "CAS*PR*2*20~",
    "REF*6R*LINE-1~",
    "AMT*B6*100~",
    "LQ*HE*M15~",
    "SE*23*0001~",
    "GE*1*1~",
    "IEA*1*000000001~",
  ].join("\n");

  it("SVC06 original code, DTM*150/151, several triples in one CAS, REF*6R, LQ, MOA and a claim-level PR", () => {
    const result = read835(CLAIM);
    expect(result.notes).toEqual([]);
    const [remittance] = result.remittances;
    expect(remittance?.payee).toEqual({ name: "DEMO CLINIC", npi: "1245319599", taxId: "123456789", references: [{ qualifier: "TJ", value: "123456789" }] });
    expect(remittance?.payer).toEqual({ name: "ACME HEALTH", payerId: "ACME01", references: [{ qualifier: "2U", value: "ACME01" }] });
    const claim = remittance?.claims[0];
    expect(claim).toMatchObject({
      patientControlNumber: "CLM-000123",
      patientResponsibilityCents: 4000,
      adjustments: [{ groupCode: "PR", reasonCode: "3", amountCents: 2000 }],
      insured: { lastName: "DOE", firstName: "JOHN", id: "M100" },
      remarkCodes: ["MA130", "N130"],
      receivedDate: "2026-11-01",
    });
    expect(claim?.serviceLines[0]).toMatchObject({
      procedure: { qualifier: "HC", code: "99214", modifiers: ["25"] },
      originalProcedure: { qualifier: "HC", code: "99215", modifiers: ["25", "GT"] },
      serviceDateFrom: "2026-10-30",
      serviceDateTo: "2026-10-31",
      lineItemControlNumber: "LINE-1",
      allowedCents: 10_000,
      remarkCodes: ["M15"],
      adjustments: [
        { groupCode: "CO", reasonCode: "45", amountCents: 5000, quantity: 1 },
        { groupCode: "CO", reasonCode: "97", amountCents: 0, quantity: null },
        { groupCode: "PR", reasonCode: "2", amountCents: 2000, quantity: null },
      ],
    });
    // Claim: 150 − 60 = 90 = 20 (claim PR-3) + 70 (line); line: 130 − 60 = 70 = 50 + 0 + 20; patient share 40 = PR-3 20 + PR-2 20.
    expect(check835Balance(result)).toEqual([]);
  });

  it("refuses an unknown adjustment group, an amount that is not one, and a file that is not an 835", () => {
    expect(errorOf(() => read835(edit(CLAIM, "CAS*PR*2*20", "CAS*XX*2*20"))).message).toBe(
      'Claim CLM-000123, service line 1 (SVC, segment 17): CAS01 reads "XX"; an adjustment\'s group is one of CO, PR, OA, PI, CR.',
    );
    expect(errorOf(() => read835(edit(CLAIM, "CLP*CLM-000123*1*150*60", "CLP*CLM-000123*1*150*6O"))).message).toBe(
      'Claim CLM-000123 (CLP, segment 11): CLP04 reads "6O", which is not an amount.',
    );
    expect(errorOf(() => read835(fixture("linuxforhealth/271/subscriber-health-benefit-check.271"))).message).toBe(
      "This file holds 271 transaction sets, not an 835 remittance.",
    );
  });

  it("a file cut anywhere ends in one AppError sentence, never a TypeError", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: PROFEE.length - 1 }), (cut) => {
        try {
          read835(PROFEE.slice(0, cut));
        } catch (error) {
          expect(error).toBeInstanceOf(AppError);
        }
      }),
      { numRuns: 150 },
    );
  });
});

describe("check835Balance: hand-made imbalances, in words a biller reads", () => {
  it("a claim whose CO-45 is 7 cents short", () => {
    const result = read835(edit(MEDICARE_PART_A, "CAS*CO*45*73348.57", "CAS*CO*45*73348.50"));
    expect(check835Balance(result)).toEqual([
      {
        kind: "claim",
        transactionSet: "1234",
        patientControlNumber: "666123",
        lineNumber: null,
        segment: 15,
        statedCents: 7_334_857,
        computedCents: 7_334_850,
        message:
          "Claim 666123: charged $211,366.97 and paid $138,018.40, so $73,348.57 should be explained by adjustments, but the claim's and its lines' adjustments add up to $73,348.50 ($0.07 unexplained).",
      },
    ]);
  });

  it("a line adjustment off by 25 cents shows on the line and on its claim", () => {
    const result = read835(edit(PROFEE, "CAS*CO*251*2.75", "CAS*CO*251*2.50"));
    expect(check835Balance(result).map((imbalance) => [imbalance.kind, imbalance.lineNumber, imbalance.segment, imbalance.message])).toEqual([
      [
        "line",
        3,
        59,
        "Claim PATIENT ACCOUNT NUMBER, service line 3 (V2700-RB on 2010-01-01): charged $2.75 and paid $0.00, so $2.75 should be explained by adjustments, but the line's adjustments add up to $2.50 ($0.25 unexplained).",
      ],
      [
        "claim",
        null,
        46,
        "Claim PATIENT ACCOUNT NUMBER: charged $34.25 and paid $11.50, so $22.75 should be explained by adjustments, but the claim's and its lines' adjustments add up to $22.50 ($0.25 unexplained).",
      ],
    ]);
  });

  it("BPR02 that is not the claims paid less the PLB", () => {
    expect(check835Balance(read835(edit(PROFEE, "BPR*I*45.75", "BPR*I*45.70"))).map((imbalance) => imbalance.message)).toEqual([
      "Payment 10100000000: the payment is $45.70 (BPR02), but the claims paid $45.75, which makes $45.75 (a difference of -$0.05).",
    ]);
    // The Medicare sample's PLB of −1.27 is money added; read as taken back, the payment no longer adds up.
    expect(check835Balance(read835(edit(MEDICARE_PART_A, "CV:CP*-1.27", "CV:CP*1.27"))).map((imbalance) => imbalance.message)).toEqual([
      "Payment 12345: the payment is $150,000.00 (BPR02), but the claims paid $149,998.73 less $1.27 the payer keeps back in provider adjustments (PLB), which makes $149,997.46 (a difference of $2.54).",
    ]);
  });

  it("a patient responsibility (CLP05) that is not the sum of the PR adjustments", () => {
    const result = read835(withDeclaredSeparator(edit(SECONDARY, "*310.00*220.00*", "*310.00*200.00*")));
    expect(check835Balance(result).map((imbalance) => [imbalance.kind, imbalance.statedCents, imbalance.computedCents, imbalance.message])).toEqual([
      [
        "patient_responsibility",
        20_000,
        22_000,
        "Claim 0001000053: the patient's share is stated as $200.00 (CLP05), but the patient responsibility (PR) adjustments add up to $220.00 (a difference of -$20.00).",
      ],
    ]);
  });
});

describe("CARC and RARC in words", () => {
  it("the codes billers meet first, and those of the samples", () => {
    expect(describeCarc("29")).toBe("The time limit for filing has expired.");
    expect(describeCarc("16")).toMatch(/^Claim\/service lacks information which is needed for adjudication\./);
    expect(describeCarc("97")).toMatch(/^The benefit for this service is included in the payment\/allowance for another service\/procedure/);
    expect(describeCarc("1")).toBe("Deductible Amount");
    expect(describeCarc("2")).toBe("Coinsurance Amount");
    expect(describeCarc("3")).toBe("Co-payment Amount");
    expect(describeCarc("45")).toMatch(/^Charge exceeds fee schedule\/maximum allowable or contracted\/legislated fee arrangement\./);
    expect(describeCarc("23")).toBe("The impact of prior payer(s) adjudication including payments and/or adjustments.");
    expect(describeCarc("94")).toBe("Processed in Excess of charges.");
    expect(describeRarc("N206")).toBe("The supporting documentation does not match the information sent on the claim.");
    expect(describeRarc("MA02")).toMatch(/^Alert: If you do not agree with this determination, you have the right to appeal\./);
    expect(describeRarc("M15")).toMatch(/^Separately billed services\/tests have been bundled/);
  });

  it("group codes, and a code the 2012 list does not hold said as such rather than guessed", () => {
    expect(ADJUSTMENT_GROUP_CODES).toEqual({
      CO: "Contractual obligation",
      PR: "Patient responsibility",
      OA: "Other adjustment",
      PI: "Payer initiated reduction",
      CR: "Correction and reversal",
    });
    expect(describeAdjustment("CO", "29")).toBe("CO-29: Contractual obligation — The time limit for filing has expired.");
    expect(describeCarc("251")).toBe("Adjustment reason code 251 (not in Carebill's list; look it up at x12.org/codes/claim-adjustment-reason-codes).");
    expect(describeRarc("ZZ999")).toBe("Remark code ZZ999 (not in Carebill's list; look it up at x12.org/codes/remittance-advice-remark-codes).");
    expect(Object.keys(CLAIM_ADJUSTMENT_REASON_CODES)).toHaveLength(217);
    expect(Object.keys(REMITTANCE_ADVICE_REMARK_CODES)).toHaveLength(758);
  });
});
