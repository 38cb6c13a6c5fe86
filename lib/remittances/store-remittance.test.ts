import { describe, expect, it } from "vitest";
import { readEmulatorConfig } from "@/clearinghouse-emulator/src/config";
import { read837P } from "@/clearinghouse-emulator/src/read-837p";
import { adjudicateClaim, write835 } from "@/clearinghouse-emulator/src/responses";
import { importClearinghouseFile } from "@/lib/clearinghouse/import-file";
import { createClaimFromVisit } from "@/lib/claims/create-claim";
import { createClaimBatch } from "@/lib/claims/submit-claims";
import { validateClaim } from "@/lib/claims/validate-claim";
import { recordVisit } from "@/lib/claims/visits";
import { addDays, todayIn } from "@/lib/invoices/dates";
import { readdress, sampleFile } from "@/tests/clearinghouse-files";
import { BILLING_NPI, createTestPayer, createTestBillingClinic, type TestBillingClinic } from "@/tests/insurance-fixtures";
import { setupTestDatabase } from "@/tests/test-database";
import { listClaimRemittances } from "./list-remittances";

const database = setupTestDatabase();
const EMULATOR = readEmulatorConfig(new URL("../../clearinghouse-emulator/config.json", import.meta.url));
const AETNA = EMULATOR.payers.find((payer) => payer.payerId === "60054")!;
let nextInterchange = 700;

const clinic = () => createTestBillingClinic(database.db);
type Clinic = TestBillingClinic;

const SERVICE_DATE = addDays(todayIn("America/New_York"), -3);

/** One claim (99213-25 at 175.00… split as 150.00 + 36415 at 25.00), recorded, validated and sent in an 837 batch. */
async function submittedClaim(c: Clinic) {
  const visit = await recordVisit(database.db, {
    organizationId: c.organizationId,
    actor: c.actor,
    patientId: c.patient.id,
    input: {
      serviceDate: SERVICE_DATE,
      renderingProviderId: c.provider.id,
      diagnoses: ["J06.9"],
      charges: [
        { procedureCode: "99213", modifiers: ["25"], units: 1, chargeAmount: 15_000, diagnosisPointers: [1] },
        { procedureCode: "36415", units: 1, chargeAmount: 2_500, diagnosisPointers: [1] },
      ],
    },
  });
  const claim = await createClaimFromVisit(database.db, { organizationId: c.organizationId, actor: c.actor, visitId: visit.id });
  expect((await validateClaim(database.db, { organizationId: c.organizationId, actor: c.actor, claimId: claim.id })).problems).toEqual([]);
  const batch = await createClaimBatch(database.db, { organizationId: c.organizationId, actor: c.actor, claimIds: [claim.id], channel: "download" });
  const { content } = await database.db.claimBatch.findUniqueOrThrow({ where: { id: batch.id }, select: { content: true } });
  const lines = await database.db.claimLine.findMany({ where: { claimId: claim.id }, orderBy: { position: "asc" } });
  return { claim, content, lines };
}

/**
 * The emulator's 835 for the 837 (its own reader and adjudication, README "Adjudication"), as Aetna
 * with this year's deductible already met: 99213 allowed 90.00 (CO-45 60.00), co-pay 25.00 (PR-3),
 * 20 % coinsurance 13.00 (PR-2), paid 52.00; 36415 allowed 3.00 (CO-45 22.00), coinsurance 0.60,
 * paid 2.40. The claim: charged 175.00, paid 54.40, patient 38.60.
 */
function emulator835(c: Clinic, the837: string, interchangeControlNumber: number): string {
  const submitted = read837P(the837).transactionSets.flatMap((set) => set.claims);
  const adjudicated = submitted.map((claim) =>
    adjudicateClaim(
      { claim, accepted: true, statuses: [], payer: AETNA, payerClaimNumber: "PCN0000000001" },
      { deductibleMetCents: AETNA.deductibleCents, outOfPocketMetCents: AETNA.deductibleCents },
    ),
  );
  return write835(
    EMULATOR,
    { submitterId: c.submitterId, interchangeControlNumber, createdAt: new Date("2026-12-01T12:00:00Z"), usage: "T" },
    { name: "EXAMPLE FAMILY CLINIC", npi: BILLING_NPI },
    adjudicated,
    `CHK${String(interchangeControlNumber).padStart(9, "0")}`,
  );
}

/** Replaces exactly one occurrence (the test fails loudly if the emulator's output changes). */
function edit(text: string, from: string, to: string): string {
  expect(text.split(from)).toHaveLength(2);
  return text.replace(from, to);
}

/** The 835 as if the payer's id (REF*2U) were `payerId`. */
const withPayerId = (text: string, payerId: string) => edit(text, `REF*2U*${AETNA.payerId}~`, `REF*2U*${payerId}~`);

const importFile = (c: Clinic, fileName: string, content: string) =>
  importClearinghouseFile(database.db, { organizationId: c.organizationId, actor: c.actor, fileName, content, source: "upload" });

/** What posting would change: none of it may move when a remittance is only stored. */
async function postingFootprint(c: Clinic) {
  const where = { organizationId: c.organizationId };
  return {
    claims: (await database.db.claim.findMany({ where, select: { status: true }, orderBy: { number: "asc" } })).map((row) => row.status),
    claimEvents: await database.db.claimEvent.count({ where }),
    journals: await database.db.journalEntry.count({ where }),
    invoices: await database.db.invoice.count({ where }),
  };
}

async function storedRemittances(organizationId: string) {
  return database.db.remittance.findMany({
    where: { organizationId },
    orderBy: { createdAt: "asc" },
    include: {
      providerAdjustments: { orderBy: { position: "asc" } },
      claims: {
        orderBy: { position: "asc" },
        // Claim-level adjustments here; each line carries its own.
        include: {
          adjustments: { where: { remittanceLineId: null }, orderBy: { position: "asc" } },
          lines: { orderBy: { position: "asc" }, include: { adjustments: true } },
        },
      },
    },
  });
}

describe("storing the emulator's 835 for a submitted claim", () => {
  it("stores the payment, the claim payment matched to the claim, each line matched to its claim line, with the amounts; from a payer not the clinic's, it is held, nothing posted", async () => {
    const c = await clinic();
    const { claim, content, lines } = await submittedClaim(c);
    const before = await postingFootprint(c);
    const result = await importFile(c, "remit.835", emulator835(c, content, nextInterchange++));

    expect(result.kind).toBe("835");
    const [remittance, ...others] = await storedRemittances(c.organizationId);
    expect(others).toEqual([]);
    expect(remittance).toMatchObject({
      clearinghouseFileId: result.fileId,
      payerId: null, // REF*2U 60054 and TRN03 (Aetna's tax id) are not this clinic's payer ids: the claim still matches by its number
      payerName: "AETNA",
      payerIdentifier: "60054",
      traceOriginatorId: `1${AETNA.taxId}`,
      totalAmount: 5_440,
      paymentMethod: "CHK",
      payeeNpi: BILLING_NPI,
      status: "received",
      imbalances: [],
      providerAdjustments: [],
    });
    expect(remittance!.paidOn?.toISOString().slice(0, 10)).toBe("2026-12-01");
    const [payment] = remittance!.claims;
    expect(payment).toMatchObject({
      claimId: claim.id,
      status: "held",
      heldReason: "AETNA is not one of this clinic's payers (no payer has the id 60054). Add it in Settings → Payers, then post this payment again.",
      unmatchedReason: null,
      patientControlNumber: claim.displayNumber,
      statusCode: "1",
      chargeAmount: 17_500,
      paidAmount: 5_440,
      patientResponsibility: 3_860,
      payerClaimControlNumber: "PCN0000000001",
      adjustments: [],
    });
    expect(
      payment!.lines.map((line) => ({
        claimLineId: line.claimLineId,
        code: [line.procedureCode, ...line.modifiers].join("-"),
        charge: line.chargeAmount,
        paid: line.paidAmount,
        allowed: line.allowedAmount,
        date: line.serviceDate?.toISOString().slice(0, 10),
        adjustments: line.adjustments.map((adjustment) => `${adjustment.groupCode}-${adjustment.reasonCode} ${adjustment.amount}`).sort(),
      })),
    ).toEqual([
      {
        claimLineId: lines[0]!.id,
        code: "99213-25",
        charge: 15_000,
        paid: 5_200,
        allowed: 9_000,
        date: SERVICE_DATE,
        adjustments: ["CO-45 6000", "PR-2 1300", "PR-3 2500"],
      },
      { claimLineId: lines[1]!.id, code: "36415", charge: 2_500, paid: 240, allowed: 300, date: SERVICE_DATE, adjustments: ["CO-45 2200", "PR-2 60"] },
    ]);

    expect(result.summary).toEqual([
      {
        message: `Payment CHK000000${nextInterchange - 1} from AETNA (not matched to a payer of this clinic: none has the id 60054 (REF*2U) or 1${AETNA.taxId} (TRN03)): $54.40 by check on 2026-12-01, 1 claim (1 matched to this clinic's claims). Stored.`,
      },
      {
        claimId: claim.id,
        message: `Claim ${claim.displayNumber}: processed as primary. Charged $175.00, the payer paid $54.40, adjusted $82.00 (CO-45 $82.00), the patient's share $38.60 (PR-2 $13.60, PR-3 $25.00). Matched to the claim.`,
      },
      {
        claimId: claim.id,
        message: "Not posted: AETNA is not one of this clinic's payers (no payer has the id 60054). Add it in Settings → Payers, then post this payment again.",
      },
    ]);
    expect(await postingFootprint(c)).toEqual(before);

    // The claim's page lists this claim payment, its lines' adjustments in words.
    const [shown, ...more] = await listClaimRemittances(database.db, { organizationId: c.organizationId, claimId: claim.id });
    expect(more).toEqual([]);
    expect(shown).toMatchObject({
      remittance: { id: remittance!.id, status: "received", payerName: "AETNA", paidOn: "2026-12-01" },
      status: "held",
      claim: { id: claim.id, displayNumber: claim.displayNumber },
      statusDescription: "Processed as primary",
      chargeAmount: 17_500,
      paidAmount: 5_440,
      patientResponsibility: 3_860,
      adjustments: [],
    });
    expect(shown!.lines[0]!.adjustments.map((adjustment) => `${adjustment.groupCode}-${adjustment.reasonCode}: ${adjustment.group}`)).toEqual([
      "CO-45: Contractual obligation",
      "PR-2: Patient responsibility",
      "PR-3: Patient responsibility",
    ]);
    expect(shown!.lines[0]!.adjustments[2]!.reason).toMatch(/co-?payment/i);
    expect(await listClaimRemittances(database.db, { organizationId: (await clinic()).organizationId, claimId: claim.id })).toEqual([]);
  });

  it("the same payment in a new envelope (another ISA13) stores nothing new and says so", async () => {
    const c = await clinic();
    const { content } = await submittedClaim(c);
    const the835 = emulator835(c, content, nextInterchange++);
    const first = await importFile(c, "remit.835", the835);
    const again = await importFile(c, "remit-again.835", readdress(the835, { submitterId: c.submitterId, interchangeControlNumber: nextInterchange++ }));

    const stored = await storedRemittances(c.organizationId);
    expect(stored).toHaveLength(1);
    expect(stored[0]!.clearinghouseFileId).toBe(first.fileId);
    expect(again.summary).toEqual([
      {
        message: expect.stringMatching(
          /^Payment CHK\d{9} from AETNA \(\$54\.40\) was already stored from file remit\.835 on \d{4}-\d{2}-\d{2}; nothing new was stored\.$/,
        ),
      },
    ]);
    expect(await database.db.remittanceClaim.count({ where: { organizationId: c.organizationId } })).toBe(1);
  });

  it("a payment that does not add up is held for review with its imbalances in words, and nothing is posted", async () => {
    const c = await clinic();
    const { claim, content } = await submittedClaim(c);
    const before = await postingFootprint(c);
    const result = await importFile(c, "remit.835", edit(emulator835(c, content, nextInterchange++), "BPR*I*54.4*", "BPR*I*54*"));

    const [remittance] = await storedRemittances(c.organizationId);
    expect(remittance).toMatchObject({ status: "needs_review", totalAmount: 5_400 });
    expect(remittance!.imbalances).toEqual([
      {
        kind: "payment",
        patientControlNumber: null,
        lineNumber: null,
        message: expect.stringMatching(/^Payment CHK\d{9}: the payment is \$54\.00 \(BPR02\), but the claims paid \$54\.40, which makes \$54\.40/),
      },
    ]);
    expect(result.summary[0]!.message).toMatch(
      /It does not add up, so it is held for review and nothing from it will be posted until it is sorted out \(1 problem below\)\.$/,
    );
    expect(result.summary[1]!.message).toMatch(/^Does not add up: Payment CHK\d{9}: the payment is \$54\.00/);
    // The claim payment still shows which claim it is about; matched is not posted.
    expect(remittance!.claims.map((row) => [row.claimId, row.status])).toEqual([[claim.id, "matched"]]);
    expect(await postingFootprint(c)).toEqual(before);
  });

  it("a payer that dropped a modifier still pays the claim line (code, date and charge agree); a line that agrees with none is kept unmatched", async () => {
    const c = await clinic();
    const { content, lines } = await submittedClaim(c);
    const the835 = emulator835(c, content, nextInterchange++);
    const component = the835.charAt(104); // ISA16
    let edited = edit(the835, `SVC*HC${component}99213${component}25*`, `SVC*HC${component}99213*`);
    // 36415 paid as 36416 with no SVC06: no claim line has that code.
    edited = edit(edited, `SVC*HC${component}36415*`, `SVC*HC${component}36416*`);
    await importFile(c, "remit.835", edited);

    const [remittance] = await storedRemittances(c.organizationId);
    const [first, second] = remittance!.claims[0]!.lines;
    expect([first!.procedureCode, first!.modifiers, first!.claimLineId]).toEqual(["99213", [], lines[0]!.id]);
    expect([second!.procedureCode, second!.claimLineId]).toEqual(["36416", null]);
    // Its adjustments stay on the line the payer put them on.
    expect(second!.adjustments.map((adjustment) => `${adjustment.groupCode}-${adjustment.reasonCode} ${adjustment.amount}`).sort()).toEqual([
      "CO-45 2200",
      "PR-2 60",
    ]);
  });
});

describe("claim payments that are not this clinic's claim", () => {
  it("a claim of another clinic is not matched (its number is not one of this clinic's claims)", async () => {
    const a = await clinic();
    const b = await clinic();
    const { content } = await submittedClaim(a);
    const result = await importFile(b, "remit.835", emulator835(b, content, nextInterchange++));

    const [remittance] = await storedRemittances(b.organizationId);
    const [payment] = remittance!.claims;
    expect(payment).toMatchObject({ claimId: null, status: "unmatched", unmatchedReason: "Claim CLM-000001 is not a claim of this clinic." });
    expect(payment!.lines.map((line) => line.claimLineId)).toEqual([null, null]);
    expect(result.summary[1]).toEqual({ message: expect.stringMatching(/Not matched: Claim CLM-000001 is not a claim of this clinic\.$/) });
    expect(await database.db.remittance.count({ where: { organizationId: a.organizationId } })).toBe(0);
  });

  it("a payment from another of the clinic's payers (REF*2U) does not match the claim, and says whom it was billed to; the claim's own payer does", async () => {
    const c = await clinic();
    const other = await createTestPayer(database.db, { organizationId: c.organizationId, name: "OTHER PLAN", payerId: "87726" });
    const { claim, content } = await submittedClaim(c);
    await importFile(c, "other.835", withPayerId(emulator835(c, content, nextInterchange++), "87726"));
    await importFile(c, "ours.835", withPayerId(emulator835(c, content, nextInterchange++), c.payer.payerId));

    const [fromOther, fromOurs] = await storedRemittances(c.organizationId);
    expect(fromOther).toMatchObject({ payerId: other.id, payerIdentifier: "87726" });
    expect(fromOther!.claims[0]).toMatchObject({
      claimId: null,
      status: "unmatched",
      unmatchedReason: `${claim.displayNumber} was billed to EXAMPLE HEALTH PLAN (payer ${c.payer.payerId}), but this payment comes from OTHER PLAN (payer 87726).`,
    });
    expect(fromOurs).toMatchObject({ payerId: c.payer.id });
    expect(fromOurs!.claims[0]).toMatchObject({ claimId: claim.id, status: "posted" });
  });

  it("a claim not sent yet is not matched", async () => {
    const c = await clinic();
    const { content } = await submittedClaim(c);
    await database.db.claim.updateMany({ where: { organizationId: c.organizationId }, data: { status: "ready" } });
    await importFile(c, "remit.835", emulator835(c, content, nextInterchange++));
    const [remittance] = await storedRemittances(c.organizationId);
    expect(remittance!.claims[0]).toMatchObject({ status: "unmatched", unmatchedReason: "CLM-000001 has not been sent to the payer yet (it is ready)." });
  });
});

describe("public 835 samples, stored with hand-checked amounts", () => {
  it("tastypackets profee.edi: 45.75 by ACH, three claim payments (none ours), CO-29 and CO-251 with N206 on their lines", async () => {
    const c = await clinic();
    const result = await importFile(
      c,
      "profee.edi",
      readdress(sampleFile("tastypackets/profee.edi"), { submitterId: c.submitterId, interchangeControlNumber: nextInterchange++ }),
    );
    const [remittance] = await storedRemittances(c.organizationId);
    expect(remittance).toMatchObject({
      transactionSetControlNumber: "1740",
      payerName: "NYSDOH",
      payerIdentifier: null,
      traceOriginatorId: "1000000000",
      traceNumber: "10100000000",
      totalAmount: 4_575,
      handlingCode: "I",
      paymentMethod: "ACH",
      payeeName: "MAJOR MEDICAL PROVIDER",
      payeeNpi: "9999999995",
      status: "received",
    });
    expect(
      remittance!.claims.map((row) => [row.statusCode, row.chargeAmount, row.paidAmount, row.patientResponsibility, row.status, row.unmatchedReason]),
    ).toEqual([
      ["1", 3_425, 3_425, null, "unmatched", '"PATIENT ACCOUNT NUMBER" (CLP01) is not a Carebill claim number.'],
      ["2", 3_400, 0, null, "unmatched", '"PATIENT ACCOUNT NUMBER" (CLP01) is not a Carebill claim number.'],
      ["2", 3_425, 1_150, null, "unmatched", '"PATIENT ACCOUNT NUMBER" (CLP01) is not a Carebill claim number.'],
    ]);
    const lineSummary = (row: NonNullable<typeof remittance>["claims"][number]) =>
      row.lines.map((line) =>
        [
          [line.procedureCode, ...line.modifiers].join("-"),
          line.chargeAmount,
          line.paidAmount,
          line.units.toString(),
          line.serviceDate?.toISOString().slice(0, 10),
          line.adjustments.map((adjustment) => `${adjustment.groupCode}-${adjustment.reasonCode} ${adjustment.amount}`).join(" "),
          line.remarkCodes.join(" "),
        ].join(" | "),
      );
    expect(lineSummary(remittance!.claims[0]!)).toEqual([
      "V2020-RB | 600 | 600 | 1 | 2010-01-01 |  | ",
      "V2700-RB | 275 | 275 | 1 | 2010-01-01 |  | ",
      "V2103-RB | 550 | 550 | 1 | 2010-01-01 |  | ",
      "S0580 | 2000 | 2000 | 2 | 2010-01-01 |  | ",
    ]);
    expect(lineSummary(remittance!.claims[1]!)).toEqual([
      "V2020 | 1200 | 0 | 0 | 2010-01-01 | CO-29 1200 | ",
      "V2103 | 2200 | 0 | 0 | 2010-01-01 | CO-29 2200 | ",
    ]);
    expect(lineSummary(remittance!.claims[2]!)).toEqual([
      "V2020-RB | 600 | 600 | 1 | 2010-01-01 |  | ",
      "V2103-RB | 550 | 550 | 1 | 2013-09-17 |  | ",
      "V2700-RB | 275 | 0 | 0 | 2010-01-01 | CO-251 275 | N206",
      "S0580 | 2000 | 0 | 0 | 2010-01-01 | CO-251 2000 | N206",
    ]);
    expect(result.summary[0]!.message).toBe(
      "Payment 10100000000 from NYSDOH (not matched to a payer of this clinic: none has the id 1000000000 (TRN03)): $45.75 by automated clearing house (ACH) transfer on 2010-01-01, 3 claims (0 matched to this clinic's claims). Stored.",
    );
    expect(result.summary[2]!.message).toBe(
      'Claim PATIENT ACCOUNT NUMBER: processed as secondary. Charged $34.00, the payer paid $0.00, adjusted $34.00 (CO-29 $34.00), the patient\'s share $0.00. Not matched: "PATIENT ACCOUNT NUMBER" (CLP01) is not a Carebill claim number.',
    );
  });

  it("linuxforhealth medicare-part-a.835: 150,000.00, the payer matched by REF*2U, claim-level CO-45 kept at claim level, the PLB adding 1.27", async () => {
    const c = await clinic();
    const payer = await createTestPayer(database.db, { organizationId: c.organizationId, name: "TIMBUCKTU", payerId: "999" });
    await importFile(
      c,
      "medicare.835",
      readdress(sampleFile("linuxforhealth/835/medicare-part-a.835"), { submitterId: c.submitterId, interchangeControlNumber: nextInterchange++ }),
    );
    const [remittance] = await storedRemittances(c.organizationId);
    expect(remittance).toMatchObject({
      payerId: payer.id,
      payerIdentifier: "999",
      traceNumber: "12345",
      traceOriginatorId: "1512345678",
      totalAmount: 15_000_000,
      status: "received",
    });
    expect(remittance!.producedOn?.toISOString().slice(0, 10)).toBe("2002-09-16");
    expect(remittance!.providerAdjustments.map((row) => [row.providerId, row.reasonCode, row.reference, row.amount])).toEqual([
      ["6543210903", "CV", "CP", -127],
    ]);
    expect(
      remittance!.claims.map((row) => [
        row.patientControlNumber,
        row.chargeAmount,
        row.paidAmount,
        row.filingIndicator,
        row.patientName,
        row.remarkCodes,
        row.lines.length,
        row.adjustments.map((adjustment) => [adjustment.remittanceLineId, adjustment.groupCode, adjustment.reasonCode, adjustment.amount]),
      ]),
    ).toEqual([
      ["666123", 21_136_697, 13_801_840, "MA", "JONES, SAM", [], 0, [[null, "CO", "45", 7_334_857]]],
      ["777777", 1_500_000, 1_198_033, "MB", "BORDER, LIZ", ["MA02"], 0, [[null, "CO", "45", 301_967]]],
    ]);
  });
});
