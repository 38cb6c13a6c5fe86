/**
 * Item: a crash of the app server under `npm start` must not take the Stripe emulator with it.
 * Real processes: the emulator CLI as the launcher starts it, a stand-in app server as a child
 * process killed with SIGKILL, the launcher's own supervision (superviseApp), and a second start
 * that finds the emulator still running.
 */
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer as createHttpServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import Stripe from "stripe";
import { afterAll, describe, expect, it } from "vitest";
import { resolveStripeMode, startStripeRuntime } from "./stripe-runtime";
import { superviseApp } from "./supervise-app";
import { freePort } from "@/tests/free-port";

const log = pino({ level: "silent" });
const directories: string[] = [];
const emulatorPids = new Set<number>();
afterAll(async () => {
  // Only if the test failed half-way: stop the emulator this test started, by its pid.
  for (const pid of emulatorPids) {
    try {
      process.kill(pid, "SIGTERM");
    } catch {
      // already gone
    }
  }
  for (const directory of directories) await rm(directory, { recursive: true, force: true });
});

/** Polls `check` until it returns a value (the machine may be slow: a generous deadline, no fixed sleeps). */
async function waitFor<T>(check: () => Promise<T | undefined> | T | undefined, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

type Health = { ok: boolean; emulator: string; pid: number; pending_webhooks: number };

async function health(port: number): Promise<Health | null> {
  try {
    return (await (await fetch(`http://127.0.0.1:${port}/_emulator/health`)).json()) as Health;
  } catch {
    return null;
  }
}

type Delivery = { event_id: string; outcome: string; status_code: number | null };

/** A stand-in for the app server: answers every webhook 200, in a process of its own. */
const APP_SERVER = `require("node:http").createServer((req, res) => { req.resume(); req.on("end", () => res.end("{}")); })
  .listen(Number(process.env.PORT), "127.0.0.1", () => console.log("listening"));`;

/** The app back up: records the webhooks it receives. */
async function startReceiver(port: number): Promise<{ server: Server; received: { body: string; signature: string }[] }> {
  const received: { body: string; signature: string }[] = [];
  const server = createHttpServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      received.push({ body, signature: String(req.headers["stripe-signature"] ?? "") });
      res.end("{}");
    });
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return { server, received };
}

describe("the app server crashes under npm start", () => {
  it("a kill -9 of the app server leaves the emulator answering; a webhook missed meanwhile arrives once an app listens again; the next start adopts the emulator", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "carebill-app-crash-"));
    directories.push(dataDir);
    const port = await freePort();
    const appPort = await freePort();
    const options = { mode: resolveStripeMode({ STRIPE_EMULATOR_PORT: String(port) }), source: {}, dataDir, appUrl: `http://127.0.0.1:${appPort}`, log };

    const runtime = await startStripeRuntime(options);
    const started = await health(port);
    expect(started).toMatchObject({ ok: true, emulator: "carebill-stripe-emulator" });
    emulatorPids.add(started!.pid);

    const app = spawn(process.execPath, ["-e", APP_SERVER], { env: { ...process.env, PORT: String(appPort) }, stdio: ["ignore", "pipe", "inherit"] });
    let appOutput = "";
    app.stdout.on("data", (chunk: Buffer) => (appOutput += chunk.toString()));
    await waitFor(() => (appOutput.includes("listening") ? true : undefined), 30_000);
    const supervisor = superviseApp({ app, stopRuntime: (how) => runtime.stop({ leaveEmulatorRunning: how.leaveStripeEmulatorRunning }), log });

    const stripe = new Stripe(runtime.env.STRIPE_SECRET_KEY!, { host: "127.0.0.1", port, protocol: "http", maxNetworkRetries: 0 });
    const deliveries = async () =>
      (await (
        await fetch(`http://127.0.0.1:${port}/_emulator/deliveries`, { headers: { authorization: `Bearer ${runtime.env.STRIPE_SECRET_KEY}` } })
      ).json()) as { data: Delivery[]; pending: number };
    const before = await stripe.customers.create();
    await waitFor(async () => ((await deliveries()).data.some((delivery) => delivery.outcome === "delivered") ? true : undefined));

    // The crash: the app server is killed; the launcher stops with an error but leaves the emulator.
    app.kill("SIGKILL");
    expect(await supervisor.exited).toBe(1);
    const after = await health(port);
    expect(after?.pid).toBe(started!.pid);
    expect((await stripe.customers.retrieve(before.id)).id).toBe(before.id);

    // Stripe keeps going while the app is down: this event cannot be delivered yet.
    const missed = await stripe.customers.create();
    const [event] = (await stripe.events.list({ type: "customer.created", limit: 10 })).data.filter(
      (candidate) => (candidate.data.object as Stripe.Customer).id === missed.id,
    );
    expect(event).toBeDefined();
    await waitFor(async () => {
      const state = await deliveries();
      return state.pending > 0 && state.data.some((delivery) => delivery.event_id === event!.id && delivery.outcome === "failed") ? true : undefined;
    });

    // The app is back on its port: the emulator's retry (with backoff) delivers the missed event.
    const receiver = await startReceiver(appPort);
    try {
      const delivered = await waitFor(() => receiver.received.find((webhook) => webhook.body.includes(event!.id)));
      const verified = Stripe.webhooks.constructEvent(delivered.body, delivered.signature, runtime.env.STRIPE_WEBHOOK_SECRET!);
      expect(verified).toMatchObject({ id: event!.id, type: "customer.created" });
      await waitFor(async () => ((await deliveries()).pending === 0 ? true : undefined));
    } finally {
      await new Promise<void>((resolve) => receiver.server.close(() => resolve()));
    }

    // `npm start` again: the emulator on the port is this data dir's, so it is reused, not a "port taken" failure.
    const second = await startStripeRuntime(options);
    expect(second.env).toMatchObject({ STRIPE_EMULATOR_URL: `http://127.0.0.1:${port}`, STRIPE_SECRET_KEY: runtime.env.STRIPE_SECRET_KEY });
    expect((await health(port))?.pid).toBe(started!.pid);
    expect((await stripe.customers.retrieve(missed.id)).id).toBe(missed.id);

    // A normal stop of that launcher stops the emulator it adopted.
    await second.stop();
    await waitFor(async () => ((await health(port)) === null ? true : undefined), 30_000);
    emulatorPids.delete(started!.pid);
  }, 240_000);
});
