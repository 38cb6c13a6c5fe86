import { statSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import Stripe from "stripe";
import { afterAll, describe, expect, it } from "vitest";
import { EnvError } from "@/lib/env";
import { resolveStripeMode, startStripeRuntime, stripeBuildEnv } from "./stripe-runtime";
import { freePort } from "@/tests/free-port";

const log = pino({ level: "silent" });
const directories: string[] = [];
afterAll(async () => {
  for (const directory of directories) await rm(directory, { recursive: true, force: true });
});

describe("which Stripe the launcher sets up", () => {
  it("runs the emulator when no Stripe key is configured", () => {
    expect(resolveStripeMode({})).toEqual({ kind: "emulator", port: 12111, url: "http://127.0.0.1:12111", keys: "demo" });
    expect(resolveStripeMode({ STRIPE_EMULATOR_PORT: "4242" })).toMatchObject({ kind: "emulator", url: "http://127.0.0.1:4242" });
  });

  it("runs the emulator with your sk_test_ key when STRIPE_EMULATOR=1", () => {
    expect(resolveStripeMode({ STRIPE_SECRET_KEY: "sk_test_abc", STRIPE_EMULATOR: "1" })).toMatchObject({ kind: "emulator", keys: "configured" });
    expect(() => resolveStripeMode({ STRIPE_SECRET_KEY: "sk_live_abc", STRIPE_EMULATOR: "1" })).toThrow(/STRIPE_SECRET_KEY: must be an sk_test_ key/);
  });

  it("uses real Stripe when a key is configured", () => {
    expect(resolveStripeMode({ STRIPE_SECRET_KEY: "sk_test_abc" })).toEqual({ kind: "stripe", live: false });
    expect(resolveStripeMode({ STRIPE_SECRET_KEY: "sk_live_abc" })).toEqual({ kind: "stripe", live: true });
  });

  it("never runs the emulator in production", () => {
    expect(resolveStripeMode({ NODE_ENV: "production" })).toEqual({ kind: "none" });
    expect(resolveStripeMode({ NODE_ENV: "production", STRIPE_SECRET_KEY: "sk_live_abc" })).toEqual({ kind: "stripe", live: true });
    expect(() => resolveStripeMode({ NODE_ENV: "production", STRIPE_EMULATOR: "1" })).toThrow(/STRIPE_EMULATOR: cannot be 1 when NODE_ENV=production/);
  });

  it("can be switched off, and names bad values", () => {
    expect(resolveStripeMode({ STRIPE_EMULATOR: "0" })).toEqual({ kind: "none" });
    expect(() => resolveStripeMode({ STRIPE_EMULATOR: "yes" })).toThrow(/STRIPE_EMULATOR: must be 1/);
    expect(() => resolveStripeMode({ STRIPE_EMULATOR_PORT: "0" })).toThrow(EnvError);
  });

  it("tells the build whether to include the browser stand-in", () => {
    expect(stripeBuildEnv(resolveStripeMode({}))).toEqual({ NEXT_PUBLIC_STRIPE_EMULATOR_URL: "http://127.0.0.1:12111" });
    expect(stripeBuildEnv(resolveStripeMode({ STRIPE_SECRET_KEY: "sk_live_abc" }))).toEqual({ NEXT_PUBLIC_STRIPE_EMULATOR_URL: "" });
  });
});

describe("the emulator as the launcher runs it", () => {
  it("refuses a port that another program holds", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "carebill-stripe-runtime-"));
    directories.push(dataDir);
    const sockets = new Set<Socket>();
    const blocker = createServer((socket) => {
      sockets.add(socket);
      socket.on("error", () => undefined);
      socket.end("HTTP/1.1 200 OK\r\nconnection: close\r\ncontent-length: 2\r\n\r\nno");
    });
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const mode = resolveStripeMode({ STRIPE_EMULATOR_PORT: String(port) });
      await expect(startStripeRuntime({ mode, source: {}, dataDir, appUrl: "http://localhost:3999", log })).rejects.toThrow(
        /STRIPE_EMULATOR_PORT: port \d+ is already in use/,
      );
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => blocker.close(() => resolve()));
    }
  }, 60_000);

  it("starts it with demo keys kept in the data dir, hands the app its variables, and stops it", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "carebill-stripe-runtime-"));
    directories.push(dataDir);
    const port = await freePort();
    const mode = resolveStripeMode({ STRIPE_EMULATOR_PORT: String(port) });
    const options = { mode, source: {}, dataDir, appUrl: "http://localhost:3999", log };

    const first = await startStripeRuntime(options);
    const { env } = first;
    try {
      expect(env).toMatchObject({
        STRIPE_EMULATOR_URL: `http://127.0.0.1:${port}`,
        NEXT_PUBLIC_STRIPE_EMULATOR_URL: `http://127.0.0.1:${port}`,
        STRIPE_SECRET_KEY: expect.stringMatching(/^sk_test_demo[0-9a-f]{24}$/),
        STRIPE_WEBHOOK_SECRET: expect.stringMatching(/^whsec_demo/),
      });
      expect(env.STRIPE_PUBLISHABLE_KEY).toBe(`pk_test_${env.STRIPE_SECRET_KEY?.slice("sk_test_".length)}`);
      const stripe = new Stripe(env.STRIPE_SECRET_KEY ?? "", { host: "127.0.0.1", port, protocol: "http", maxNetworkRetries: 0 });
      const customer = await stripe.customers.create();

      // Another Carebill (another data dir: other keys, other state) is refused, naming the running emulator.
      const otherDataDir = await mkdtemp(join(tmpdir(), "carebill-stripe-runtime-"));
      directories.push(otherDataDir);
      await expect(startStripeRuntime({ ...options, dataDir: otherDataDir })).rejects.toThrow(
        /STRIPE_EMULATOR_PORT: port \d+ is used by another Carebill Stripe emulator \(pid \d+/,
      );
      await first.stop();
      const saved = join(dataDir, "stripe-emulator.json");
      expect(await readFile(saved, "utf8")).toContain(customer.id);
      expect(statSync(saved).mode & 0o077).toBe(0);

      const second = await startStripeRuntime(options);
      try {
        expect(second.env.STRIPE_SECRET_KEY).toBe(env.STRIPE_SECRET_KEY);
        expect((await stripe.customers.retrieve(customer.id)).id).toBe(customer.id);
      } finally {
        await second.stop();
      }
    } finally {
      await first.stop();
    }
  }, 60_000);
});
