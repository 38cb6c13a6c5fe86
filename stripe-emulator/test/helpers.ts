import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import Stripe from "stripe";
import { startEmulator, type EmulatorOptions, type RunningEmulator } from "../src/server";

export type Harness = {
  emulator: RunningEmulator;
  key: string;
  stripe: Stripe;
  /** Calls a `/_emulator/...` route scoped to this harness's key. */
  control: <T = Record<string, unknown>>(method: "GET" | "POST", path: string, body?: Record<string, unknown>) => Promise<T>;
  /** Raw HTTP against the emulator with this key, for wire-level assertions. */
  raw: (method: string, path: string, options?: { body?: string; headers?: Record<string, string> }) => Promise<Response>;
  close: () => Promise<void>;
};

export function randomKey(): string {
  return `sk_test_${randomBytes(12).toString("hex")}`;
}

export function sdkFor(emulator: RunningEmulator, key: string): Stripe {
  return new Stripe(key, { host: "127.0.0.1", port: emulator.port, protocol: "http", maxNetworkRetries: 0 });
}

export async function startHarness(options: EmulatorOptions = {}): Promise<Harness> {
  const emulator = await startEmulator({ port: 0, ...options });
  const key = randomKey();
  const stripe = sdkFor(emulator, key);
  const raw: Harness["raw"] = (method, path, init = {}) =>
    fetch(`${emulator.url}${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${key}`,
        ...(init.body !== undefined ? { "Content-Type": "application/x-www-form-urlencoded" } : {}),
        ...init.headers,
      },
      body: init.body,
    });
  return { emulator, key, stripe, control: controlFor(emulator, key), raw, close: () => emulator.close() };
}

/** `/_emulator/...` calls scoped to `key`. */
export function controlFor(emulator: RunningEmulator, key: string): Harness["control"] {
  return async (method, path, body) => {
    const response = await fetch(`${emulator.url}/_emulator${path}`, {
      method,
      headers: { Authorization: `Bearer ${key}`, "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = (await response.json()) as Record<string, unknown>;
    if (!response.ok) throw new Error(`${method} ${path} → ${response.status}: ${JSON.stringify(json)}`);
    return json as never;
  };
}

/** Advances this key's emulated clock and runs whatever became due; returns how many tasks ran. */
export async function advance(harness: Harness, seconds: number): Promise<number> {
  const result = await harness.control<{ tasks_run: number }>("POST", "/advance-time", { seconds });
  return result.tasks_run;
}

export type ReceivedWebhook = { body: string; signature: string; receivedAt: number };

export type WebhookReceiver = {
  url: string;
  received: ReceivedWebhook[];
  /** Status to answer with; a function lets a test fail the first attempts. */
  respond: (request: ReceivedWebhook, index: number) => number;
  close: () => Promise<void>;
};

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const receiver: WebhookReceiver = { url: "", received: [], respond: () => 200, close: async () => undefined };
  const server: Server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const webhook = {
        body: Buffer.concat(chunks).toString("utf8"),
        signature: String(req.headers["stripe-signature"] ?? ""),
        receivedAt: Date.now(),
      };
      receiver.received.push(webhook);
      res.writeHead(receiver.respond(webhook, receiver.received.length - 1));
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook`;
  receiver.close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return receiver;
}

/** Polls until `check` returns a value that is not undefined (or throws after `timeoutMs`). */
export async function waitFor<T>(check: () => T | undefined | Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error("waitFor timed out");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The error a promise rejects with (fails the test if it resolves). */
export async function errorOf(promise: Promise<unknown>): Promise<Stripe.errors.StripeError> {
  try {
    await promise;
  } catch (error) {
    return error as Stripe.errors.StripeError;
  }
  throw new Error("expected the call to fail");
}
