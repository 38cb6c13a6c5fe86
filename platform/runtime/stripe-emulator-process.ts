import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { createInterface } from "node:readline";
import type { Logger } from "pino";
import { z } from "zod";
import { EnvError } from "@/lib/env";

export type EmulatorProcess = {
  url: string;
  /** True when an emulator left running by an earlier launcher (after the app crashed) was reused. */
  adopted: boolean;
  /** Stops it (its state is saved): on a normal stop of the launcher. */
  stop(): Promise<void>;
  /**
   * Leaves it running when the launcher exits because the app crashed: like Stripe, it keeps its
   * state and keeps retrying webhook deliveries until the app is back; the next launcher adopts it.
   */
  leaveRunning(): void;
};

const STARTUP_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_MS = 5_000;
/** The name the emulator gives in `GET /_emulator/health` (stripe-emulator/src/server.ts). */
const EMULATOR_NAME = "carebill-stripe-emulator";

const ZEmulatorIdentity = z.object({
  emulator: z.literal(EMULATOR_NAME),
  pid: z.number().int(),
  state_file: z.string().nullable(),
  webhook: z.object({ url: z.string(), secret_sha256: z.string() }).nullable(),
  pending_webhooks: z.number().int().optional(),
});

type EmulatorIdentity = z.infer<typeof ZEmulatorIdentity>;

const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");

/**
 * What answers on 127.0.0.1:`port`: nothing (null), a Carebill Stripe emulator (its identity), or
 * something else ("other").
 */
async function probe(port: number): Promise<EmulatorIdentity | "other" | null> {
  let response: Response;
  try {
    response = await fetch(`http://127.0.0.1:${port}/_emulator/health`, { signal: AbortSignal.timeout(3_000) });
  } catch (error) {
    const code = (error as { cause?: { code?: string } }).cause?.code;
    return code === "ECONNREFUSED" ? null : "other";
  }
  const parsed = ZEmulatorIdentity.safeParse(await response.json().catch(() => null));
  return parsed.success ? parsed.data : "other";
}

/** An emulator started by an earlier launcher with this state file and webhook: stopped by asking it. */
function adopt(port: number, identity: EmulatorIdentity, webhookSecret: string, log: Logger): EmulatorProcess {
  const url = `http://127.0.0.1:${port}`;
  log.info(
    { pid: identity.pid, url, pendingWebhooks: identity.pending_webhooks ?? null },
    "reusing the Stripe emulator that kept running after the app stopped (its state and pending webhooks are kept)",
  );
  let stopped = false;
  return {
    url,
    adopted: true,
    async stop() {
      if (stopped) return;
      stopped = true;
      const response = await fetch(`${url}/_emulator/shutdown`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ webhook_secret: webhookSecret }),
        signal: AbortSignal.timeout(STOP_TIMEOUT_MS),
      }).catch(() => null);
      if (!response?.ok) {
        log.warn({ pid: identity.pid, status: response?.status ?? null }, "the Stripe emulator did not accept the request to stop");
        return;
      }
      const deadline = Date.now() + STOP_TIMEOUT_MS;
      while (Date.now() < deadline && (await probe(port)) !== null) await new Promise((resolve) => setTimeout(resolve, 100));
    },
    leaveRunning() {
      stopped = true;
    },
  };
}

/**
 * Runs the Stripe emulator (stripe-emulator/src/main.ts) as a child process on 127.0.0.1:`port`.
 *
 * A child rather than an `import` of `startEmulator`: the emulator is a separate program that
 * nothing in lib/ imports (CONVENTIONS), this is the same command a developer runs by hand, and
 * a fault or a long synchronous handler in it cannot stall the launcher, which also serves the
 * embedded database. It saves its state file when stopped.
 *
 * It stays in the launcher's process group (Ctrl-C in a terminal, or a test runner killing the
 * group, stops it too), but it does not depend on the app server: when the app crashes, the
 * launcher leaves it running (`leaveRunning`), and the next launcher finds it on its port (same
 * state file, webhook URL and secret, checked through `GET /_emulator/health`) and adopts it
 * instead of failing on a taken port.
 */
export async function startEmulatorProcess(options: {
  port: number;
  stateFile: string;
  webhook: { url: string; secret: string };
  log: Logger;
}): Promise<EmulatorProcess> {
  const { log } = options;
  const running = await probe(options.port);
  if (running !== null && running !== "other") {
    const ours =
      running.state_file === options.stateFile &&
      running.webhook?.url === options.webhook.url &&
      running.webhook.secret_sha256 === sha256(options.webhook.secret);
    if (ours) return adopt(options.port, running, options.webhook.secret, log);
    throw new EnvError([
      {
        name: "STRIPE_EMULATOR_PORT",
        message: `port ${options.port} is used by another Carebill Stripe emulator (pid ${running.pid}, state file ${running.state_file ?? "none"}, other keys or webhook); stop it or set STRIPE_EMULATOR_PORT to a free port`,
      },
    ]);
  }
  const child = spawn(process.execPath, ["--import", "tsx", join(process.cwd(), "stripe-emulator/src/main.ts")], {
    cwd: process.cwd(),
    env: {
      ...process.env,
      STRIPE_EMULATOR_PORT: String(options.port),
      STRIPE_EMULATOR_HOST: "127.0.0.1",
      STRIPE_EMULATOR_STATE_FILE: options.stateFile,
      STRIPE_WEBHOOK_URL: options.webhook.url,
      STRIPE_WEBHOOK_SECRET: options.webhook.secret,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stopping = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );

  // Its log lines are JSON already: pass them through, after spotting the one that says it listens.
  let failure = "";
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the Stripe emulator did not start within ${STARTUP_TIMEOUT_MS / 1000} s`)), STARTUP_TIMEOUT_MS);
    createInterface({ input: child.stdout }).on("line", (line) => {
      process.stdout.write(`${line}\n`);
      const message = parseLine(line);
      if (message?.msg === "stripe-emulator listening" && typeof message.url === "string") {
        clearTimeout(timer);
        resolve(message.url);
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
      if (failure.includes("EADDRINUSE")) {
        reject(
          new EnvError([
            {
              name: "STRIPE_EMULATOR_PORT",
              message: `port ${options.port} is already in use (another Carebill or Stripe emulator?); set STRIPE_EMULATOR_PORT to a free port`,
            },
          ]),
        );
      } else {
        reject(new Error(`the Stripe emulator exited while starting (code ${code}, signal ${signal})`));
      }
    });
  }).catch(async (error: unknown) => {
    child.kill("SIGKILL");
    throw error;
  });

  void exited.then(({ code, signal }) => {
    if (stopping || code === 0) return;
    log.error({ code, signal }, "the Stripe emulator stopped unexpectedly: payments fail until Carebill restarts");
  });

  return {
    url,
    adopted: false,
    leaveRunning() {
      stopping = true;
      log.warn({ pid: child.pid, url }, "the Stripe emulator keeps running with its state and pending webhooks; the next start reuses it");
    },
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

function parseLine(line: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(line);
    return value && typeof value === "object" ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
