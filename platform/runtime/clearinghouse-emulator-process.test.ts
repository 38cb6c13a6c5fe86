import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import { describe, expect, it } from "vitest";
import { getClearinghouseSettings } from "@/lib/clearinghouse/settings";
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
});
