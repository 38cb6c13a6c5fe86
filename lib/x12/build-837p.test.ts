import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { X12Interchange, X12Parser } from "node-x12";
import { describe, expect, it } from "vitest";
import { ZodError } from "zod";
import { build837P, formatAmount, listClaimBatchProblems } from "./build-837p";
import type { TClaimBatch837PInput } from "./build-837p.types";
import { checkStructure } from "./check-structure";
import { parseLoopMap } from "./loop-map";
import { readX12 } from "./read-x12";

const fixtures = (path: string) => fileURLToPath(new URL(`./__fixtures__/${path}`, import.meta.url));
const loopMap = parseLoopMap(readFileSync(fixtures("imsweb/mapping/837.5010.X222.A1.xml"), "utf8"));

type ClaimInput = TClaimBatch837PInput["claims"][number];

// De-identified: made-up people and ids; the NPIs and EIN are well formed (check digits), not real.
const BILLING_NPI = "1234567893";

function claim(overrides: Partial<ClaimInput> = {}): ClaimInput {
  return {
    claimNumber: "CB-000101",
    totalChargeCents: 15000,
    placeOfService: "11",
    frequencyCode: "1",
    providerSignatureOnFile: true,
    providerAcceptsAssignment: "A",
    benefitsAssignmentCertified: "Y",
    releaseOfInformation: "Y",
    subscriber: {
      lastName: "DOE",
      firstName: "JANE",
      memberId: "XYZ123456789",
      birthDate: "1980-04-12",
      sex: "F",
      groupNumber: "GRP-0042",
      address: { line1: "12 Example Street", city: "Portland", state: "OR", postalCode: "97201" },
    },
    patient: null,
    payer: { name: "EXAMPLE HEALTH PLAN", payerId: "EXHP1", claimFilingIndicator: "CI" },
    diagnoses: ["J06.9"],
    serviceLines: [{ procedureCode: "99213", chargeCents: 15000, units: 1, diagnosisPointers: [1], serviceDate: "2026-11-30" }],
    ...overrides,
  };
}

function batch(claims: ClaimInput[]): TClaimBatch837PInput {
  return {
    usage: "T",
    createdAt: new Date("2026-12-04T17:05:00Z"),
    timeZone: "America/Los_Angeles",
    controlNumbers: { interchange: 41, group: 41, transactionSet: 1 },
    batchReference: "BATCH-41",
    interchangeSender: { qualifier: "ZZ", id: "CAREBILLDEMO" },
    interchangeReceiver: { qualifier: "ZZ", id: "CLEARINGHOUSE" },
    submitter: { name: "EXAMPLE FAMILY CLINIC", id: "SUB12345", contactName: "BILLING OFFICE", phone: "(503) 555-0142" },
    receiver: { name: "EXAMPLE CLEARINGHOUSE", id: "CH987" },
    billingProvider: {
      organizationName: "EXAMPLE FAMILY CLINIC",
      npi: BILLING_NPI,
      ein: "12-3456789",
      taxonomyCode: "207Q00000X",
      address: { line1: "100 Main Street", line2: "Suite 2", city: "Portland", state: "OR", postalCode: "97201-1234" },
    },
    claims,
  };
}

const DEPENDENT = {
  relationshipCode: "19",
  lastName: "DOE",
  firstName: "SAM",
  birthDate: "2015-06-01",
  sex: "M",
  address: { line1: "12 Example Street", city: "Portland", state: "OR", postalCode: "97201" },
} as const;

const RIVERA = { lastName: "RIVERA", firstName: "ANA", npi: "1245319599", taxonomyCode: "207Q00000X" };
const CHEN = { lastName: "CHEN", firstName: "LEE", middleName: "K", npi: "1003000126", taxonomyCode: "363LF0000X" };
const SELF = { lastName: "CLINIC", firstName: "SELF", npi: BILLING_NPI };

/**
 * A claim to the secondary payer after the primary (AETNA, 60054) paid 54.40 of 175.00: 99213-25
 * paid 52.00 (CO-45 60.00, PR-3 25.00, PR-2 13.00), 36415 paid 2.40 (CO-45 22.00, PR-2 0.60).
 */
function secondaryClaim(overrides: Partial<ClaimInput> = {}): ClaimInput {
  return claim({
    claimNumber: "CB-000401",
    totalChargeCents: 17500,
    payerResponsibility: "S",
    payer: { name: "EXAMPLE SECONDARY PLAN", payerId: "EXSP2", claimFilingIndicator: "CI" },
    serviceLines: [
      {
        procedureCode: "99213",
        modifiers: ["25"],
        chargeCents: 15000,
        units: 1,
        diagnosisPointers: [1],
        serviceDate: "2026-11-30",
        adjudications: [
          {
            payerId: "60054",
            paidCents: 5200,
            procedureCode: "99213",
            modifiers: ["25"],
            units: 1,
            adjustments: [
              { groupCode: "CO", reasonCode: "45", amountCents: 6000 },
              { groupCode: "PR", reasonCode: "3", amountCents: 2500 },
              { groupCode: "PR", reasonCode: "2", amountCents: 1300 },
            ],
            adjudicatedOn: "2026-12-02",
          },
        ],
      },
      {
        procedureCode: "36415",
        chargeCents: 2500,
        units: 1,
        diagnosisPointers: [1],
        serviceDate: "2026-11-30",
        adjudications: [
          {
            payerId: "60054",
            paidCents: 240,
            procedureCode: "36415",
            units: 1,
            adjustments: [
              { groupCode: "CO", reasonCode: "45", amountCents: 2200 },
              { groupCode: "PR", reasonCode: "2", amountCents: 60 },
            ],
            adjudicatedOn: "2026-12-02",
          },
        ],
      },
    ],
    otherPayers: [
      {
        payerResponsibility: "P",
        relationshipCode: "18",
        groupNumber: "GRP-0100",
        claimFilingIndicator: "CI",
        benefitsAssignmentCertified: "Y",
        paidCents: 5440,
        subscriber: {
          lastName: "DOE",
          firstName: "JANE",
          memberId: "W123456789",
          address: { line1: "12 Example Street", city: "Portland", state: "OR", postalCode: "97201" },
        },
        payer: { name: "AETNA", payerId: "60054", claimControlNumber: "AET-ICN-0001" },
      },
    ],
    ...overrides,
  });
}

const CASES: Record<string, TClaimBatch837PInput> = {
  "patient-is-subscriber": batch([claim()]),
  "patient-is-dependent": batch([
    claim({ patient: DEPENDENT, subscriber: { lastName: "DOE", firstName: "JANE", memberId: "XYZ123456789", groupName: "EXAMPLE EMPLOYER" } }),
  ]),
  "two-rendering-providers": batch([
    claim({ claimNumber: "CB-000201", renderingProvider: { lastName: "RIVERA", firstName: "ANA", npi: "1245319599", taxonomyCode: "207Q00000X" } }),
    claim({
      claimNumber: "CB-000202",
      renderingProvider: { lastName: "CHEN", firstName: "LEE", middleName: "K", npi: "1003000126", taxonomyCode: "363LF0000X" },
    }),
    // Rendered by the billing provider itself: no 2310B.
    claim({ claimNumber: "CB-000203", renderingProvider: { lastName: "CLINIC", firstName: "SELF", npi: BILLING_NPI } }),
  ]),
  // Line 2 rendered by another provider (2420A); line 3 names the claim's own provider again (no 2420A);
  // the second claim has no 2310B, so its line by the billing provider's NPI needs none either.
  "line-rendering-provider": batch([
    claim({
      claimNumber: "CB-000301",
      totalChargeCents: 30000,
      renderingProvider: RIVERA,
      serviceLines: [
        { procedureCode: "99213", chargeCents: 15000, units: 1, diagnosisPointers: [1], serviceDate: "2026-11-30" },
        { procedureCode: "97110", modifiers: ["GP"], chargeCents: 9000, units: 2, diagnosisPointers: [1], serviceDate: "2026-11-30", renderingProvider: CHEN },
        { procedureCode: "36415", chargeCents: 6000, units: 1, diagnosisPointers: [1], serviceDate: "2026-11-30", renderingProvider: RIVERA },
      ],
    }),
    claim({
      claimNumber: "CB-000302",
      totalChargeCents: 24000,
      serviceLines: [
        { procedureCode: "99213", chargeCents: 15000, units: 1, diagnosisPointers: [1], serviceDate: "2026-11-30", renderingProvider: SELF },
        { procedureCode: "97110", chargeCents: 9000, units: 2, diagnosisPointers: [1], serviceDate: "2026-11-30", renderingProvider: CHEN },
      ],
    }),
  ]),
  modifiers: batch([
    claim({
      totalChargeCents: 27550,
      diagnoses: ["M54.50", "G89.29"],
      serviceLines: [
        { procedureCode: "99214", modifiers: ["25"], chargeCents: 18000, units: 1, diagnosisPointers: [1, 2], serviceDate: "2026-11-30" },
        {
          procedureCode: "97140",
          modifiers: ["59", "GP", "KX", "xu"],
          chargeCents: 9550,
          units: 2,
          diagnosisPointers: [2, 1],
          serviceDate: "2026-11-30",
          placeOfService: "02",
        },
      ],
    }),
  ]),
  "twelve-diagnoses": batch([
    claim({
      diagnoses: ["E11.9", "I10", "E78.5", "N18.3", "E66.9", "Z68.30", "K21.9", "F41.1", "G47.33", "M17.11", "J45.909", "Z79.4"],
      serviceLines: [
        { procedureCode: "99215", chargeCents: 15000, units: 1, diagnosisPointers: [1, 2, 3, 12], serviceDate: "2026-11-28", serviceDateEnd: "2026-11-29" },
      ],
    }),
  ]),
  "corrected-claim": batch([claim({ claimNumber: "CB-000101", frequencyCode: "7", payerClaimNumber: "PAYERICN7788990011" })]),
  "secondary-claim": batch([secondaryClaim()]),
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

describe("837P golden files", () => {
  for (const [name, input] of Object.entries(CASES)) {
    it(`${name}: matches its golden file, fits the loop map and round-trips through node-x12 (strict)`, async () => {
      const text = build837P(input);
      await expect(text).toMatchFileSnapshot(fixtures(`837p/${name}.x12`));
      expect(checkStructure(text, loopMap)).toEqual([]);
      // node-x12 reads the interchange control number (ISA13, IEA02) as a number: 000000041 → 41.
      const ours = readX12(text).segments.map((each) => [
        each.id,
        ...each.elements.map((value, index) => (isControlNumber(each.id, index) ? String(Number(value)) : value)),
      ]);
      expect(segmentsFromNodeX12(text)).toEqual(ours);
    });
  }

  it("the round-trip has teeth: node-x12 refuses a golden file whose counts or control numbers were tampered with", () => {
    const text = build837P(CASES["patient-is-subscriber"] as TClaimBatch837PInput);
    expect(text).toContain("SE*24*0001~");
    expect(() => segmentsFromNodeX12(text.replace("SE*24*0001", "SE*23*0001"))).toThrow(/SE01/);
    expect(() => segmentsFromNodeX12(text.replace("SE*24*0001", "SE*24*0002"))).toThrow(/SE02/);
    expect(() => segmentsFromNodeX12(text.replace("IEA*1*000000041", "IEA*1*000000042"))).toThrow(/IEA02/);
  });

  it("patient is subscriber: SBR02 is 18, no 2000C, the subscriber carries address and DMG", () => {
    const segments = readX12(build837P(CASES["patient-is-subscriber"] as TClaimBatch837PInput)).segments.map((each) => [each.id, ...each.elements].join("*"));
    expect(segments).toContain("HL*2*1*22*0");
    expect(segments).toContain("SBR*P*18*GRP-0042******CI");
    expect(segments).toContain("DMG*D8*19800412*F");
    expect(segments.some((each) => each.startsWith("PAT"))).toBe(false);
    expect(segments).toContain("CLM*CB-000101*150***11:B:1*Y*A*Y*Y");
  });

  it("dependent: HL 2000C under the subscriber with PAT01 and the patient's NM1*QC, SBR02 empty", () => {
    const segments = readX12(build837P(CASES["patient-is-dependent"] as TClaimBatch837PInput)).segments.map((each) => [each.id, ...each.elements].join("*"));
    expect(segments).toContain("HL*2*1*22*1");
    expect(segments).toContain("SBR*P***EXAMPLE EMPLOYER*****CI");
    expect(segments).toContain("HL*3*2*23*0");
    expect(segments).toContain("PAT*19");
    expect(segments).toContain("NM1*QC*1*DOE*SAM");
    expect(segments).toContain("DMG*D8*20150601*M");
  });

  it("writes 2310B only for a rendering provider other than the billing provider", () => {
    const text = build837P(CASES["two-rendering-providers"] as TClaimBatch837PInput);
    const renderingNames = readX12(text)
      .segments.filter((each) => each.id === "NM1" && each.elements[0] === "82")
      .map((each) => each.elements.join("*"));
    expect(renderingNames).toEqual(["82*1*RIVERA*ANA****XX*1245319599", "82*1*CHEN*LEE*K***XX*1003000126"]);
  });

  it("writes 2420A after a line's SV1 and DTP only when someone other than the claim's rendering provider rendered it", () => {
    const segments = readX12(build837P(CASES["line-rendering-provider"] as TClaimBatch837PInput)).segments.map((each) => [each.id, ...each.elements].join("*"));
    const from = (start: string) => segments.slice(segments.indexOf(start));
    // Claim 1: 2310B Rivera; line 2 by Chen right after its DTP, then line 3 (Rivera's own) with no 2420A.
    expect(from("LX*2").slice(0, 6)).toEqual([
      "LX*2",
      "SV1*HC:97110:GP*90*UN*2***1",
      "DTP*472*D8*20261130",
      "NM1*82*1*CHEN*LEE*K***XX*1003000126",
      "PRV*PE*PXC*363LF0000X",
      "LX*3",
    ]);
    expect(from("LX*3").slice(0, 4)).toEqual(["LX*3", "SV1*HC:36415*60*UN*1***1", "DTP*472*D8*20261130", expect.stringMatching(/^HL\*/)]);
    const renderingNames = segments.filter((each) => each.startsWith("NM1*82*"));
    // Rivera (2310B of claim 1), Chen (2420A of claim 1 line 2), Chen (2420A of claim 2 line 2): never the billing provider.
    expect(renderingNames).toEqual(["NM1*82*1*RIVERA*ANA****XX*1245319599", "NM1*82*1*CHEN*LEE*K***XX*1003000126", "NM1*82*1*CHEN*LEE*K***XX*1003000126"]);
    // The loop map would catch 2420A written before the line's DTP.
    const text = build837P(CASES["line-rendering-provider"] as TClaimBatch837PInput);
    const chen = "NM1*82*1*CHEN*LEE*K***XX*1003000126~\nPRV*PE*PXC*363LF0000X~\n";
    const misplaced = text.replace(`DTP*472*D8*20261130~\n${chen}`, `${chen}DTP*472*D8*20261130~\n`);
    expect(misplaced).not.toBe(text);
    expect(checkStructure(misplaced, loopMap)).toEqual([
      expect.objectContaining({ message: "DTP in loop 2400 is out of order: it must come before loop 2420A." }),
    ]);
  });

  it("names a line's rendering provider's bad NPI with its line", () => {
    const bad = batch([
      claim({
        serviceLines: [
          {
            procedureCode: "99213",
            chargeCents: 15000,
            units: 1,
            diagnosisPointers: [1],
            serviceDate: "2026-11-30",
            renderingProvider: { ...CHEN, npi: "1003000127" },
          },
        ],
      }),
    ]);
    expect(listClaimBatchProblems(bad)).toEqual([
      { path: "claims.0.serviceLines.0.renderingProvider.npi", message: "This NPI's check digit is wrong: look for a mistyped digit." },
    ]);
  });

  it("modifiers, a line's own place of service and pointers go in SV1 composites", () => {
    const segments = readX12(build837P(CASES.modifiers as TClaimBatch837PInput)).segments.map((each) => [each.id, ...each.elements].join("*"));
    expect(segments).toContain("SV1*HC:99214:25*180*UN*1***1:2");
    expect(segments).toContain("SV1*HC:97140:59:GP:KX:XU*95.5*UN*2*02**2:1");
  });

  it("twelve diagnoses: one HI with ABK then 11 ABF, codes without dots; a date range as RD8", () => {
    const segments = readX12(build837P(CASES["twelve-diagnoses"] as TClaimBatch837PInput)).segments.map((each) => [each.id, ...each.elements].join("*"));
    expect(segments).toContain("HI*ABK:E119*ABF:I10*ABF:E785*ABF:N183*ABF:E669*ABF:Z6830*ABF:K219*ABF:F411*ABF:G4733*ABF:M1711*ABF:J45909*ABF:Z794");
    expect(segments).toContain("DTP*472*RD8*20261128-20261129");
  });

  it("corrected claim: frequency 7 in CLM05-3 and the payer's claim number in REF*F8", () => {
    const segments = readX12(build837P(CASES["corrected-claim"] as TClaimBatch837PInput)).segments.map((each) => [each.id, ...each.elements].join("*"));
    expect(segments).toContain("CLM*CB-000101*150***11:B:7*Y*A*Y*Y");
    expect(segments).toContain("REF*F8*PAYERICN7788990011");
  });

  it("a dependent's claim leaves out the subscriber's address and demographics even when known", () => {
    const text = build837P(batch([claim({ patient: DEPENDENT })]));
    const subscriberLevel = text.slice(text.indexOf("NM1*IL"), text.indexOf("NM1*PR"));
    expect(subscriberLevel).toBe("NM1*IL*1*DOE*JANE****MI*XYZ123456789~\n");
    expect(checkStructure(text, loopMap)).toEqual([]);
  });

  it("a batch of 40 claims, one with 50 service lines, fits the loop map and node-x12", () => {
    const line = { procedureCode: "97110", chargeCents: 4000, units: 1, diagnosisPointers: [1], serviceDate: "2026-11-30" };
    const claims = Array.from({ length: 40 }, (_, index) =>
      claim({ claimNumber: `CB-${String(index + 1).padStart(6, "0")}`, patient: index % 2 ? DEPENDENT : null }),
    );
    claims[0] = claim({ claimNumber: "CB-000000", totalChargeCents: 200000, serviceLines: Array.from({ length: 50 }, () => line) });
    const text = build837P(batch(claims));
    expect(checkStructure(text, loopMap)).toEqual([]);
    expect(segmentsFromNodeX12(text)).toHaveLength(readX12(text).segments.length);
  });

  it("takes CLM06–CLM09 from the input, never from defaults", () => {
    const text = build837P(
      batch([claim({ providerSignatureOnFile: false, providerAcceptsAssignment: "C", benefitsAssignmentCertified: "N", releaseOfInformation: "I" })]),
    );
    expect(text).toContain("CLM*CB-000101*150***11:B:1*N*C*N*I~");
  });
});

describe("837P secondary claims: the other payer's adjudication (2320, 2330A, 2330B, 2430)", () => {
  const segmentsOf = (input: TClaimBatch837PInput) => readX12(build837P(input)).segments.map((each) => [each.id, ...each.elements].join("*"));

  it("writes 2320 with its CAS, AMT*D and OI, then 2330A and 2330B, after 2310B and before the lines; 2430 after each line", () => {
    const segments = segmentsOf(batch([secondaryClaim({ renderingProvider: RIVERA })]));
    const from = (start: string) => segments.slice(segments.indexOf(start));
    expect(segments).toContain("SBR*S*18*GRP-0042******CI");
    expect(from("NM1*82*1*RIVERA*ANA****XX*1245319599").slice(0, 11)).toEqual([
      "NM1*82*1*RIVERA*ANA****XX*1245319599",
      "PRV*PE*PXC*207Q00000X",
      "SBR*P*18*GRP-0100******CI",
      "AMT*D*54.4",
      "OI***Y***Y",
      "NM1*IL*1*DOE*JANE****MI*W123456789",
      "N3*12 Example Street",
      "N4*Portland*OR*97201",
      "NM1*PR*2*AETNA*****PI*60054",
      "REF*F8*AET-ICN-0001",
      "LX*1",
    ]);
    expect(from("LX*1").slice(0, 13)).toEqual([
      "LX*1",
      "SV1*HC:99213:25*150*UN*1***1",
      "DTP*472*D8*20261130",
      "SVD*60054*52*HC:99213:25**1",
      "CAS*CO*45*60",
      "CAS*PR*3*25**2*13",
      "DTP*573*D8*20261202",
      "LX*2",
      "SV1*HC:36415*25*UN*1***1",
      "DTP*472*D8*20261130",
      "SVD*60054*2.4*HC:36415**1",
      "CAS*CO*45*22",
      "CAS*PR*2*0.6",
    ]);
    expect(from("LX*2")[6]).toBe("DTP*573*D8*20261202");
    // Every line has its 2430: no remittance date in 2330B.
    expect(segments.filter((each) => each.startsWith("DTP*573"))).toHaveLength(2);
  });

  it("fits the loop map with claim-level CAS, a dependent on the other coverage, a line without 2430 and a tertiary claim's two other payers", () => {
    const base = secondaryClaim();
    const [primary] = base.otherPayers!;
    const input = batch([
      secondaryClaim({
        payerResponsibility: "T",
        serviceLines: [base.serviceLines[0]!, { ...base.serviceLines[1]!, adjudications: [] }],
        otherPayers: [
          {
            ...primary!,
            relationshipCode: "19",
            subscriber: { lastName: "DOE", firstName: "JOHN", middleName: "Q", memberId: "W123456789" },
            adjustments: [
              { groupCode: "OA", reasonCode: "23", amountCents: 1000 },
              { groupCode: "CO", reasonCode: "45", amountCents: 500, quantity: 1 },
            ],
            adjudicatedOn: "2026-12-02",
          },
          {
            payerResponsibility: "S",
            relationshipCode: "18",
            claimFilingIndicator: "MC",
            benefitsAssignmentCertified: "Y",
            paidCents: 0,
            subscriber: { lastName: "DOE", firstName: "JANE", memberId: "MCD555" },
            payer: { name: "STATE MEDICAID", payerId: "SKMD0" },
          },
        ],
      }),
    ]);
    const text = build837P(input);
    expect(checkStructure(text, loopMap)).toEqual([]);
    const segments = segmentsOf(input);
    expect(segments).toContain("SBR*P*19*GRP-0100******CI");
    expect(segments).toContain("CAS*OA*23*10");
    expect(segments).toContain("CAS*CO*45*5*1");
    expect(segments).toContain("NM1*IL*1*DOE*JOHN*Q***MI*W123456789");
    // Line 2 has no 2430 of the primary: its 2330B carries the remittance date.
    expect(segments.slice(segments.indexOf("NM1*PR*2*AETNA*****PI*60054"), segments.indexOf("NM1*PR*2*AETNA*****PI*60054") + 3)).toEqual([
      "NM1*PR*2*AETNA*****PI*60054",
      "DTP*573*D8*20261202",
      "REF*F8*AET-ICN-0001",
    ]);
    expect(segments).toContain("SBR*S*18*******MC");
    expect(segments).toContain("AMT*D*0");
    expect(segmentsFromNodeX12(text)).toHaveLength(readX12(text).segments.length);
  });

  it("the loop map catches 2430 out of place and a 2320 without its OI", () => {
    const text = build837P(batch([secondaryClaim()]));
    expect(checkStructure(text.replace("OI***Y***Y~\n", ""), loopMap)).toContainEqual(
      expect.objectContaining({ kind: "segment", message: "OI (Other Insurance Coverage Information) in loop 2320 is required but not found." }),
    );
    const misplaced = text
      .replace("DTP*472*D8*20261130~\nSVD*60054*52", "SVD*60054*52")
      .replace("CAS*PR*3*25**2*13~\n", "CAS*PR*3*25**2*13~\nDTP*472*D8*20261130~\n");
    expect(misplaced).not.toBe(text);
    expect(checkStructure(misplaced, loopMap)).not.toEqual([]);
  });

  it("refuses a 2430 naming no other payer, two other payers with one id, and another payer with this claim's responsibility", () => {
    const base = secondaryClaim();
    const [primary] = base.otherPayers!;
    const problems = listClaimBatchProblems(
      batch([
        secondaryClaim({
          serviceLines: [
            { ...base.serviceLines[0]!, adjudications: [{ ...base.serviceLines[0]!.adjudications![0]!, payerId: "OTHER" }] },
            base.serviceLines[1]!,
          ],
          otherPayers: [primary!, { ...primary!, payerResponsibility: "S" }],
        }),
      ]),
    );
    expect(problems).toEqual([
      { path: "claims.0.otherPayers.1.payerResponsibility", message: "The other payer AETNA has the same responsibility (S) as this claim's payer." },
      { path: "claims.0.otherPayers.1.payer.payerId", message: "The other payer id 60054 is named twice." },
      {
        path: "claims.0.serviceLines.0.adjudications.0.payerId",
        message: "Service line 1: the adjudication by payer OTHER names no other payer of the claim, or names it twice.",
      },
    ]);
  });
});

describe("837P input validation", () => {
  const messages = (input: TClaimBatch837PInput) => {
    const problems = listClaimBatchProblems(input).map((problem) => `${problem.path}: ${problem.message}`);
    if (problems.length > 0) expect(() => build837P(input)).toThrow(ZodError);
    return problems;
  };

  it("names every problem of a bad claim, with its field", () => {
    const bad = batch([
      claim({
        totalChargeCents: 20000,
        frequencyCode: "7",
        diagnoses: ["250.00", "E11.9"],
        subscriber: { lastName: "DOE", firstName: "JANE", memberId: "XYZ*1" },
        payer: { name: "EXAMPLE HEALTH PLAN", payerId: "EXHP1", claimFilingIndicator: "" as "CI" },
        renderingProvider: { lastName: "RIVERA", firstName: "ANA", npi: "1245319590" },
        serviceLines: [
          { procedureCode: "9921", modifiers: ["25", "59", "GT", "XU", "76"], chargeCents: 15000, units: 1, diagnosisPointers: [3], serviceDate: "2026-12-25" },
        ],
      }),
    ]);
    const found = messages({
      ...bad,
      billingProvider: { ...bad.billingProvider, npi: "1234567890", ein: "07-1234567", address: { ...bad.billingProvider.address, postalCode: "97201" } },
    });
    expect(found).toEqual(
      expect.arrayContaining([
        "billingProvider.npi: This NPI's check digit is wrong: look for a mistyped digit.",
        "billingProvider.ein: No EIN starts with 07: check the first two digits.",
        "billingProvider.address.postalCode: The billing provider's ZIP code needs all 9 digits (ZIP+4) on claims.",
        'claims.0.subscriber.memberId: This text contains "*", which X12 files use as a separator: remove it.',
        "claims.0.payer.claimFilingIndicator: Choose the plan type (claim filing indicator, SBR09) for this payer.",
        "claims.0.diagnoses.0: 250.00 looks like an ICD-9 code; claims use ICD-10-CM codes such as E11.9.",
        "claims.0.renderingProvider.npi: This NPI's check digit is wrong: look for a mistyped digit.",
        "claims.0.serviceLines.0.procedureCode: 9921 is not a CPT or HCPCS code: use 5 digits (99213), 4 digits and F, T or U (0001F), or a letter and 4 digits (G0439).",
        "claims.0.serviceLines.0.modifiers: A service line has at most 4 modifiers; this one has 5.",
      ]),
    );
  });

  it("checks across fields: pointers, totals, corrected claims, the subscriber as patient, future dates, line counts", () => {
    const found = messages(
      batch([
        claim({
          totalChargeCents: 20000,
          frequencyCode: "7",
          subscriber: { lastName: "DOE", firstName: "JANE", memberId: "XYZ1" },
          serviceLines: [{ procedureCode: "99213", chargeCents: 15000, units: 1, diagnosisPointers: [2], serviceDate: "2026-12-25" }],
        }),
      ]),
    );
    expect(found).toEqual(
      expect.arrayContaining([
        "claims.0.payerClaimNumber: A corrected claim needs the payer's claim number of the claim it replaces.",
        "claims.0.subscriber.birthDate: The subscriber's birth date is required when the subscriber is the patient.",
        "claims.0.subscriber.address: The subscriber's address is required when the subscriber is the patient.",
        "claims.0.serviceLines.0.diagnosisPointers.0: Service line 1 points to diagnosis 2, but the claim has 1.",
        "claims.0.totalChargeCents: The claim total (20000 cents) differs from the sum of its service lines (15000 cents).",
      ]),
    );
    // The future date is checked once the claim itself is sound.
    expect(
      messages(batch([claim({ serviceLines: [{ procedureCode: "99213", chargeCents: 15000, units: 1, diagnosisPointers: [1], serviceDate: "2026-12-25" }] })])),
    ).toEqual(["claims.0.serviceLines.0.serviceDate: Service line 1 is dated 2026-12-25, in the future."]);
    const line = { procedureCode: "99213", chargeCents: 100, units: 1, diagnosisPointers: [1], serviceDate: "2026-11-30" };
    expect(messages(batch([claim({ totalChargeCents: 5100, serviceLines: Array.from({ length: 51 }, () => line) })]))).toEqual([
      "claims.0.serviceLines: A claim carries at most 50 service lines.",
    ]);
  });

  it("answers a ZodError, never a TypeError, for input of the wrong shape", () => {
    const good = batch([claim()]);
    const shapes: unknown[] = [
      {},
      null,
      { ...good, timeZone: "Mars/Olympus_Mons" },
      { ...good, claims: [{}] },
      { ...good, claims: "none" },
      { ...good, claims: [{ ...claim(), serviceLines: "x", diagnoses: [42] }] },
      { ...good, claims: [{ ...claim(), subscriber: null, serviceLines: [{ diagnosisPointers: "1" }] }] },
      { ...good, createdAt: "yesterday" },
    ];
    for (const input of shapes) {
      expect(() => build837P(input as TClaimBatch837PInput)).toThrow(ZodError);
    }
    expect(messages({ ...good, timeZone: "Mars/Olympus_Mons" })).toEqual(["timeZone: Use an IANA time zone such as America/Los_Angeles."]);
  });

  it("answers a string or a ZodError when any one field holds anything at all (property test)", () => {
    const good = batch([claim({ patient: DEPENDENT, renderingProvider: { lastName: "RIVERA", firstName: "ANA", npi: "1245319599" } })]);
    const paths: (string | number)[][] = [];
    const collect = (value: unknown, path: (string | number)[]) => {
      paths.push(path);
      if (value && typeof value === "object" && !(value instanceof Date))
        for (const [key, child] of Object.entries(value)) collect(child, [...path, Array.isArray(value) ? Number(key) : key]);
    };
    collect(good, []);
    fc.assert(
      fc.property(fc.nat(paths.length - 1), fc.jsonValue(), (which, replacement) => {
        const input = structuredClone(good) as unknown as Record<string | number, unknown>;
        const path = paths[which] as (string | number)[];
        if (path.length === 0) return;
        let parent: Record<string | number, unknown> = input;
        for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
        parent[path.at(-1) as string | number] = replacement;
        try {
          expect(typeof build837P(input as unknown as TClaimBatch837PInput)).toBe("string");
        } catch (error) {
          expect(error).toBeInstanceOf(ZodError);
        }
      }),
      { numRuns: 400 },
    );
  });

  it("formats amounts from cents without trailing zeros", () => {
    expect([formatAmount(15000), formatAmount(9550), formatAmount(12525), formatAmount(5), formatAmount(-1250)]).toEqual([
      "150",
      "95.5",
      "125.25",
      "0.05",
      "-12.5",
    ]);
  });
});
