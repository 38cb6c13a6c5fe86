import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import type PgBoss from "pg-boss";
import { afterEach, describe, expect, it } from "vitest";
import { saveClearinghouseSettings } from "@/lib/clearinghouse/settings";
import { getEligibilityCheckOrThrow, requestEligibilityCheck } from "@/lib/insurance/eligibility";
import { testSubmitterId } from "@/tests/clearinghouse-files";
import { createTestOrganization } from "@/tests/factories";
import { connectTestClinicOverSftp, createTestBillingSetup } from "@/tests/insurance-fixtures";
import { setupTestDatabase } from "@/tests/test-database";
import { startClearinghouseEmulator } from "@/clearinghouse-emulator/src/clearinghouse";
import { ZEmulatorConfig } from "@/clearinghouse-emulator/src/config";
import { createBoss, POLL_CLEARINGHOUSES_QUEUE } from "./boss";
import { enqueueClearinghousePoll, POLL_CLEARINGHOUSES_CRON, startPollClearinghousesJob } from "./poll-clearinghouse-job";
import { generateSshKeyPair } from "@/lib/clearinghouse/ssh-keys";

const database = setupTestDatabase();
const log = pino({ level: "silent" });
const cleanup: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

describe("the clearinghouse poll job", () => {
  it("is scheduled every minute; a run polls each SFTP clinic (a failing one keeps its error) and leaves manual clinics alone", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "clearinghouse-job-"));
    const emulator = await startClearinghouseEmulator({ dataDir, config: ZEmulatorConfig.parse({}) });
    cleanup.push(async () => {
      await emulator.close();
      rmSync(dataDir, { recursive: true, force: true });
    });
    const keys = generateSshKeyPair();
    emulator.addAccount({ username: "CLINIC1", publicKey: keys.public });

    const settingsFor = (username: string, privateKey: string, connection: "sftp" | "manual") => ({
      connection,
      submitterId: username,
      submitterName: "CLINIC",
      receiverId: "CAREBILLCH",
      receiverName: "EMULATOR",
      sftpHost: "127.0.0.1",
      sftpPort: emulator.port,
      sftpUsername: username,
      sftpPrivateKey: privateKey,
      sftpUploadPath: "/inbox",
      sftpDownloadPath: "/outbox",
    });
    const [good, refused, manual] = [
      await createTestOrganization(database.db),
      await createTestOrganization(database.db),
      await createTestOrganization(database.db),
    ];
    await saveClearinghouseSettings(database.db, {
      organizationId: good.organizationId,
      actor: good.adminActor,
      input: settingsFor("CLINIC1", keys.private, "sftp"),
    });
    const stranger = generateSshKeyPair();
    await saveClearinghouseSettings(database.db, {
      organizationId: refused.organizationId,
      actor: refused.adminActor,
      input: settingsFor("CLINIC2", stranger.private, "sftp"),
    });
    await saveClearinghouseSettings(database.db, {
      organizationId: manual.organizationId,
      actor: manual.adminActor,
      input: settingsFor("CLINIC3", keys.private, "manual"),
    });

    const boss: PgBoss = await createBoss({ connectionString: database.url });
    const job = await startPollClearinghousesJob(boss, { db: database.db, log });
    cleanup.push(async () => {
      await job.stop();
      await boss.stop({ graceful: false });
    });
    expect(await boss.getSchedules()).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: POLL_CLEARINGHOUSES_QUEUE, cron: POLL_CLEARINGHOUSES_CRON })]),
    );

    await boss.send(POLL_CLEARINGHOUSES_QUEUE, {});
    const settings = (organizationId: string) => database.db.clearinghouseSettings.findUniqueOrThrow({ where: { organizationId } });
    await expect.poll(async () => (await settings(refused.organizationId)).lastPolledAt !== null, { timeout: 30_000, interval: 200 }).toBe(true);
    await expect.poll(async () => (await settings(good.organizationId)).lastPolledAt !== null, { timeout: 30_000, interval: 200 }).toBe(true);
    expect((await settings(good.organizationId)).lastPollError).toBeNull();
    expect((await settings(refused.organizationId)).lastPollError).toMatch(/^Could not connect to 127\.0\.0\.1:\d+ as CLINIC2/);
    expect((await settings(manual.organizationId)).lastPolledAt).toBeNull();
  });

  it("a run asked for one clinic sends its 270 at once, and the follow-up run fetches the 271 that answers it", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "clearinghouse-job-"));
    const clinic = await createTestOrganization(database.db);
    const setup = await createTestBillingSetup(database.db, { organizationId: clinic.organizationId });
    const emulator = await startClearinghouseEmulator({
      dataDir,
      config: ZEmulatorConfig.parse({ clearinghouseId: "CLEARINGHOUSE", payers: [{ payerId: setup.payer.payerId, name: "EXAMPLE HEALTH PLAN" }] }),
    });
    cleanup.push(async () => {
      await emulator.close();
      rmSync(dataDir, { recursive: true, force: true });
    });
    const keys = generateSshKeyPair();
    const submitterId = testSubmitterId(clinic.organizationId);
    emulator.addAccount({ username: submitterId, publicKey: keys.public });
    await connectTestClinicOverSftp(database.db, {
      organizationId: clinic.organizationId,
      actor: clinic.adminActor,
      port: emulator.port,
      privateKey: keys.private,
    });
    const boss: PgBoss = await createBoss({ connectionString: database.url });
    const job = await startPollClearinghousesJob(boss, { db: database.db, log });
    cleanup.push(async () => {
      await job.stop();
      await boss.stop({ graceful: false });
    });

    const check = await requestEligibilityCheck(database.db, {
      organizationId: clinic.organizationId,
      actor: clinic.adminActor,
      coverageId: setup.coverage.id,
    });
    await enqueueClearinghousePoll(boss, { organizationId: clinic.organizationId });
    const current = () => getEligibilityCheckOrThrow(database.db, { organizationId: clinic.organizationId, checkId: check.id });
    await expect.poll(async () => (await current()).status, { timeout: 30_000, interval: 200 }).toBe("answered");
    expect((await current()).sentAt).not.toBeNull();
    expect(await database.db.clearinghouseFile.count({ where: { organizationId: clinic.organizationId, kind: "271" } })).toBe(1);
  });
});
