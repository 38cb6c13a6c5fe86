import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import ssh2 from "ssh2";
import { describe, expect, it } from "vitest";
import { getClearinghouseSettings, saveClearinghouseSettings } from "@/lib/clearinghouse/settings";
import { pollClearinghouse } from "@/lib/clearinghouse/poll-clearinghouse";
import { createTestOrganization } from "@/tests/factories";
import { setupTestDatabase } from "@/tests/test-database";
import { DEMO_ORGANIZATION_SLUG } from "@/platform/demo/demo-accounts";
import { connectDemoClinicToEmulator, startClearinghouseEmulatorProcess } from "./clearinghouse-emulator-process";

const database = setupTestDatabase();
const log = pino({ level: "silent" });

describe("the clearinghouse emulator in demo mode", () => {
  it("runs as its own process on loopback, and the demo clinic is pointed at it over SFTP (its key kept across starts)", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "carebill-demo-"));
    const demo = await createTestOrganization(database.db, { slug: DEMO_ORGANIZATION_SLUG });
    const emulator = await startClearinghouseEmulatorProcess({ dataDir, port: 0, log });
    try {
      expect(emulator.port).toBeGreaterThan(0);
      expect(emulator.hostKeySha256).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
      await connectDemoClinicToEmulator(database.db, { port: emulator.port, hostKeySha256: emulator.hostKeySha256, privateKey: emulator.privateKey, log });
      expect(await getClearinghouseSettings(database.db, { organizationId: demo.organizationId })).toMatchObject({
        connection: "sftp",
        submitterId: "CAREBILLDEMO",
        receiverId: "CAREBILLCH",
        sftpHost: "127.0.0.1",
        sftpPort: emulator.port,
        hasPrivateKey: true,
        sftpHostKeySha256: emulator.hostKeySha256,
      });
      // The job's exchange signs in with the stored key: nothing to send or fetch yet, and no error.
      expect(await pollClearinghouse(database.db, { organizationId: demo.organizationId })).toEqual({
        sent: [],
        sentEligibilityRequests: [],
        imported: [],
        errors: [],
      });
    } finally {
      await emulator.stop();
    }
    const again = await startClearinghouseEmulatorProcess({ dataDir, port: 0, log });
    try {
      expect(again.privateKey).toBe(emulator.privateKey);
      expect(again.hostKeySha256).toBe(emulator.hostKeySha256);
    } finally {
      await again.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it("leaves the demo clinic alone, with a warning, when another clinic took its submitter id at the emulator", async () => {
    // The demo clinic (the test above may have made it, and connected it) without settings.
    const demo = await database.db.organization.findUnique({ where: { slug: DEMO_ORGANIZATION_SLUG } });
    const { organizationId } = demo ? { organizationId: demo.id } : await createTestOrganization(database.db, { slug: DEMO_ORGANIZATION_SLUG });
    await database.db.clearinghouseSettings.deleteMany({ where: { organizationId } });
    const other = await createTestOrganization(database.db);
    await saveClearinghouseSettings(database.db, {
      organizationId: other.organizationId,
      actor: other.adminActor,
      input: { connection: "manual", submitterId: "carebilldemo", submitterName: "OTHER", receiverId: "carebillch", receiverName: "CH" },
    });
    const lines: string[] = [];
    const warnings = pino({ level: "warn" }, { write: (line: string) => lines.push(line) });
    // An ECDSA key: ssh2's ed25519 generator writes a key it cannot read back about once in 256.
    const key = ssh2.utils.generateKeyPairSync("ecdsa", { bits: 256 });

    await connectDemoClinicToEmulator(database.db, { port: 2222, hostKeySha256: `SHA256:${"A".repeat(43)}`, privateKey: key.private, log: warnings });
    expect(await getClearinghouseSettings(database.db, { organizationId })).toBeNull();
    expect(lines.map((line) => JSON.parse(line) as { msg: string })).toEqual([
      expect.objectContaining({
        msg: expect.stringMatching(/^the demo clinic is not connected to the clearinghouse emulator: another clinic uses its submitter id/),
      }),
    ]);
  });
});
