import { cpSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ssh2 from "ssh2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pollClearinghouse } from "@/lib/clearinghouse/poll-clearinghouse";
import type { ClearinghouseFileKind } from "@/lib/clearinghouse/clearinghouse.types";
import { createClaimFromVisit } from "@/lib/claims/create-claim";
import { getClaimOrThrow } from "@/lib/claims/list-claims";
import { createClaimBatch } from "@/lib/claims/submit-claims";
import { validateClaim } from "@/lib/claims/validate-claim";
import { recordVisit } from "@/lib/claims/visits";
import { addDays, todayIn } from "@/lib/invoices/dates";
import { connectTestClinicOverSftp, createTestBillingClinic, type TestBillingClinic } from "@/tests/insurance-fixtures";
import { getEligibilityRequestFile, requestEligibilityCheck, getEligibilityCheckOrThrow } from "@/lib/insurance/eligibility";
import { getCoverageOrThrow } from "@/lib/insurance/coverages";
import { setupTestDatabase } from "@/tests/test-database";
import { startClearinghouseEmulator, type ClearinghouseEmulator } from "../src/clearinghouse";
import { ZEmulatorConfig } from "../src/config";
import { generateSshKeyPair } from "@/lib/clearinghouse/ssh-keys";

// ssh2 is CommonJS: Node's ESM loader gives only its default export.
const { utils } = ssh2;

const database = setupTestDatabase();
let dataDir: string;
let emulator: ClearinghouseEmulator;
let clinic: TestBillingClinic;

const setUpClinic = () => createTestBillingClinic(database.db);

beforeAll(async () => {
  clinic = await setUpClinic();
  dataDir = mkdtempSync(join(tmpdir(), "clearinghouse-loop-"));
  const config = ZEmulatorConfig.parse({
    clearinghouseId: "CLEARINGHOUSE",
    remittanceDelaySeconds: 0,
    payers: [{ payerId: clinic.payer.payerId, name: "EXAMPLE HEALTH PLAN", feeSchedule: { "99213": 9000 }, copayCents: 2500, coinsuranceBasisPoints: 2000 }],
  });
  emulator = await startClearinghouseEmulator({ dataDir, config });
  const keys = generateSshKeyPair();
  // The clinic's own submitter id (unique at a clearinghouse) is also its SFTP user; the emulator
  // addresses its answers to the ISA06 of the 837 it received, so the import takes them as this clinic's.
  emulator.addAccount({ username: clinic.submitterId, publicKey: keys.public });
  await connectTestClinicOverSftp(database.db, { organizationId: clinic.organizationId, actor: clinic.actor, port: emulator.port, privateKey: keys.private });
});

afterAll(async () => {
  await emulator?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

const outbox = () => join(dataDir, "sftp", clinic.submitterId, "outbox");
const filesIn = (folder: string) =>
  readdirSync(folder, { withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => entry.name)
    .sort();

describe("the whole loop over SFTP on loopback", () => {
  it("an 837P sent by the poll comes back as a 999, a 277CA and an 835, each fetched once, imported and archived; the claim is accepted", async () => {
    const { organizationId, actor } = clinic;
    const visit = await recordVisit(database.db, {
      organizationId,
      actor,
      patientId: clinic.patient.id,
      input: {
        serviceDate: addDays(todayIn("America/New_York"), -1),
        renderingProviderId: clinic.provider.id,
        diagnoses: ["J06.9"],
        charges: [{ procedureCode: "99213", units: 1, chargeAmount: 15_000, diagnosisPointers: [1] }],
      },
    });
    const claim = await createClaimFromVisit(database.db, { organizationId, actor, visitId: visit.id });
    await validateClaim(database.db, { organizationId, actor, claimId: claim.id });
    const batch = await createClaimBatch(database.db, { organizationId, actor, claimIds: [claim.id], channel: "sftp" });
    expect(batch.sentAt).toBeNull();

    const first = await pollClearinghouse(database.db, { organizationId });
    expect(first.errors).toEqual([]);
    expect(first.sent).toEqual([{ batchId: batch.id, fileName: batch.fileName }]);
    expect((await database.db.claimBatch.findUniqueOrThrow({ where: { id: batch.id } })).sentAt).not.toBeNull();

    // Poll until the 835 is in (the emulator answers as soon as it has the file; the 835 comes after the 277CA).
    const imported: ClearinghouseFileKind[] = first.imported.map((file) => file.kind);
    await expect
      .poll(
        async () => {
          const next = await pollClearinghouse(database.db, { organizationId });
          expect(next.errors).toEqual([]);
          expect(next.sent).toEqual([]);
          imported.push(...next.imported.map((file) => file.kind));
          return imported.includes("835");
        },
        { timeout: 30_000, interval: 200 },
      )
      .toBe(true);
    expect(imported).toEqual(["999", "277CA", "835"]);

    // Accepted by the 277CA, then paid: the 835 posted itself (lib/remittances/post-remittance.ts).
    const paid = await getClaimOrThrow(database.db, { organizationId, claimId: claim.id });
    expect(paid.status).toBe("paid");
    expect(paid.payerClaimNumber).toMatch(/^PCN\d{10}$/);
    expect(await database.db.remittance.findMany({ where: { organizationId }, select: { status: true } })).toEqual([{ status: "posted" }]);
    expect((await database.db.claimBatch.findUniqueOrThrow({ where: { id: batch.id } })).acknowledgment).toBe("accepted");
    const stored = await database.db.clearinghouseFile.findMany({ where: { organizationId }, orderBy: { fileName: "asc" } });
    expect(stored.map((file) => [file.kind, file.source, file.fileName])).toEqual([
      ["999", "sftp", expect.stringMatching(/^\/outbox\/\d{9}\.999\.x12$/)],
      ["277CA", "sftp", expect.stringMatching(/^\/outbox\/\d{9}\.277CA\.x12$/)],
      ["835", "sftp", expect.stringMatching(/^\/outbox\/\d{9}\.835\.x12$/)],
    ]);
    expect(filesIn(outbox())).toEqual([]);
    expect(filesIn(join(outbox(), "archive"))).toEqual(stored.map((file) => file.fileName.slice("/outbox/".length)));

    // Never twice: a file put back under a name already imported is archived again, not fetched.
    const name = filesIn(join(outbox(), "archive"))[0]!;
    cpSync(join(outbox(), "archive", name), join(outbox(), name));
    const again = await pollClearinghouse(database.db, { organizationId });
    expect(again).toEqual({ sent: [], sentEligibilityRequests: [], imported: [], errors: [] });
    expect(filesIn(outbox())).toEqual([]);
    expect(await database.db.clearinghouseFile.count({ where: { organizationId } })).toBe(3);
    const settings = await database.db.clearinghouseSettings.findUniqueOrThrow({ where: { organizationId } });
    expect(settings.lastPollError).toBeNull();
    expect(settings.lastPolledAt).not.toBeNull();
  });

  it("a file the import refuses is archived with the reason in lastPollError, and never blocks the next ones", async () => {
    const { organizationId } = clinic;
    const { writeFileSync } = await import("node:fs");
    writeFileSync(join(outbox(), "zz-garbage.txt"), "not an X12 file");
    const result = await pollClearinghouse(database.db, { organizationId });
    expect(result.imported).toEqual([]);
    expect(result.errors).toEqual([expect.stringMatching(/^zz-garbage\.txt was not imported \(moved to \/outbox\/archive\): This is not an X12 interchange/)]);
    expect(filesIn(outbox())).toEqual([]);
    const settings = await database.db.clearinghouseSettings.findUniqueOrThrow({ where: { organizationId } });
    expect(settings.lastPollError).toMatch(/zz-garbage\.txt was not imported/);
  });

  it("a server that refuses the key: the error is stored, nothing is marked sent", async () => {
    const other = await setUpClinic();
    emulator.addAccount({ username: other.submitterId, publicKey: utils.generateKeyPairSync("ecdsa", { bits: 256 }).public });
    const stranger = generateSshKeyPair();
    await connectTestClinicOverSftp(database.db, {
      organizationId: other.organizationId,
      actor: other.actor,
      port: emulator.port,
      privateKey: stranger.private,
      submitterName: "OTHER CLINIC",
    });
    const result = await pollClearinghouse(database.db, { organizationId: other.organizationId });
    expect(result.errors).toEqual([
      expect.stringMatching(new RegExp(`^Could not connect to 127\\.0\\.0\\.1:\\d+ as ${other.submitterId}: .*authentication`, "i")),
    ]);
    expect((await database.db.clearinghouseSettings.findUniqueOrThrow({ where: { organizationId: other.organizationId } })).lastPollError).toMatch(
      /Could not connect/,
    );
  });

  it("a 270 from requestEligibilityCheck is sent by the poll, answered by a 271 imported once, which writes the benefits into the coverage", async () => {
    const { organizationId, actor } = clinic;
    const check = await requestEligibilityCheck(database.db, { organizationId, actor, coverageId: clinic.coverage.id });
    expect(check).toMatchObject({ status: "requested", sentAt: null, sendError: null });
    // On an SFTP connection a download is not the send: the poll still sends it.
    const request = await getEligibilityRequestFile(database.db, { organizationId, checkId: check.id, actor });
    expect((await getEligibilityCheckOrThrow(database.db, { organizationId, checkId: check.id })).sentAt).toBeNull();

    const sentAt = new Date();
    const first = await pollClearinghouse(database.db, { organizationId, now: sentAt });
    expect(first.errors).toEqual([]);
    expect(first.sent).toEqual([]);
    expect(first.sentEligibilityRequests).toEqual([{ checkId: check.id, fileName: request.fileName }]);
    expect(await getEligibilityCheckOrThrow(database.db, { organizationId, checkId: check.id })).toMatchObject({
      sentAt: sentAt.toISOString(),
      sendError: null,
    });

    // The emulator answers as soon as it has the file: the 271 may come in this poll or a later one.
    const kinds: string[] = first.imported.map((file) => file.kind);
    await expect
      .poll(
        async () => {
          const next = await pollClearinghouse(database.db, { organizationId });
          expect(next.errors).toEqual([]);
          // Sent once: a check marked sent is never put into the inbox again.
          expect(next.sentEligibilityRequests).toEqual([]);
          kinds.push(...next.imported.map((file) => file.kind));
          return kinds;
        },
        { timeout: 30_000, interval: 200 },
      )
      .toEqual(["271"]);
    await emulator.idle();
    expect(await pollClearinghouse(database.db, { organizationId })).toEqual({ sent: [], sentEligibilityRequests: [], imported: [], errors: [] });
    const received = readdirSync(join(dataDir, "received", clinic.submitterId)).filter((name) => name.endsWith(request.fileName));
    expect(received).toHaveLength(1);
    expect(await database.db.clearinghouseFile.count({ where: { organizationId, kind: "271" } })).toBe(1);

    const answered = await getEligibilityCheckOrThrow(database.db, { organizationId, checkId: check.id });
    expect(answered).toMatchObject({ status: "answered", active: true, sentAt: sentAt.toISOString() });
    const coverage = await getCoverageOrThrow(database.db, { organizationId, coverageId: clinic.coverage.id });
    expect(coverage.benefits).toMatchObject({ source: "eligibility", coinsuranceBasisPoints: 2000 });
    expect(coverage.benefits.copays.map((copay) => copay.amount)).toContain(2500);
  });

  it("a 270 that could not be sent keeps its reason and is sent by a later poll", async () => {
    const { organizationId, actor } = clinic;
    const check = await requestEligibilityCheck(database.db, { organizationId, actor, coverageId: clinic.coverage.id });
    await database.db.clearinghouseSettings.update({ where: { organizationId }, data: { sftpUploadPath: "/no-such-folder" } });
    try {
      const failed = await pollClearinghouse(database.db, { organizationId });
      expect(failed.sentEligibilityRequests).toEqual([]);
      expect(failed.errors).toEqual([expect.stringMatching(/^Could not send 270-EC\d{9}\.x12: /)]);
      expect(await getEligibilityCheckOrThrow(database.db, { organizationId, checkId: check.id })).toMatchObject({
        sentAt: null,
        sendError: expect.stringMatching(/^Could not send 270-EC\d{9}\.x12: /),
      });
    } finally {
      await database.db.clearinghouseSettings.update({ where: { organizationId }, data: { sftpUploadPath: "/inbox" } });
    }
    const retried = await pollClearinghouse(database.db, { organizationId });
    expect(retried.sentEligibilityRequests).toEqual([{ checkId: check.id, fileName: `270-${check.traceNumber}.x12` }]);
    const sent = await getEligibilityCheckOrThrow(database.db, { organizationId, checkId: check.id });
    expect(sent.sendError).toBeNull();
    expect(sent.sentAt).not.toBeNull();
    const kinds = retried.imported.map((file) => file.kind);
    await expect
      .poll(
        async () => {
          kinds.push(...(await pollClearinghouse(database.db, { organizationId })).imported.map((file) => file.kind));
          return kinds;
        },
        { timeout: 20_000, interval: 200 },
      )
      .toEqual(["271"]);
    expect((await getEligibilityCheckOrThrow(database.db, { organizationId, checkId: check.id })).status).toBe("answered");
  });
});
