import { describe, expect, it } from "vitest";
import { createClaimFromVisit } from "@/lib/claims/create-claim";
import { getClaimOrThrow } from "@/lib/claims/list-claims";
import { createClaimBatch } from "@/lib/claims/submit-claims";
import { validateClaim } from "@/lib/claims/validate-claim";
import { recordVisit } from "@/lib/claims/visits";
import { toAppError } from "@/lib/http/error-response";
import { addDays, todayIn } from "@/lib/invoices/dates";
import { readdress, sampleFile } from "@/tests/clearinghouse-files";
import { createTestOrganization } from "@/tests/factories";
import { BILLING_NPI, createTestBillingClinic, type TestBillingClinic } from "@/tests/insurance-fixtures";
import { setupTestDatabase } from "@/tests/test-database";
import { importClearinghouseFile } from "./import-file";
import { listClearinghouseFiles } from "./list-files";
import { saveClearinghouseSettings } from "./settings";

const database = setupTestDatabase();
let nextInterchange = 500;

const clinic = () => createTestBillingClinic(database.db);
type Clinic = TestBillingClinic;

/** `count` claims, recorded, validated and sent together in one 837 batch (download), so they are submitted. */
async function submittedBatch(c: Clinic, count: number) {
  const claims = [];
  for (let index = 0; index < count; index++) {
    const visit = await recordVisit(database.db, {
      organizationId: c.organizationId,
      actor: c.actor,
      patientId: c.patient.id,
      input: {
        serviceDate: addDays(todayIn("America/New_York"), -2),
        renderingProviderId: c.provider.id,
        diagnoses: ["J06.9"],
        charges: [{ procedureCode: "99213", units: 1, chargeAmount: 15_000 + index, diagnosisPointers: [1] }],
      },
    });
    const claim = await createClaimFromVisit(database.db, { organizationId: c.organizationId, actor: c.actor, visitId: visit.id });
    expect((await validateClaim(database.db, { organizationId: c.organizationId, actor: c.actor, claimId: claim.id })).problems).toEqual([]);
    claims.push(claim);
  }
  const batch = await createClaimBatch(database.db, {
    organizationId: c.organizationId,
    actor: c.actor,
    claimIds: claims.map((claim) => claim.id),
    channel: "download",
  });
  return { batch, claims };
}

const importFile = (c: Clinic, fileName: string, content: string) =>
  importClearinghouseFile(database.db, { organizationId: c.organizationId, actor: c.actor, fileName, content, source: "upload" });

const claimState = async (c: Clinic, claimId: string) => {
  const claim = await getClaimOrThrow(database.db, { organizationId: c.organizationId, claimId });
  return {
    status: claim.status,
    payerClaimNumber: claim.payerClaimNumber,
    reasons: claim.rejectionReasons.map((reason) => `${reason.source}: ${reason.message}`),
  };
};

/** Everything an import could have written, to show a refused one wrote nothing. */
async function footprint(c: Clinic) {
  const where = { organizationId: c.organizationId };
  return {
    files: await database.db.clearinghouseFile.count({ where }),
    events: await database.db.claimEvent.count({ where }),
    claims: (await database.db.claim.findMany({ where, select: { status: true, payerClaimNumber: true }, orderBy: { number: "asc" } })).map(
      (row) => `${row.status}/${row.payerClaimNumber}`,
    ),
    batches: (await database.db.claimBatch.findMany({ where, select: { acknowledgment: true } })).map((row) => row.acknowledgment),
    audit: await database.db.auditEvent.count({ where: { organizationId: c.organizationId, action: "clearinghouse_file.imported" } }),
  };
}

async function refusal(promise: Promise<unknown>) {
  const error = await promise.then(
    () => null,
    (caught: unknown) => toAppError(caught),
  );
  expect(error, "the import should have been refused").not.toBeNull();
  expect(error!.code).toBe("VALIDATION_FAILED");
  return error!.message;
}

describe("importing the imsweb 999 and 277CA samples, readdressed to the clinic", () => {
  it("an accepted 999 records the batch as accepted and leaves its claims submitted until the 277CA", async () => {
    const c = await clinic();
    const { batch, claims } = await submittedBatch(c, 2);
    const file = readdress(sampleFile("imsweb/samples/837_5010__x12_999_accepted.txt"), {
      submitterId: c.submitterId,
      interchangeControlNumber: nextInterchange++,
      groupControlNumber: batch.groupControlNumber,
      transactionSetControlNumber: batch.transactionSetControlNumber,
    });
    const result = await importFile(c, "999_accepted.txt", file);
    expect(result.kind).toBe("999");
    expect(result.summary).toEqual([{ message: expect.stringMatching(/the file was accepted \(2 claims wait for the 277CA\)/) }]);
    expect((await database.db.claimBatch.findUniqueOrThrow({ where: { id: batch.id } })).acknowledgment).toBe("accepted");
    for (const claim of claims) expect((await claimState(c, claim.id)).status).toBe("submitted");

    const [listed] = await listClearinghouseFiles(database.db, { organizationId: c.organizationId });
    expect(listed).toMatchObject({
      id: result.fileId,
      kind: "999",
      source: "upload",
      fileName: "999_accepted.txt",
      senderId: "12345",
      summary: result.summary,
    });
  });

  it("a rejected 999 rejects every claim of the batch with the 999's reasons, in words", async () => {
    const c = await clinic();
    const { batch, claims } = await submittedBatch(c, 2);
    const other = await submittedBatch(c, 1);
    const file = readdress(sampleFile("imsweb/samples/837_5010__x12_999_rejected.txt"), {
      submitterId: c.submitterId,
      interchangeControlNumber: nextInterchange++,
      groupControlNumber: batch.groupControlNumber,
      transactionSetControlNumber: batch.transactionSetControlNumber,
    });
    const result = await importFile(c, "999_rejected.txt", file);
    expect(result.summary.map((line) => line.claimId)).toEqual(claims.map((claim) => claim.id));
    for (const claim of claims) {
      expect(await claimState(c, claim.id)).toEqual({
        status: "rejected",
        payerClaimNumber: null,
        reasons: ["999: Transaction set 0001: One or more segments in error (code 5).", "999: Segment NM at position 17: Unrecognized segment ID (code 1)."],
      });
    }
    expect((await database.db.claimBatch.findUniqueOrThrow({ where: { id: batch.id } })).acknowledgment).toBe("rejected");
    // The 999 named ST02 0028 and group 28; readdressed, it names this batch only: another batch is untouched.
    expect((await claimState(c, other.claims[0]!.id)).status).toBe("submitted");
  });

  it("the 277CA samples accept one claim with the payer's claim number and reject another with the reasons; unknown claim numbers are only reported", async () => {
    const c = await clinic();
    const { claims } = await submittedBatch(c, 2);
    const [first, second] = claims as [(typeof claims)[number], (typeof claims)[number]];
    const accepted = await importFile(
      c,
      "277CA_accepted.txt",
      readdress(sampleFile("imsweb/samples/277_5010__x12_277CA_accepted.txt"), {
        submitterId: c.submitterId,
        interchangeControlNumber: nextInterchange++,
        claimNumbers: [first.displayNumber],
        billingProviderNpi: BILLING_NPI,
      }),
    );
    expect(accepted.kind).toBe("277CA");
    expect(accepted.summary).toEqual([{ claimId: first.id, message: expect.any(String) }]);
    expect(await claimState(c, first.id)).toEqual({ status: "accepted", payerClaimNumber: "1107000000014420", reasons: [] });

    const rejected = await importFile(
      c,
      "277CA_rejected.txt",
      readdress(sampleFile("imsweb/samples/277_5010__x12_277CA_rejected.txt"), {
        submitterId: c.submitterId,
        interchangeControlNumber: nextInterchange++,
        claimNumbers: [second.displayNumber],
        billingProviderNpi: BILLING_NPI,
      }),
    );
    expect(rejected.summary.map((line) => line.claimId)).toEqual([second.id]);
    const state = await claimState(c, second.id);
    expect(state.status).toBe("rejected");
    expect(state.reasons).toEqual([
      expect.stringMatching(/^277CA: .*Rejected for Invalid Information.*National Provider Identifier \(NPI\) \(Billing provider\)/),
    ]);

    // The published sample as is names claim 5781, which is not this clinic's: reported, nothing moves.
    const foreign = await importFile(
      c,
      "277CA_foreign_claim.txt",
      readdress(sampleFile("imsweb/samples/277_5010__x12_277CA_accepted.txt"), { submitterId: c.submitterId, interchangeControlNumber: nextInterchange++ }),
    );
    expect(foreign.summary).toEqual([{ message: "Claim 5781: not a claim of this clinic; nothing changed." }]);
  });

  it("a 277CA whose claim number is ours but whose billing provider NPI is another practice's (a file meant for another clinic) moves nothing", async () => {
    const c = await clinic();
    const { claims } = await submittedBatch(c, 1);
    const [claim] = claims as [(typeof claims)[number]];
    const result = await importFile(
      c,
      "277CA_other_practice.txt",
      readdress(sampleFile("imsweb/samples/277_5010__x12_277CA_accepted.txt"), {
        submitterId: c.submitterId,
        interchangeControlNumber: nextInterchange++,
        claimNumbers: [claim.displayNumber],
        billingProviderNpi: "1245319599",
      }),
    );
    expect(result.summary).toEqual([
      { message: `Claim ${claim.displayNumber}: the 277CA names billing provider NPI 1245319599, not this clinic's (${BILLING_NPI}); nothing changed.` },
    ]);
    expect(await claimState(c, claim.id)).toEqual({ status: "submitted", payerClaimNumber: null, reasons: [] });
  });

  it("an 835 is stored as remittance rows, not applied to claims (lib/remittances/store-remittance.test.ts covers the rows)", async () => {
    const c = await clinic();
    const before = await footprint(c);
    const file = readdress(sampleFile("tastypackets/profee.edi"), { submitterId: c.submitterId, interchangeControlNumber: nextInterchange++ });
    const result = await importFile(c, "remit.835", file);
    expect(result.kind).toBe("835");
    // The payment, then each of its three claim payments (none is this clinic's claim).
    expect(result.summary.map((line) => line.message)).toEqual([
      expect.stringMatching(/^Payment 10100000000 from NYSDOH .*: \$45\.75 by .*, 3 claims \(0 matched/),
      expect.stringMatching(/^Claim PATIENT ACCOUNT NUMBER: processed as primary\. .* Not matched: /),
      expect.stringMatching(/^Claim PATIENT ACCOUNT NUMBER: processed as secondary\. .* Not matched: /),
      expect.stringMatching(/^Claim PATIENT ACCOUNT NUMBER: processed as secondary\. .* Not matched: /),
    ]);
    expect(await database.db.remittance.count({ where: { organizationId: c.organizationId } })).toBe(1);
    expect(await footprint(c)).toEqual({ ...before, files: before.files + 1, audit: before.audit + 1 });
  });

  it("an 835 whose ISA16 disagrees with its data is refused, naming the disagreement, and nothing is stored", async () => {
    const c = await clinic();
    const before = await footprint(c);
    const file = readdress(sampleFile("linuxforhealth/835/cob-contractural-adjustment.835"), {
      submitterId: c.submitterId,
      interchangeControlNumber: nextInterchange++,
    });
    expect(await refusal(importFile(c, "remit.835", file))).toMatch(
      /^Claim 0001000055, service line 1 \(SVC, segment 21\): SVC01 reads "HC>55669"; the interchange declares ":" as its component separator \(ISA16\), but this looks written with ">"\./,
    );
    expect(await footprint(c)).toEqual(before);
  });
});

describe("two clinics cannot share a submitter id, so one clinic's 999 never moves the other's batch", () => {
  it("the second clinic cannot take the first's ids, and a 999 for its batch (same control numbers) is refused by the first", async () => {
    const a = await clinic();
    const b = await clinic();
    const { batch: batchA } = await submittedBatch(a, 1);
    const { batch: batchB, claims: claimsB } = await submittedBatch(b, 1);
    // Control numbers count from 1 in every clinic: only the submitter id tells these batches' answers apart.
    expect([batchB.groupControlNumber, batchB.transactionSetControlNumber]).toEqual([batchA.groupControlNumber, batchA.transactionSetControlNumber]);

    const settingsOfB = await database.db.clearinghouseSettings.findUniqueOrThrow({ where: { organizationId: b.organizationId } });
    const shared = await saveClearinghouseSettings(database.db, {
      organizationId: b.organizationId,
      actor: b.actor,
      input: { connection: "manual", submitterId: a.submitterId, submitterName: "CLINIC B", receiverId: settingsOfB.receiverId, receiverName: "CH" },
    }).catch((caught: unknown) => toAppError(caught));
    expect(shared).toMatchObject({ code: "VALIDATION_FAILED", fields: { submitterId: [expect.stringMatching(/already used by another clinic/)] } });
    expect(await database.db.clearinghouseSettings.findUniqueOrThrow({ where: { organizationId: b.organizationId } })).toEqual(settingsOfB);

    // B's 999 uploaded into A by mistake (a shared SFTP account, a wrong upload): addressed to B, refused.
    const answerToB = readdress(sampleFile("imsweb/samples/837_5010__x12_999_rejected.txt"), {
      submitterId: b.submitterId,
      interchangeControlNumber: nextInterchange++,
      groupControlNumber: batchB.groupControlNumber,
      transactionSetControlNumber: batchB.transactionSetControlNumber,
    });
    const before = await footprint(a);
    expect(await refusal(importFile(a, "b-999.txt", answerToB))).toBe(
      `This file is addressed to submitter "${b.submitterId}" (ISA08), not to this clinic's submitter id "${a.submitterId}".`,
    );
    expect(await footprint(a)).toEqual(before);
    expect((await database.db.claimBatch.findUniqueOrThrow({ where: { id: batchA.id } })).acknowledgment).toBeNull();

    await importFile(b, "b-999.txt", answerToB);
    expect((await database.db.claimBatch.findUniqueOrThrow({ where: { id: batchB.id } })).acknowledgment).toBe("rejected");
    expect((await claimState(b, claimsB[0]!.id)).status).toBe("rejected");
  });
});

describe("files that are refused with a clear message and nothing written", () => {
  it("a malformed file, a file for another submitter, a file already imported", async () => {
    const c = await clinic();
    const { batch } = await submittedBatch(c, 1);
    const good = readdress(sampleFile("imsweb/samples/837_5010__x12_999_rejected.txt"), {
      submitterId: c.submitterId,
      interchangeControlNumber: nextInterchange++,
      groupControlNumber: batch.groupControlNumber,
      transactionSetControlNumber: batch.transactionSetControlNumber,
    });
    const before = await footprint(c);

    expect(await refusal(importFile(c, "notes.txt", "Dear clinic, your claims are fine."))).toMatch(
      /^This is not an X12 interchange: it must start with an ISA segment/,
    );
    expect(await refusal(importFile(c, "cut.txt", good.slice(0, good.indexOf("IK5"))))).toBe("The file has no IEA segment: it was cut short.");
    expect(await refusal(importFile(c, "no-ak9.txt", good.replace(/AK9\*[^~]*~\s*/, "")))).toMatch(/no AK9 segment/);
    expect(await refusal(importFile(c, "837.txt", sampleFile("837p/patient-is-subscriber.x12").replace("CLEARINGHOUSE  ", c.submitterId)))).toMatch(
      /holds a 837 transaction set/,
    );
    // The published sample as is: addressed to "ETIN".
    expect(await refusal(importFile(c, "theirs.txt", sampleFile("imsweb/samples/837_5010__x12_999_rejected.txt")))).toBe(
      `This file is addressed to submitter "ETIN" (ISA08), not to this clinic's submitter id "${c.submitterId}".`,
    );
    expect(await refusal(importFile(c, "gs03.txt", good.replace(`*${c.submitterId}*20110311`, "*SOMEONEELSE*20110311")))).toMatch(/GS03/);
    expect(await footprint(c)).toEqual(before);

    await importFile(c, "first.txt", good);
    const imported = await footprint(c);
    expect(await refusal(importFile(c, "again.txt", good))).toMatch(/^This file was already imported on \d{4}-\d{2}-\d{2} \(file first\.txt\)\.$/);
    // Same sender and interchange number, other bytes: the same interchange sent twice.
    expect(await refusal(importFile(c, "again-reformatted.txt", good.replaceAll("~", "~\n")))).toMatch(
      /already imported on .* \(file first\.txt\) \(same sender EMEDNYBAT and interchange number \d{9}\)/,
    );
    expect(await footprint(c)).toEqual(imported);
  });

  it("two imports of the same file at once: one applies it, the other is refused", async () => {
    const c = await clinic();
    const { batch, claims } = await submittedBatch(c, 1);
    const file = readdress(sampleFile("imsweb/samples/837_5010__x12_999_rejected.txt"), {
      submitterId: c.submitterId,
      interchangeControlNumber: nextInterchange++,
      groupControlNumber: batch.groupControlNumber,
      transactionSetControlNumber: batch.transactionSetControlNumber,
    });
    const outcomes = await Promise.allSettled([importFile(c, "a.txt", file), importFile(c, "b.txt", file)]);
    expect(outcomes.map((outcome) => outcome.status).sort()).toEqual(["fulfilled", "rejected"]);
    const failed = outcomes.find((outcome) => outcome.status === "rejected") as PromiseRejectedResult;
    expect(toAppError(failed.reason).message).toMatch(/already imported|a moment ago/);
    expect(await database.db.claimEvent.count({ where: { claimId: claims[0]!.id, toStatus: "rejected" } })).toBe(1);
  });

  it("a clinic without clearinghouse settings cannot import (nothing tells which files are its own)", async () => {
    const org = await createTestOrganization(database.db);
    const error = await importClearinghouseFile(database.db, {
      organizationId: org.organizationId,
      actor: org.adminActor,
      fileName: "x.txt",
      content: sampleFile("imsweb/samples/837_5010__x12_999_accepted.txt"),
      source: "upload",
    }).catch((caught: unknown) => toAppError(caught));
    expect(error).toMatchObject({ code: "VALIDATION_FAILED", message: expect.stringMatching(/^Set up the clearinghouse first/) });
  });
});
