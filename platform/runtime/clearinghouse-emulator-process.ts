import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import type { Logger } from "pino";
import type { AuditActor } from "@/lib/audit/record-audit-event";
import { saveClearinghouseSettings } from "@/lib/clearinghouse/settings";
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { DEMO_ORGANIZATION_SLUG } from "@/platform/demo/demo-accounts";
import { generateSshKeyPair } from "@/lib/clearinghouse/ssh-keys";

const STARTUP_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_MS = 5_000;

/** The demo clinic's id at the emulated clearinghouse (its SFTP user, ISA06) and the clearinghouse's (clearinghouse-emulator/config.json). */
export const DEMO_SUBMITTER_ID = "CAREBILLDEMO";
const EMULATOR_CLEARINGHOUSE_ID = "CAREBILLCH";

/** The running emulator: its port, its host key's fingerprint, and the demo clinic's private key for it. */
export type ClearinghouseEmulatorProcess = { port: number; hostKeySha256: string; privateKey: string; stop(): Promise<void> };

/**
 * Runs the clearinghouse emulator (clearinghouse-emulator/src/main.ts) as a child process on
 * 127.0.0.1, with its state under `<dataDir>/clearinghouse-emulator`, like the Stripe emulator: a
 * separate program nothing in lib/ imports. The demo clinic's SFTP key pair is made once
 * (`<dataDir>/clearinghouse-emulator-client.json`, mode 0600) and its public half written to the
 * emulator's accounts.json before it starts. `port` 0 lets the system choose (the demo clinic's
 * settings are pointed at whatever it got, on every start).
 */
export async function startClearinghouseEmulatorProcess(options: { dataDir: string; port: number; log: Logger }): Promise<ClearinghouseEmulatorProcess> {
  const { log } = options;
  const emulatorDir = join(options.dataDir, "clearinghouse-emulator");
  mkdirSync(emulatorDir, { recursive: true, mode: 0o700 });
  const keyFile = join(options.dataDir, "clearinghouse-emulator-client.json");
  if (!existsSync(keyFile)) {
    const pair = generateSshKeyPair({ comment: "carebill-demo" });
    writeFileSync(keyFile, JSON.stringify({ private: pair.private, public: pair.public }, null, 2), { mode: 0o600 });
  }
  const keys = JSON.parse(readFileSync(keyFile, "utf8")) as { private: string; public: string };
  writeFileSync(join(emulatorDir, "accounts.json"), JSON.stringify([{ username: DEMO_SUBMITTER_ID, publicKey: keys.public }], null, 2), { mode: 0o600 });

  const child = spawn(process.execPath, ["--import", "tsx", join(process.cwd(), "clearinghouse-emulator/src/main.ts")], {
    cwd: process.cwd(),
    env: {
      ...process.env,
      CLEARINGHOUSE_EMULATOR_PORT: String(options.port),
      CLEARINGHOUSE_EMULATOR_HOST: "127.0.0.1",
      CLEARINGHOUSE_EMULATOR_DATA_DIR: emulatorDir,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  let stopping = false;
  let failure = "";
  const { port, hostKeySha256 } = await new Promise<{ port: number; hostKeySha256: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the clearinghouse emulator did not start within ${STARTUP_TIMEOUT_MS / 1000} s`)), STARTUP_TIMEOUT_MS);
    createInterface({ input: child.stdout }).on("line", (line) => {
      process.stdout.write(`${line}\n`);
      const message = parseLine(line);
      if (message?.msg === "clearinghouse-emulator listening" && typeof message.port === "number" && typeof message.hostKeySha256 === "string") {
        clearTimeout(timer);
        resolve({ port: message.port, hostKeySha256: message.hostKeySha256 });
      }
    });
    createInterface({ input: child.stderr }).on("line", (line) => {
      process.stderr.write(`${line}\n`);
      failure += `${line}\n`;
    });
    child.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`the clearinghouse emulator exited while starting (code ${code}, signal ${signal})${failure ? `: ${failure.trim()}` : ""}`));
    });
  }).catch((error: unknown) => {
    child.kill("SIGKILL");
    throw error;
  });
  void exited.then(({ code, signal }) => {
    if (!stopping && code !== 0) log.error({ code, signal }, "the clearinghouse emulator stopped unexpectedly: claims wait in Carebill until it is back");
  });
  return {
    port,
    hostKeySha256,
    privateKey: keys.private,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      stopping = true;
      child.kill("SIGTERM");
      const timeout = setTimeout(() => child.kill("SIGKILL"), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timeout);
    },
  };
}

/**
 * Points the demo clinic at the emulator over SFTP, its host key pinned (on every start: its port may change). A demo
 * clinic whose staff chose manual files, or another server, is left alone; so is one whose submitter
 * id another clinic of this Carebill took with the emulator (a warning says so: the app still starts).
 */
export async function connectDemoClinicToEmulator(db: Db, options: { port: number; hostKeySha256: string; privateKey: string; log?: Logger }): Promise<void> {
  const organization = await db.organization.findUnique({ where: { slug: DEMO_ORGANIZATION_SLUG }, select: { id: true, name: true } });
  if (!organization) return;
  const current = await db.clearinghouseSettings.findUnique({ where: { organizationId: organization.id } });
  if (current && (current.connection !== "sftp" || current.sftpHost !== "127.0.0.1" || current.submitterId !== DEMO_SUBMITTER_ID)) return;
  const actor: AuditActor = { userId: null, label: "carebill (demo launcher)", ip: null, requestId: null };
  const saved = await saveClearinghouseSettings(db, {
    organizationId: organization.id,
    actor,
    input: {
      connection: "sftp",
      submitterId: DEMO_SUBMITTER_ID,
      submitterName: current?.submitterName ?? organization.name.replace(/[^A-Za-z0-9 .,&'-]/g, "").slice(0, 60),
      receiverId: EMULATOR_CLEARINGHOUSE_ID,
      receiverName: "CAREBILL CLEARINGHOUSE EMULATOR",
      usageIndicator: "T",
      sftpHost: "127.0.0.1",
      sftpPort: options.port,
      sftpUsername: DEMO_SUBMITTER_ID,
      sftpPrivateKey: options.privateKey,
      sftpUploadPath: "/inbox",
      sftpDownloadPath: "/outbox",
      // The emulator's own key, as a clinic would enter the fingerprint its clearinghouse gave it.
      sftpHostKeySha256: options.hostKeySha256,
    },
  }).then(
    () => true,
    (error: unknown) => {
      if (!(error instanceof AppError && error.fields?.submitterId)) throw error;
      options.log?.warn(
        { submitterId: DEMO_SUBMITTER_ID, receiverId: EMULATOR_CLEARINGHOUSE_ID },
        "the demo clinic is not connected to the clearinghouse emulator: another clinic uses its submitter id with it",
      );
      return false;
    },
  );
  if (!saved) return;
  options.log?.info({ port: options.port }, "the demo clinic sends claims to the clearinghouse emulator over SFTP on loopback");
}

function parseLine(line: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(line);
    return value && typeof value === "object" ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
