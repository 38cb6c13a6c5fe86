import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { startEmulator } from "../src/server";
import { randomKey, sdkFor, waitFor } from "./helpers";

const directory = mkdtempSync(join(tmpdir(), "stripe-emulator-"));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

describe("persistence", () => {
  it("saves state atomically and loads it on the next start", async () => {
    const file = join(directory, "nested", "state.json");
    const key = randomKey();
    const first = await startEmulator({ port: 0, persistFile: file });
    const stripe = sdkFor(first, key);
    const customer = await stripe.customers.create({ metadata: { patient: "pat_7" } });
    const intent = await stripe.paymentIntents.create({
      amount: 1200,
      currency: "usd",
      customer: customer.id,
      payment_method: "pm_card_visa",
      confirm: true,
      allowed_payment_method_types: ["card"],
      capture_method: "manual",
    });
    await waitFor(() => (existsSync(file) && readFileSync(file, "utf8").includes(intent.id) ? true : undefined));
    await first.close();
    expect(existsSync(`${file}.${process.pid}.tmp`)).toBe(false);

    const second = await startEmulator({ port: 0, persistFile: file });
    try {
      const again = sdkFor(second, key);
      expect((await again.customers.retrieve(customer.id)).id).toBe(customer.id);
      const restored = await again.paymentIntents.retrieve(intent.id);
      expect(restored.status).toBe("requires_capture");
      expect((await again.paymentIntents.capture(intent.id)).status).toBe("succeeded");
      expect((await again.events.list({ limit: 100 })).data.length).toBeGreaterThan(3);
    } finally {
      await second.close();
    }
  });
});

describe("command line", () => {
  it("listens on the configured port, logs one JSON line and exits cleanly on SIGTERM", async () => {
    const root = fileURLToPath(new URL("../..", import.meta.url));
    const tsx = join(root, "node_modules", ".bin", "tsx");
    const child = spawn(tsx, ["stripe-emulator/src/main.ts"], {
      cwd: root,
      env: { ...process.env, STRIPE_EMULATOR_PORT: "0", STRIPE_EMULATOR_STATE_FILE: join(directory, "cli.json") },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    const line = await waitFor(() => stdout.split("\n").find((text) => text.includes("listening")), 20_000);
    const started = JSON.parse(line) as { url: string; port: number };
    expect(started.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const stripe = sdkFor({ url: started.url, port: started.port, close: async () => undefined }, randomKey());
    expect((await stripe.customers.create()).id).toMatch(/^cus_/);
    const exit = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    child.kill("SIGTERM");
    expect(await exit).toBe(0);
    expect(existsSync(join(directory, "cli.json"))).toBe(true);
  }, 30_000);

  it("names itself on /_emulator/health without showing the webhook secret, and stops on /_emulator/shutdown only with that secret", async () => {
    const root = fileURLToPath(new URL("../..", import.meta.url));
    const secret = "whsec_cli_identity_test";
    const stateFile = join(directory, "identity.json");
    const child = spawn(join(root, "node_modules", ".bin", "tsx"), ["stripe-emulator/src/main.ts"], {
      cwd: root,
      env: {
        ...process.env,
        STRIPE_EMULATOR_PORT: "0",
        STRIPE_EMULATOR_STATE_FILE: stateFile,
        STRIPE_WEBHOOK_URL: "http://127.0.0.1:9/hook",
        STRIPE_WEBHOOK_SECRET: secret,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    const exit = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    const line = await waitFor(() => stdout.split("\n").find((text) => text.includes("listening")), 20_000);
    const { url } = JSON.parse(line) as { url: string };
    const healthText = await (await fetch(`${url}/_emulator/health`)).text();
    expect(JSON.parse(healthText)).toMatchObject({
      ok: true,
      emulator: "carebill-stripe-emulator",
      pid: expect.any(Number),
      state_file: stateFile,
      webhook: { url: "http://127.0.0.1:9/hook", secret_sha256: createHash("sha256").update(secret).digest("hex") },
    });
    expect(healthText).not.toContain(secret);
    const shutdown = (webhookSecret: string) =>
      fetch(`${url}/_emulator/shutdown`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ webhook_secret: webhookSecret }),
      });
    expect((await shutdown("whsec_guess")).status).toBe(403);
    expect((await fetch(`${url}/_emulator/health`)).ok).toBe(true);
    expect((await shutdown(secret)).status).toBe(200);
    expect(await exit).toBe(0);
    expect(existsSync(stateFile)).toBe(true);
  }, 30_000);

  it("refuses a non-loopback host", async () => {
    const root = fileURLToPath(new URL("../..", import.meta.url));
    const child = spawn(join(root, "node_modules", ".bin", "tsx"), ["stripe-emulator/src/main.ts"], {
      cwd: root,
      env: { ...process.env, STRIPE_EMULATOR_PORT: "0", STRIPE_EMULATOR_HOST: "0.0.0.0" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const code = await new Promise<number | null>((resolve) => child.on("exit", (exitCode) => resolve(exitCode)));
    expect(code).toBe(1);
  }, 30_000);
});
