import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectClearinghouseSftp, type ClearinghouseSftp } from "@/lib/clearinghouse/sftp";
import { generateSshKeyPair } from "@/lib/clearinghouse/ssh-keys";
import { check835Balance } from "@/lib/x12/check-835-balance";
import { checkStructure } from "@/lib/x12/check-structure";
import { parseLoopMap } from "@/lib/x12/loop-map";
import { read277CA } from "@/lib/x12/read-277ca";
import { read835 } from "@/lib/x12/read-835";
import { elementOf, readX12 } from "@/lib/x12/read-x12";
import { segment, writeInterchange } from "@/lib/x12/write-x12";
import { startClearinghouseEmulator, type ClearinghouseEmulator } from "../src/clearinghouse";
import { readEmulatorConfig, ZEmulatorConfig } from "../src/config";
import { read837P } from "../src/read-837p";
import { adjudicateClaim, write835 } from "../src/responses";

const fixture = (name: string) => readFileSync(new URL(`../../lib/x12/__fixtures__/${name}`, import.meta.url), "utf8");
const claim837 = fixture("837p/patient-is-subscriber.x12");
const map835 = parseLoopMap(fixture("imsweb/mapping/835.5010.X221.A1.xml"));

const config = ZEmulatorConfig.parse({
  clearinghouseId: "CLEARINGHOUSE",
  remittanceDelaySeconds: 0,
  payers: [
    {
      payerId: "EXHP1",
      name: "EXAMPLE HEALTH PLAN",
      feeSchedule: { "99213": 9000, "87880": 1600 },
      requiredModifiers: { "87880": "QW" },
      deductibleCents: 2000,
      copayCents: 2500,
      coinsuranceBasisPoints: 2000,
      outOfPocketMaxCents: 100000,
    },
  ],
});

type Line = { code: string; modifiers?: string[]; chargeCents: number };

let nextInterchange = 500;
/**
 * The fixture 837P with its claim rewritten: its number, member, frequency (CLM05-3), REF*F8 and lines
 * (each 1 unit on 2026-11-30).
 */
function an837(claim: { number: string; memberId: string; frequency?: "1" | "7" | "8"; originalPayerClaimNumber?: string; lines: Line[] }): string {
  const interchange = String(++nextInterchange).padStart(9, "0");
  const total = claim.lines.reduce((sum, line) => sum + line.chargeCents, 0) / 100;
  const body = [
    `CLM*${claim.number}*${total}***11:B:${claim.frequency ?? "1"}*Y*A*Y*Y~`,
    ...(claim.originalPayerClaimNumber ? [`REF*F8*${claim.originalPayerClaimNumber}~`] : []),
    "HI*ABK:J069~",
    ...claim.lines.flatMap((line, index) => [
      `LX*${index + 1}~`,
      `SV1*${["HC", line.code, ...(line.modifiers ?? [])].join(":")}*${line.chargeCents / 100}*UN*1***1~`,
      "DTP*472*D8*20261130~",
    ]),
  ];
  const start = claim837.indexOf("\nCLM*") + 1;
  const end = claim837.indexOf("\nSE*") + 1;
  const text = `${claim837.slice(0, start)}${body.join("\n")}\n${claim837.slice(end)}`;
  // ST to SE, both counted: the segments before SE, plus SE.
  const count = text.slice(text.indexOf("\nST*"), text.indexOf("\nSE*")).split("~").length;
  return text.replaceAll("000000041", interchange).replace("MI*XYZ123456789~", `MI*${claim.memberId}~`).replace("SE*24*0001", `SE*${count}*0001`);
}

let dataDir: string;
let emulator: ClearinghouseEmulator;
let sftp: ClearinghouseSftp;
let fileNumber = 0;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "clearinghouse-emulator-reversals-"));
  emulator = await startClearinghouseEmulator({ dataDir, config });
  const keys = generateSshKeyPair();
  emulator.addAccount({ username: "CAREBILLDEMO", publicKey: keys.public });
  sftp = await connectClearinghouseSftp({
    host: "127.0.0.1",
    port: emulator.port,
    username: "CAREBILLDEMO",
    privateKey: keys.private,
    hostKeySha256: emulator.hostKeySha256,
  });
});

afterAll(async () => {
  await sftp?.end();
  await emulator?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** Puts a file in the inbox and returns what the outbox holds once `count` new answers are there (then archives them). */
async function exchange(content: string, count: number): Promise<Map<string, string>> {
  await sftp.put("/inbox", `file-${++fileNumber}.x12`, content);
  let files = await sftp.list("/outbox");
  await expect.poll(async () => (files = await sftp.list("/outbox")).length, { timeout: 20_000, interval: 100 }).toBe(count);
  const answers = new Map<string, string>();
  for (const file of files) {
    answers.set(file.name.split(".")[1]!, await sftp.get(file.path));
    await sftp.archive("/outbox", file);
  }
  return answers;
}

/** The 835's segments from the first CLP on, as written (elements joined by *). */
function claimSegments(remittance: string): string[] {
  const segments = readX12(remittance).segments;
  const first = segments.findIndex((each) => each.id === "CLP");
  return segments
    .slice(first)
    .filter((each) => !["SE", "GE", "IEA"].includes(each.id))
    .map((each) => [each.id, ...each.elements].join("*"));
}

const bprOf = (remittance: string) =>
  readX12(remittance)
    .segments.find((each) => each.id === "BPR")!
    .elements.slice(0, 4);

/** Both checks every 835 must pass: the 835 map's structure and Carebill's own balance check. */
function expectValid835(remittance: string) {
  expect(checkStructure(remittance, map835)).toEqual([]);
  expect(check835Balance(read835(remittance))).toEqual([]);
}

function payerClaimNumberOf(answers: Map<string, string>): string {
  const claim = read277CA(answers.get("277CA")!).claims[0]!;
  expect(claim.outcome).toBe("accepted");
  return claim.payerClaimControlNumber!;
}

/** The member's remaining deductible and out-of-pocket (EB*C and EB*G with EB06 29) from the emulator's 271. */
async function remaining(memberId: string): Promise<{ deductible: string; outOfPocket: string }> {
  const request = writeInterchange(
    {
      sender: { qualifier: "ZZ", id: "CAREBILLDEMO" },
      receiver: { qualifier: "ZZ", id: "CLEARINGHOUSE" },
      applicationSenderCode: "CAREBILLDEMO",
      applicationReceiverCode: "CLEARINGHOUSE",
      interchangeControlNumber: ++nextInterchange,
      groupControlNumber: nextInterchange,
      functionalIdentifier: "HS",
      implementationReference: "005010X279A1",
      usage: "T",
      acknowledgmentRequested: false,
      createdAt: new Date("2026-12-06T10:00:00Z"),
    },
    [
      {
        transactionSetId: "270",
        controlNumber: 1,
        segments: [
          segment("BHT", "0022", "13", "TRACE-1", "20261206", "1000"),
          segment("HL", "1", null, "20", "1"),
          segment("NM1", "PR", "2", "EXAMPLE HEALTH PLAN", null, null, null, null, "PI", "EXHP1"),
          segment("HL", "2", "1", "21", "1"),
          segment("NM1", "1P", "2", "EXAMPLE FAMILY CLINIC", null, null, null, null, "XX", "1234567893"),
          segment("HL", "3", "2", "22", "0"),
          segment("TRN", "1", `ELIG-${memberId}`, "9CAREBILL"),
          segment("NM1", "IL", "1", "DOE", "JANE", null, null, null, "MI", memberId),
          segment("DMG", "D8", "19800412"),
          segment("DTP", "291", "D8", "20261206"),
          segment("EQ", "30"),
        ],
      },
    ],
  );
  const benefits = readX12((await exchange(request, 1)).get("271")!).segments.filter((each) => each.id === "EB" && elementOf(each, 6) === "29");
  return {
    deductible: elementOf(
      benefits.find((each) => elementOf(each, 1) === "C")!,
      7,
    ),
    outOfPocket: elementOf(
      benefits.find((each) => elementOf(each, 1) === "G")!,
      7,
    ),
  };
}

describe("a line whose code requires a modifier it lacks", () => {
  it("is denied (CO-4, LQ*HE*M20, no AMT*B6) and uses none of the co-pay, deductible or coinsurance, which the next line bears", async () => {
    const answers = await exchange(
      an837({
        number: "CB-000301",
        memberId: "DENY0001",
        lines: [
          { code: "87880", chargeCents: 3000 },
          { code: "99213", chargeCents: 15_000 },
        ],
      }),
      3,
    );
    const remittance = answers.get("835")!;
    expectValid835(remittance);
    const pcn = payerClaimNumberOf(answers);
    // 99213: allowed 90.00, co-pay 25.00, deductible 20.00, coinsurance 20 % of 45.00 = 9.00, paid 36.00.
    expect(claimSegments(remittance)).toEqual([
      `CLP*CB-000301*1*180*36*54*12*${pcn}*11*1`,
      "NM1*QC*1*DOE*JANE****MI*DENY0001",
      "SVC*HC:87880*30*0**1",
      "DTM*472*20261130",
      "CAS*CO*4*30",
      "LQ*HE*M20",
      "SVC*HC:99213*150*36**1",
      "DTM*472*20261130",
      "CAS*CO*45*60",
      "CAS*PR*1*20**2*9**3*25",
      "AMT*B6*90",
    ]);
    expect(bprOf(remittance)).toEqual(["I", "36", "C", "CHK"]);
  });

  it("with the modifier (87880-QW) is paid by the fee schedule", async () => {
    const answers = await exchange(an837({ number: "CB-000302", memberId: "QW000001", lines: [{ code: "87880", modifiers: ["QW"], chargeCents: 3000 }] }), 3);
    const remittance = answers.get("835")!;
    expectValid835(remittance);
    // Allowed 16.00, all of it to the co-pay (25.00): the patient owes 16.00, nothing paid, still status 1.
    expect(claimSegments(remittance).slice(0, 1)).toEqual([`CLP*CB-000302*1*30*0*16*12*${payerClaimNumberOf(answers)}*11*1`]);
    expect(claimSegments(remittance).slice(2)).toEqual(["SVC*HC:87880:QW*30*0**1", "DTM*472*20261130", "CAS*CO*45*14", "CAS*PR*3*16", "AMT*B6*16"]);
  });

  it("denies the whole claim with status 4 and a zero BPR (H/NON) when every line is denied", () => {
    const [claim] = read837P(an837({ number: "CB-000303", memberId: "DENY0002", lines: [{ code: "87880", chargeCents: 3000 }] })).transactionSets[0]!.claims;
    const payer = config.payers[0]!;
    const member = { deductibleMetCents: 0, outOfPocketMetCents: 0 };
    const adjudicated = adjudicateClaim({ claim: claim!, accepted: true, statuses: [], payer, payerClaimNumber: "PCN0000000099" }, member);
    expect(member).toEqual({ deductibleMetCents: 0, outOfPocketMetCents: 0 });
    const remittance = write835(
      config,
      { submitterId: "CAREBILLDEMO", interchangeControlNumber: 77, createdAt: new Date("2026-12-06T10:00:00Z"), usage: "T" },
      { name: "EXAMPLE FAMILY CLINIC", npi: "1234567893" },
      [adjudicated],
      "CHK000000077",
    );
    expectValid835(remittance);
    expect(claimSegments(remittance)[0]).toBe("CLP*CB-000303*4*30*0*0*12*PCN0000000099*11*1");
    expect(bprOf(remittance)).toEqual(["H", "0", "C", "NON"]);
  });

  it("is configured for Blue Cross Blue Shield's 87880 in the shipped config.json", () => {
    const shipped = readEmulatorConfig();
    expect(shipped.payers.find((payer) => payer.payerId === "00590")!.requiredModifiers).toEqual({ "87880": "QW" });
    expect(shipped.payers.find((payer) => payer.payerId === "60054")!.requiredModifiers).toEqual({});
  });
});

describe("a corrected (7) or void (8) claim", () => {
  it("reads CLM05-3 and the 2300 REF*F8", () => {
    const [claim] = read837P(
      an837({
        number: "CB-000304",
        memberId: "READ0001",
        frequency: "7",
        originalPayerClaimNumber: "PCN0000000042",
        lines: [{ code: "99213", chargeCents: 15_000 }],
      }),
    ).transactionSets[0]!.claims;
    expect(claim).toMatchObject({ frequencyCode: "7", originalPayerClaimNumber: "PCN0000000042" });
    const [original] = read837P(claim837).transactionSets[0]!.claims;
    expect(original).toMatchObject({ frequencyCode: "1", originalPayerClaimNumber: null });
  });

  it("is answered with the reversal of the original first, then the correction adjudicated with the original's deductible given back; a void with the reversal only", async () => {
    const member = "CORR0001";
    const first = await exchange(
      an837({
        number: "CB-000401",
        memberId: member,
        lines: [
          { code: "99213", chargeCents: 15_000 },
          { code: "87880", chargeCents: 3000 },
        ],
      }),
      3,
    );
    const originalPcn = payerClaimNumberOf(first);
    expectValid835(first.get("835")!);
    expect(claimSegments(first.get("835")!)[0]).toBe(`CLP*CB-000401*1*180*36*54*12*${originalPcn}*11*1`);
    expect(await remaining(member)).toEqual({ deductible: "0", outOfPocket: "946" });

    const corrected = await exchange(
      an837({
        number: "CB-000402",
        memberId: member,
        frequency: "7",
        originalPayerClaimNumber: originalPcn,
        lines: [
          { code: "99213", chargeCents: 15_000 },
          { code: "87880", modifiers: ["QW"], chargeCents: 3000 },
        ],
      }),
      3,
    );
    const correctedPcn = payerClaimNumberOf(corrected);
    const remittance = corrected.get("835")!;
    expectValid835(remittance);
    expect(claimSegments(remittance)).toEqual([
      // The original, taken back: every amount negated, CLP07 its payer claim number.
      `CLP*CB-000401*22*-180*-36*-54*12*${originalPcn}*11*1`,
      `NM1*QC*1*DOE*JANE****MI*${member}`,
      "SVC*HC:99213*-150*-36**1",
      "DTM*472*20261130",
      "CAS*CO*45*-60",
      "CAS*PR*1*-20**2*-9**3*-25",
      "AMT*B6*-90",
      "SVC*HC:87880*-30*0**1",
      "DTM*472*20261130",
      "CAS*CO*4*-30",
      "LQ*HE*M20",
      // The correction, with the deductible given back: 99213 pays 36.00 again (not 52.00), 87880-QW
      // allowed 16.00, coinsurance 3.20, paid 12.80.
      `CLP*CB-000402*1*180*48.8*57.2*12*${correctedPcn}*11*1`,
      `NM1*QC*1*DOE*JANE****MI*${member}`,
      "SVC*HC:99213*150*36**1",
      "DTM*472*20261130",
      "CAS*CO*45*60",
      "CAS*PR*1*20**2*9**3*25",
      "AMT*B6*90",
      "SVC*HC:87880:QW*30*12.8**1",
      "DTM*472*20261130",
      "CAS*CO*45*14",
      "CAS*PR*2*3.2",
      "AMT*B6*16",
    ]);
    // BPR02 = the sum of CLP04: −36.00 + 48.80.
    expect(bprOf(remittance)).toEqual(["I", "12.8", "C", "CHK"]);
    const read = read835(remittance).remittances[0]!;
    expect(read.claims.map((claim) => [claim.patientControlNumber, claim.statusCode, claim.paidCents])).toEqual([
      ["CB-000401", "22", -3600],
      ["CB-000402", "1", 4880],
    ]);
    expect(await remaining(member)).toEqual({ deductible: "0", outOfPocket: "942.8" });

    const voided = await exchange(
      an837({
        number: "CB-000403",
        memberId: member,
        frequency: "8",
        originalPayerClaimNumber: correctedPcn,
        lines: [
          { code: "99213", chargeCents: 15_000 },
          { code: "87880", modifiers: ["QW"], chargeCents: 3000 },
        ],
      }),
      3,
    );
    payerClaimNumberOf(voided);
    const voidRemittance = voided.get("835")!;
    expectValid835(voidRemittance);
    const voidClaims = claimSegments(voidRemittance).filter((each) => each.startsWith("CLP"));
    expect(voidClaims).toEqual([`CLP*CB-000402*22*-180*-48.8*-57.2*12*${correctedPcn}*11*1`]);
    // Only a take-back: a debit (BPR03 D) of 48.80, nothing sent by check.
    expect(bprOf(voidRemittance)).toEqual(["I", "48.8", "D", "NON"]);
    expect(read835(voidRemittance).remittances[0]!.payment).toMatchObject({ creditDebit: "D", totalCents: 4880 });
    // Every claim reversed: the member has the whole deductible (20.00) and out-of-pocket (1000.00) again.
    expect(await remaining(member)).toEqual({ deductible: "20", outOfPocket: "1000" });
  });

  it("is rejected by the 277CA (A7:464, payer claim control number) when its REF*F8 names no adjudication, or one already reversed", async () => {
    const unknown = await exchange(
      an837({
        number: "CB-000501",
        memberId: "CORR0002",
        frequency: "7",
        originalPayerClaimNumber: "PCN9999999999",
        lines: [{ code: "99213", chargeCents: 15_000 }],
      }),
      2,
    );
    const rejected = read277CA(unknown.get("277CA")!).claims[0]!;
    expect(rejected.outcome).toBe("rejected");
    expect(rejected.statuses.map((each) => `${each.categoryCode}:${each.statusCode}`)).toEqual(["A7:464"]);
    expect(rejected.payerClaimControlNumber).toBeNull();

    const noReference = await exchange(
      an837({ number: "CB-000502", memberId: "CORR0002", frequency: "8", lines: [{ code: "99213", chargeCents: 15_000 }] }),
      2,
    );
    expect(read277CA(noReference.get("277CA")!).claims[0]!.outcome).toBe("rejected");

    const original = await exchange(an837({ number: "CB-000503", memberId: "CORR0002", lines: [{ code: "99213", chargeCents: 15_000 }] }), 3);
    const pcn = payerClaimNumberOf(original);
    const voidOnce = await exchange(
      an837({ number: "CB-000504", memberId: "CORR0002", frequency: "8", originalPayerClaimNumber: pcn, lines: [{ code: "99213", chargeCents: 15_000 }] }),
      3,
    );
    expect(claimSegments(voidOnce.get("835")!)[0]).toMatch(/^CLP\*CB-000503\*22\*-150\*/);
    const voidTwice = await exchange(
      an837({ number: "CB-000505", memberId: "CORR0002", frequency: "8", originalPayerClaimNumber: pcn, lines: [{ code: "99213", chargeCents: 15_000 }] }),
      2,
    );
    expect(read277CA(voidTwice.get("277CA")!).claims[0]!.statuses.map((each) => `${each.categoryCode}:${each.statusCode}`)).toEqual(["A7:464"]);
  });
});
