import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectClearinghouseSftp, type ClearinghouseSftp } from "@/lib/clearinghouse/sftp";
import { check835Balance } from "@/lib/x12/check-835-balance";
import { checkStructure } from "@/lib/x12/check-structure";
import { parseLoopMap } from "@/lib/x12/loop-map";
import { read277CA } from "@/lib/x12/read-277ca";
import { read835 } from "@/lib/x12/read-835";
import { read999 } from "@/lib/x12/read-999";
import { elementOf, readX12 } from "@/lib/x12/read-x12";
import { segment, writeInterchange } from "@/lib/x12/write-x12";
import { startClearinghouseEmulator, type ClearinghouseEmulator } from "../src/clearinghouse";
import { ZEmulatorConfig } from "../src/config";
import { generateSshKeyPair } from "@/lib/clearinghouse/ssh-keys";

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
      feeSchedule: { "99213": 9000 },
      deductibleCents: 2000,
      copayCents: 2500,
      coinsuranceBasisPoints: 2000,
      outOfPocketMaxCents: 100000,
      inactiveMemberIds: ["GONE01"],
    },
  ],
});

let dataDir: string;
let emulator: ClearinghouseEmulator;
let sftp: ClearinghouseSftp;
let fileNumber = 0;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "clearinghouse-emulator-"));
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
  rmSync(dataDir, { recursive: true, force: true });
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

describe("the clearinghouse emulator over SFTP", () => {
  it("refuses a key it does not know", async () => {
    const stranger = generateSshKeyPair();
    await expect(
      connectClearinghouseSftp({ host: "127.0.0.1", port: emulator.port, username: "CAREBILLDEMO", privateKey: stranger.private, hostKeySha256: null }),
    ).rejects.toThrow(/authentication/i);
  });

  it("answers a valid 837P with an accepted 999, a 277CA accepting the claim with a payer claim number, then an 835 adjudicated by the fee schedule", async () => {
    const answers = await exchange(claim837, 3);
    expect([...answers.keys()]).toEqual(["999", "277CA", "835"]);

    const ack = read999(answers.get("999")!);
    expect(ack.receiverId).toBe("CAREBILLDEMO");
    expect(ack.acknowledgments[0]).toMatchObject({ groupControlNumber: "41", outcome: "accepted" });
    expect(ack.acknowledgments[0]!.transactionSets[0]).toMatchObject({ controlNumber: "0001", outcome: "accepted" });

    const status = read277CA(answers.get("277CA")!);
    expect(status.claims).toHaveLength(1);
    expect(status.claims[0]).toMatchObject({ patientControlNumber: "CB-000101", outcome: "accepted" });
    expect(status.claims[0]!.payerClaimControlNumber).toMatch(/^PCN\d{10}$/);

    // Charge 150.00, allowed 90.00 (fee schedule): co-pay 25.00, deductible 20.00, coinsurance 20 % of 45.00 = 9.00, paid 36.00.
    const remittance = answers.get("835")!;
    expect(checkStructure(remittance, map835)).toEqual([]);
    const segments = readX12(remittance).segments;
    const clp = segments.find((each) => each.id === "CLP")!;
    expect(clp.elements.slice(0, 5)).toEqual(["CB-000101", "1", "150", "36", "54"]);
    expect(elementOf(clp, 7)).toBe(status.claims[0]!.payerClaimControlNumber);
    expect(segments.filter((each) => each.id === "CAS").map((each) => each.elements.join("*"))).toEqual(["CO*45*60", "PR*1*20**2*9**3*25"]);
    expect(
      elementOf(
        segments.find((each) => each.id === "BPR")!,
        2,
      ),
    ).toBe("36");
    // Carebill's own reader agrees, and the emulator's arithmetic balances the way the 835 guide requires.
    const read = read835(remittance);
    expect(read.remittances[0]!.claims[0]).toMatchObject({
      patientControlNumber: "CB-000101",
      chargeCents: 15_000,
      paidCents: 3600,
      patientResponsibilityCents: 5400,
    });
    expect(check835Balance(read)).toEqual([]);

    // The deductible is met now: the same claim again pays more (co-pay 25, coinsurance 13, paid 52).
    const again = await exchange(claim837.replaceAll("000000041", "000000042").replaceAll("CB-000101", "CB-000102"), 3);
    const secondClaim = readX12(again.get("835")!).segments.find((each) => each.id === "CLP")!;
    expect(secondClaim.elements.slice(0, 5)).toEqual(["CB-000102", "1", "150", "52", "38"]);
  });

  it("rejects claims in the 277CA by the documented rules: unknown payer id, no subscriber member id, an NPI that fails its check digit", async () => {
    const unknownPayer = await exchange(claim837.replace("PI*EXHP1", "PI*NOSUCH"), 2);
    expect(read277CA(unknownPayer.get("277CA")!).claims[0]).toMatchObject({ outcome: "rejected" });
    expect(read277CA(unknownPayer.get("277CA")!).claims[0]!.statuses[0]).toMatchObject({ categoryCode: "A3", statusCode: "21", entityCode: "PR" });

    const noMember = await exchange(claim837.replace("MI*XYZ123456789~", "MI*000000000~"), 2);
    expect(read999(noMember.get("999")!).acknowledgments[0]!.outcome).toBe("accepted");
    expect(read277CA(noMember.get("277CA")!).claims[0]!.statuses.map((each) => `${each.categoryCode}:${each.statusCode}:${each.entityCode}`)).toEqual([
      "A6:164:IL",
    ]);

    const badNpi = await exchange(claim837.replace("XX*1234567893", "XX*1234567890"), 2);
    const rejected = read277CA(badNpi.get("277CA")!).claims[0]!;
    expect(rejected.outcome).toBe("rejected");
    expect(rejected.reasons.join(" ")).toMatch(/National Provider Identifier.*Billing provider/);
    expect(rejected.payerClaimControlNumber).toBeNull();
  });

  it("rejects an 837 with a syntax error in the 999 (no 277CA follows)", async () => {
    const answers = await exchange(claim837.replace(/NM1\*PR\*2\*EXAMPLE HEALTH PLAN\*\*\*\*\*PI\*EXHP1~\n/, "").replace("SE*24*0001", "SE*23*0001"), 1);
    const ack = read999(answers.get("999")!);
    expect(ack.acknowledgments[0]!.outcome).toBe("rejected");
    expect(ack.acknowledgments[0]!.transactionSets[0]!.outcome).toBe("rejected");
  });

  it("answers a 270 with a 271 echoing its trace number: active with the plan's benefits, or inactive", async () => {
    const request270 = (memberId: string) =>
      writeInterchange(
        {
          sender: { qualifier: "ZZ", id: "CAREBILLDEMO" },
          receiver: { qualifier: "ZZ", id: "CLEARINGHOUSE" },
          applicationSenderCode: "CAREBILLDEMO",
          applicationReceiverCode: "CLEARINGHOUSE",
          interchangeControlNumber: 900 + fileNumber,
          groupControlNumber: 900 + fileNumber,
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
    const active = readX12((await exchange(request270("XYZ123456789"), 1)).get("271")!).segments;
    expect(active.find((each) => each.id === "TRN")!.elements.slice(0, 2)).toEqual(["2", "ELIG-XYZ123456789"]);
    expect(
      active.filter((each) => each.id === "EB").map((each) => `${elementOf(each, 1)}/${elementOf(each, 6)}/${elementOf(each, 7)}/${elementOf(each, 8)}`),
    ).toEqual([
      "1///",
      "B/27/25/",
      "A/27//0.2",
      "C/23/20/",
      "C/29/0/", // the deductible was met by the claims above
      "G/23/1000/",
      expect.stringMatching(/^G\/29\/\d+\/$/),
    ]);
    const inactive = readX12((await exchange(request270("GONE01"), 1)).get("271")!).segments;
    expect(inactive.filter((each) => each.id === "EB").map((each) => elementOf(each, 1))).toEqual(["6"]);
  });
});
