import { spawn } from "node:child_process";
import { join } from "node:path";
import { createInterface } from "node:readline";
import type { Logger } from "pino";
import { EnvError } from "@/lib/env";

export type EmulatorProcess = { url: string; stop(): Promise<void> };

const STARTUP_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_MS = 5_000;

/**
 * Runs the Stripe emulator (stripe-emulator/src/main.ts) as a child process on 127.0.0.1:`port`.
 *
 * A child rather than an `import` of `startEmulator`: the emulator is a separate program that
 * nothing in lib/ imports (CONVENTIONS), this is the same command a developer runs by hand, and
 * a fault or a long synchronous handler in it cannot stall the launcher, which also serves the
 * embedded database. It saves its state file when stopped.
 */
export async function startEmulatorProcess(options: {
  port: number;
  stateFile: string;
  webhook: { url: string; secret: string };
  log: Logger;
}): Promise<EmulatorProcess> {
  const { log } = options;
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
