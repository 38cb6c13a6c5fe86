import { mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClaimFromVisit } from "@/lib/claims/create-claim";
import { createClaimBatch } from "@/lib/claims/submit-claims";
import { validateClaim } from "@/lib/claims/validate-claim";
import { recordVisit } from "@/lib/claims/visits";
import { addDays, todayIn } from "@/lib/invoices/dates";
import { testSubmitterId } from "@/tests/clearinghouse-files";
import { createTestOrganization } from "@/tests/factories";
import { connectTestClinicOverSftp, createTestBillingSetup } from "@/tests/insurance-fixtures";
import { setupTestDatabase } from "@/tests/test-database";
import { startClearinghouseEmulator, type ClearinghouseEmulator } from "@/clearinghouse-emulator/src/clearinghouse";
import { ZEmulatorConfig } from "@/clearinghouse-emulator/src/config";
import { MAX_CLEARINGHOUSE_FILE_CHARACTERS } from "./import-file";
import { pollClearinghouse, unsafeRemoteFileName } from "./poll-clearinghouse";
import { saveClearinghouseSettings } from "./settings";
import { generateSshKeyPair } from "./ssh-keys";

const database = setupTestDatabase();
let dataDir: string;
let emulator: ClearinghouseEmulator;
let organizationId: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "clearinghouse-poll-"));
  emulator = await startClearinghouseEmulator({ dataDir, config: ZEmulatorConfig.parse({}) });
  const keys = generateSshKeyPair();
  emulator.addAccount({ username: "POLLCLINIC", publicKey: keys.public });
  const org = await createTestOrganization(database.db);
  organizationId = org.organizationId;
  await saveClearinghouseSettings(database.db, {
    organizationId,
    actor: org.adminActor,
    input: {
      connection: "sftp",
      submitterId: "POLLCLINIC",
      submitterName: "CLINIC",
      receiverId: "CAREBILLCH",
      receiverName: "EMULATOR",
      sftpHost: "127.0.0.1",
      sftpPort: emulator.port,
      sftpUsername: "POLLCLINIC",
      sftpPrivateKey: keys.private,
      sftpUploadPath: "/inbox",
      sftpDownloadPath: "/outbox",
    },
  });
});

afterAll(async () => {
  await emulator?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe("pollClearinghouse and odd files in the download folder", () => {
  it("a file too large or with a control character in its name is set aside with its reason and never blocks the files after it", async () => {
    const outbox = join(dataDir, "sftp", "POLLCLINIC", "outbox");
    const place = (name: string, content: string, secondsAgo: number) => {
      writeFileSync(join(outbox, name), content);
      const at = new Date(Date.now() - secondsAgo * 1000);
      utimesSync(join(outbox, name), at, at);
    };
    place("000000001.999.x12", "ISA*".padEnd(MAX_CLEARINGHOUSE_FILE_CHARACTERS + 10, "x"), 300);
    place("bad\nname.x12", "not x12", 200);
    place("000000003.277.x12", "not x12 either", 100);

    const result = await pollClearinghouse(database.db, { organizationId });

    expect(result.errors.join("\n")).not.toMatch(/exchange stopped/);
    expect(result.errors).toEqual([
      expect.stringMatching(/^000000001\.999\.x12 was not imported .*larger than/),
      expect.stringMatching(/^"bad\\nname\.x12" was not fetched: .*name/),
      expect.stringMatching(/^000000003\.277\.x12 was not imported/),
    ]);
    // The big one and the refused one are archived; the badly named one is left on the server, untouched.
    expect(readdirSync(outbox).sort()).toEqual(["archive", "bad\nname.x12"]);
    expect(readdirSync(join(outbox, "archive")).sort()).toEqual(["000000001.999.x12", "000000003.277.x12"]);
    expect(await database.db.clearinghouseFile.count({ where: { organizationId } })).toBe(0);
  });

  it("names a hostile server could list to reach outside the folder are refused before any get or rename", () => {
    for (const name of ["../../x", "..", ".", "", "a/b.x12", "..\\x", "x\u0000.x12", "x".repeat(201)]) expect(unsafeRemoteFileName(name)).not.toBeNull();
    for (const name of ["000000012.999.x12", "RESP_20261206.277CA", "a..b.x12"]) expect(unsafeRemoteFileName(name)).toBeNull();
  });
});

describe('pollClearinghouse run twice at once (the job and a biller\'s "Check now")', () => {
  it("sends a waiting claim batch once, not once per run", async () => {
    const org = await createTestOrganization(database.db);
    const { organizationId: orgId, adminActor: actor } = org;
    const setup = await createTestBillingSetup(database.db, { organizationId: orgId });
    const keys = generateSshKeyPair();
    const submitterId = testSubmitterId(orgId);
    emulator.addAccount({ username: submitterId, publicKey: keys.public });
    await connectTestClinicOverSftp(database.db, { organizationId: orgId, actor, port: emulator.port, privateKey: keys.private });
    const visit = await recordVisit(database.db, {
      organizationId: orgId,
      actor,
      patientId: setup.patient.id,
      input: {
        serviceDate: addDays(todayIn("America/New_York"), -1),
        renderingProviderId: setup.provider.id,
        diagnoses: ["J06.9"],
        charges: [{ procedureCode: "99213", units: 1, chargeAmount: 15_000, diagnosisPointers: [1] }],
      },
    });
    const claim = await createClaimFromVisit(database.db, { organizationId: orgId, actor, visitId: visit.id });
    await validateClaim(database.db, { organizationId: orgId, actor, claimId: claim.id });
    const batch = await createClaimBatch(database.db, { organizationId: orgId, actor, claimIds: [claim.id], channel: "sftp" });

    const runs = await Promise.all([pollClearinghouse(database.db, { organizationId: orgId }), pollClearinghouse(database.db, { organizationId: orgId })]);

    expect(runs.flatMap((run) => run.sent)).toEqual([{ batchId: batch.id, fileName: batch.fileName }]);
    expect(runs.flatMap((run) => run.errors)).toEqual([]);
    expect((await database.db.claimBatch.findUniqueOrThrow({ where: { id: batch.id } })).sentAt).not.toBeNull();
  });
});

describe("the SFTP server's host key", () => {
  it("is pinned on the first connection, and a server showing another key is refused before anything is sent or fetched", async () => {
    const org = await createTestOrganization(database.db);
    const keys = generateSshKeyPair();
    emulator.addAccount({ username: "PINCLINIC", publicKey: keys.public });
    const input = {
      connection: "sftp" as const,
      submitterId: "PINCLINIC",
      submitterName: "CLINIC",
      receiverId: "CAREBILLCH",
      receiverName: "EMULATOR",
      sftpHost: "127.0.0.1",
      sftpPort: emulator.port,
      sftpUsername: "PINCLINIC",
      sftpPrivateKey: keys.private,
      sftpUploadPath: "/inbox",
      sftpDownloadPath: "/outbox",
    };
    expect(await saveClearinghouseSettings(database.db, { organizationId: org.organizationId, actor: org.adminActor, input })).toMatchObject({
      sftpHostKeySha256: null,
    });

    // Trust on first use: the key the server showed is kept, and the audit log says so.
    expect((await pollClearinghouse(database.db, { organizationId: org.organizationId })).errors).toEqual([]);
    const settings = await database.db.clearinghouseSettings.findUniqueOrThrow({ where: { organizationId: org.organizationId } });
    expect(settings.sftpHostKeySha256).toBe(emulator.hostKeySha256);
    expect(await database.db.auditEvent.count({ where: { organizationId: org.organizationId, action: "clearinghouse_settings.host_key_pinned" } })).toBe(1);

    // Another key (as a machine in the middle would show): refused, the waiting answer left on the server.
    const other = `SHA256:${"A".repeat(43)}`;
    await saveClearinghouseSettings(database.db, { organizationId: org.organizationId, actor: org.adminActor, input: { ...input, sftpHostKeySha256: other } });
    const outbox = join(dataDir, "sftp", "PINCLINIC", "outbox");
    writeFileSync(join(outbox, "000000001.999.x12"), "waiting");
    const refused = await pollClearinghouse(database.db, { organizationId: org.organizationId });
    expect(refused.errors).toEqual([expect.stringContaining(`showed host key ${emulator.hostKeySha256}, not ${other}`)]);
    expect(readdirSync(outbox)).toEqual(["000000001.999.x12"]);
    expect((await database.db.clearinghouseSettings.findUniqueOrThrow({ where: { organizationId: org.organizationId } })).lastPollError).toMatch(
      /Nothing was sent or fetched/,
    );
    rmSync(join(outbox, "000000001.999.x12"));
  });

  it("is kept when other settings change, forgotten with a new host or port, and must look like a SHA256 fingerprint", async () => {
    const org = await createTestOrganization(database.db);
    const fingerprint = `SHA256:${"b".repeat(42)}c`;
    const input = {
      connection: "sftp" as const,
      submitterId: "KEEPCLINIC",
      submitterName: "CLINIC",
      receiverId: "CAREBILLCH",
      receiverName: "EMULATOR",
      sftpHost: "sftp.example.test",
      sftpPort: 22,
      sftpUsername: "KEEPCLINIC",
      sftpPrivateKey: generateSshKeyPair().private,
      sftpUploadPath: "/inbox",
      sftpDownloadPath: "/outbox",
    };
    const save = (changes: Partial<Record<string, unknown>>) =>
      saveClearinghouseSettings(database.db, { organizationId: org.organizationId, actor: org.adminActor, input: { ...input, ...changes } });
    // Typed without the prefix and with base64 padding: stored as ssh-keygen prints it.
    expect(await save({ sftpHostKeySha256: ` ${"b".repeat(42)}c= ` })).toMatchObject({ sftpHostKeySha256: fingerprint });
    expect(await save({ sftpPrivateKey: undefined, submitterName: "RENAMED" })).toMatchObject({ sftpHostKeySha256: fingerprint });
    // The form sends the fingerprint it showed: with a new port it is forgotten all the same.
    expect(await save({ sftpPrivateKey: undefined, sftpPort: 2222, sftpHostKeySha256: fingerprint })).toMatchObject({ sftpHostKeySha256: null });
    expect(await save({ sftpPrivateKey: undefined, sftpPort: 2222, sftpHostKeySha256: fingerprint })).toMatchObject({ sftpHostKeySha256: fingerprint });
    expect(await save({ sftpPrivateKey: undefined, sftpHost: "sftp2.example.test" })).toMatchObject({ sftpHostKeySha256: null });
    expect(await save({ sftpPrivateKey: undefined, sftpHostKeySha256: "" })).toMatchObject({ sftpHostKeySha256: null });
    for (const bad of ["MD5:12:34", "SHA256:short", `SHA256:${"*".repeat(43)}`]) {
      const error = await save({ sftpPrivateKey: undefined, sftpHostKeySha256: bad }).then(
        () => null,
        (caught: unknown) => caught as { issues?: { path: unknown[]; message: string }[] },
      );
      expect(error?.issues?.[0]).toMatchObject({ path: ["sftpHostKeySha256"], message: expect.stringContaining("SHA256 fingerprint") });
    }
  });
});
