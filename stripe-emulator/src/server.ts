import { createHash, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { z } from "zod";
import { clientRoutes } from "./client-routes";
import { API_VERSION, type Context } from "./context";
import { authenticationError, StripeApiError, type StripeErrorBody } from "./errors";
import { parseForm, type FormObject } from "./form";
import { randomToken } from "./ids";
import { present } from "./render";
import { balanceTransactionRoutes } from "./resources/balance-transactions";
import { chargeRoutes } from "./resources/charges";
import { customerRoutes } from "./resources/customers";
import { closeDispute, disputeRoutes, getDisputeOrThrow, openDispute } from "./resources/disputes";
import { eventRoutes } from "./resources/events";
import { paymentIntentRoutes } from "./resources/payment-intents";
import { paymentMethodRoutes, simulateAccountUpdate } from "./resources/payment-methods";
import { refundRoutes } from "./resources/refunds";
import { setupIntentRoutes } from "./resources/setup-intents";
import type { ApiResult, Route } from "./router";
import { Store, type AccountState } from "./store";
import { runDueTasks, TaskTimer } from "./tasks";
import { challengePage, completeChallenge, completionPage, findAuthentication, receiptPage } from "./three-d-secure";
import { NORMAL_MODE, WebhookDispatcher } from "./webhooks";

export type EmulatorOptions = {
  port?: number;
  host?: string;
  persistFile?: string;
  webhook?: { url: string; secret: string };
  /** How long "shortly after" is (refund settlement, async balance transactions, test disputes). Default 1000. */
  asyncDelayMs?: number;
  /** First webhook retry delay in ms; doubles per attempt. Default 1000. */
  webhookRetryBaseMs?: number;
  /** Longest wait between two attempts, in ms. Default 60 000 (Stripe waits up to hours; a local app should not). */
  webhookRetryMaxDelayMs?: number;
  /** How long failed deliveries are retried, in ms. Default 3 days, as Stripe does in live mode. */
  webhookRetryForMs?: number;
  /** Attempts per event before giving up, whatever the time. Default: no limit but webhookRetryForMs. */
  webhookMaxAttempts?: number;
  /**
   * Called after `POST /_emulator/shutdown` with the global webhook's secret: the launcher that
   * adopted an emulator started by an earlier run stops it this way.
   */
  onShutdownRequest?: () => void;
};

export type RunningEmulator = { url: string; port: number; close(): Promise<void> };

const API_ROUTES: Route[] = [
  ...customerRoutes,
  ...paymentMethodRoutes,
  ...setupIntentRoutes,
  ...paymentIntentRoutes,
  ...chargeRoutes,
  ...refundRoutes,
  ...balanceTransactionRoutes,
  ...disputeRoutes,
  ...eventRoutes,
];

const IDEMPOTENCY_WINDOW_MS = 24 * 60 * 60 * 1000;
const MAX_BODY_BYTES = 1024 * 1024;

type Reply = { status: number; body: unknown; headers?: Record<string, string> };

type Auth = { kind: "secret"; key: string } | { kind: "publishable"; key: string };

function maskKey(key: string): string {
  return key.length <= 12 ? key : `${key.slice(0, 8)}${"*".repeat(key.length - 12)}${key.slice(-4)}`;
}

function readAuthorization(req: IncomingMessage): string | null {
  const header = req.headers.authorization;
  if (!header) return null;
  const [scheme, value] = header.split(" ", 2);
  if (!value) return null;
  if (scheme?.toLowerCase() === "bearer") return value.trim();
  if (scheme?.toLowerCase() === "basic") return Buffer.from(value, "base64").toString("utf8").split(":")[0] ?? null;
  return null;
}

/** Accepts any `sk_test_`/`rk_test_` key, and `pk_test_` keys for the browser's few calls. */
function authenticate(key: string | null): Auth {
  if (!key) {
    throw authenticationError(
      "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for details, or we can help at https://support.stripe.com/.",
    );
  }
  if (/^(sk|rk)_test_[A-Za-z0-9_]+$/.test(key)) return { kind: "secret", key };
  if (/^pk_test_[A-Za-z0-9_]+$/.test(key)) return { kind: "publishable", key };
  throw authenticationError(`Invalid API Key provided: ${maskKey(key)}`);
}

/** A publishable key `pk_test_X` acts on the state of the secret key `sk_test_X`. */
function accountKeyFor(auth: Auth): string {
  return auth.kind === "secret" ? auth.key : `sk_test_${auth.key.slice("pk_test_".length)}`;
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonical(item)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw new StripeApiError(413, { type: "invalid_request_error", message: "Request body too large." });
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function errorReply(error: StripeApiError): Reply {
  return { status: error.status, body: { error: error.body } };
}

const ControlBody = {
  advance: z.object({ seconds: z.coerce.number().int().min(0) }),
  webhook: z.object({
    url: z.string().url().nullable(),
    secret: z
      .string()
      .regex(/^whsec_/)
      .optional(),
  }),
  mode: z.object({
    mode: z.enum(["normal", "duplicate", "delay", "reorder", "drop_then_redeliver"]),
    count: z.coerce.number().int().min(1).max(20).optional(),
    delay_ms: z.coerce.number().int().min(0).max(60_000).optional(),
  }),
  openDispute: z.object({ charge: z.string(), inquiry: z.union([z.boolean(), z.enum(["true", "false"])]).optional() }),
  closeDispute: z.object({ status: z.enum(["won", "lost"]) }),
  shutdown: z.object({ webhook_secret: z.string().min(1) }),
  accountUpdate: z.object({
    exp_month: z.coerce.number().int().min(1).max(12),
    exp_year: z.coerce.number().int().min(2000).max(2100),
    last4: z
      .string()
      .regex(/^[0-9]{4}$/)
      .optional(),
  }),
};

/** What `GET /_emulator/health` calls itself, for launchers looking for their own emulator. */
export const EMULATOR_NAME = "carebill-stripe-emulator";

export function sha256(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(sha256(a), "hex");
  const right = Buffer.from(sha256(b), "hex");
  return timingSafeEqual(left, right);
}

/**
 * Starts the emulator on loopback. Each `sk_test_` key gets its own state; `/_emulator/...`
 * routes control the clock, webhooks and test scenarios.
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const host = options.host ?? "127.0.0.1";
  const store = new Store(options.persistFile);
  if (options.asyncDelayMs !== undefined) store.asyncDelayMs = options.asyncDelayMs;
  const dispatcher = new WebhookDispatcher(
    store,
    {
      retryBaseMs: options.webhookRetryBaseMs ?? 1000,
      retryMaxDelayMs: options.webhookRetryMaxDelayMs ?? 60_000,
      retryForMs: options.webhookRetryForMs ?? 3 * 24 * 60 * 60 * 1000,
      maxAttempts: options.webhookMaxAttempts ?? Infinity,
      timeoutMs: 10_000,
    },
    options.webhook ?? null,
  );
  store.eventListener = (account, event) => dispatcher.enqueue(account, event);
  let origin = "";
  const timer = new TaskTimer(store, () => origin);

  function baseUrl(req: IncomingMessage): string {
    return req.headers.host ? `http://${req.headers.host}` : origin;
  }

  function contextFor(account: AccountState, req: IncomingMessage, requestId: string | null, idempotencyKey: string | null): Context {
    return { store, account, requestId, idempotencyKey, baseUrl: baseUrl(req) };
  }

  function findRoute(routes: Route[], method: string, path: string): { route: Route; pathParams: string[] } | null {
    for (const candidate of routes) {
      if (candidate.method !== method) continue;
      const match = candidate.pattern.exec(path);
      if (match) return { route: candidate, pathParams: match.slice(1) };
    }
    return null;
  }

  async function handleApi(req: IncomingMessage, path: string, query: string, requestId: string): Promise<Reply> {
    const method = req.method ?? "GET";
    const body = method === "POST" ? await readBody(req) : "";
    const params: FormObject = { ...parseForm(query), ...parseForm(body) };
    let keyText = readAuthorization(req);
    if (!keyText && typeof params.key === "string") keyText = params.key;
    const auth = authenticate(keyText);
    const account = store.account(accountKeyFor(auth));
    runDueTasks(store, account, baseUrl(req));
    const idempotencyKey = method === "POST" ? ((req.headers["idempotency-key"] as string | undefined) ?? null) : null;
    const reply = ((): Reply => {
      if (idempotencyKey !== null) {
        if (idempotencyKey.length > 255) {
          return errorReply(new StripeApiError(400, { type: "invalid_request_error", message: "Idempotency keys must be at most 255 characters long." }));
        }
        const fingerprint = `${method} ${path} ${canonical(params)}`;
        const existing = account.idempotency[idempotencyKey];
        if (existing && existing.createdAt + IDEMPOTENCY_WINDOW_MS > store.nowMs(account)) {
          if (existing.fingerprint !== fingerprint) {
            return errorReply(
              new StripeApiError(400, {
                type: "idempotency_error",
                message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${idempotencyKey}' if you meant to execute a different request.`,
              }),
            );
          }
          return {
            status: existing.status,
            body: JSON.parse(existing.body),
            headers: { "Idempotent-Replayed": "true", "Original-Request": existing.requestId },
          };
        }
        const result = execute(auth, account, method, path, params, req, requestId, idempotencyKey);
        pruneIdempotency(account);
        if (result.status < 400 || result.status === 402) {
          account.idempotency[idempotencyKey] = {
            method,
            path,
            fingerprint,
            status: result.status,
            body: JSON.stringify(result.body),
            createdAt: store.nowMs(account),
            requestId,
          };
        }
        return result;
      }
      return execute(auth, account, method, path, params, req, requestId, null);
    })();
    store.logRequest(account.key, {
      id: requestId,
      method,
      path,
      params,
      idempotency_key: idempotencyKey,
      status: reply.status,
      created: store.nowSeconds(account),
    });
    if (method !== "GET") store.scheduleSave();
    timer.arm();
    return reply;
  }

  /** Drops keys older than 24 emulated hours once there are many, so memory and state files stay small. */
  function pruneIdempotency(account: AccountState): void {
    const keys = Object.keys(account.idempotency);
    if (keys.length < 1000) return;
    const cutoff = store.nowMs(account) - IDEMPOTENCY_WINDOW_MS;
    for (const key of keys) {
      if ((account.idempotency[key]?.createdAt ?? 0) <= cutoff) delete account.idempotency[key];
    }
  }

  function execute(
    auth: Auth,
    account: AccountState,
    method: string,
    path: string,
    params: FormObject,
    req: IncomingMessage,
    requestId: string,
    idempotencyKey: string | null,
  ): Reply {
    const ctx = contextFor(account, req, requestId, idempotencyKey);
    try {
      const found = findRoute(auth.kind === "secret" ? API_ROUTES : clientRoutes, method, path);
      if (found) {
        const result: ApiResult = found.route.handler(ctx, params, found.pathParams);
        return { status: result.status ?? 200, body: result.body };
      }
      if (auth.kind === "publishable" && findRoute(API_ROUTES, method, path)) {
        throw authenticationError(
          "This API call cannot be made with a publishable API key. Please use a secret API key. You can find a list of your API keys at https://dashboard.stripe.com/account/apikeys.",
        );
      }
      throw new StripeApiError(404, {
        type: "invalid_request_error",
        message: `Unrecognized request URL (${method}: ${path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`,
      });
    } catch (error) {
      if (error instanceof StripeApiError) return errorReply(error);
      console.error(JSON.stringify({ level: "error", msg: "stripe-emulator handler failed", requestId, error: String(error), stack: (error as Error).stack }));
      return { status: 500, body: { error: { type: "api_error", message: `An unknown error occurred (request ${requestId}).` } satisfies StripeErrorBody } };
    }
  }

  async function readControlBody(req: IncomingMessage): Promise<Record<string, unknown>> {
    const text = await readBody(req);
    if (text.trim() === "") return {};
    if ((req.headers["content-type"] ?? "").includes("application/json")) {
      try {
        return JSON.parse(text) as Record<string, unknown>;
      } catch {
        throw new StripeApiError(400, { type: "invalid_request_error", message: "Invalid JSON body." });
      }
    }
    return parseForm(text);
  }

  function parseControl<T>(schema: z.ZodType<T>, body: unknown): T {
    const result = schema.safeParse(body);
    if (!result.success) {
      const issue = result.error.issues[0];
      throw new StripeApiError(400, {
        type: "invalid_request_error",
        message: issue ? `${issue.path.join(".") || "body"}: ${issue.message}` : "Invalid body.",
        ...(issue?.path[0] !== undefined ? { param: String(issue.path[0]) } : {}),
      });
    }
    return result.data;
  }

  /** Test-only routes. An `Authorization: Bearer sk_test_...` header scopes them to that key. */
  async function handleControl(req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams): Promise<Reply | null> {
    const method = req.method ?? "GET";
    const keyText = readAuthorization(req);
    const scopedAccount = keyText ? store.account(accountKeyFor(authenticate(keyText))) : null;
    const accounts = () => (scopedAccount ? [scopedAccount] : [...store.accounts.values()]);
    const origin = baseUrl(req);
    const ctxFor = (account: AccountState): Context => ({ store, account, requestId: null, idempotencyKey: null, baseUrl: origin });
    const requireAccount = (): AccountState => {
      if (!scopedAccount) throw authenticationError("This test route needs an Authorization: Bearer sk_test_... header.");
      return scopedAccount;
    };

    if (method === "GET" && path === "/_emulator/health") {
      // Who this is, so that a launcher can tell its own emulator (same state file, same webhook
      // endpoint and secret) from another program on the port. The secret is never shown.
      const endpoint = dispatcher.globalEndpoint;
      return {
        status: 200,
        body: {
          ok: true,
          emulator: EMULATOR_NAME,
          pid: process.pid,
          state_file: options.persistFile ?? null,
          webhook: endpoint ? { url: endpoint.url, secret_sha256: sha256(endpoint.secret) } : null,
          pending_webhooks: dispatcher.pending(),
        },
      };
    }
    if (method === "POST" && path === "/_emulator/shutdown") {
      const { webhook_secret: secret } = parseControl(ControlBody.shutdown, await readControlBody(req));
      const endpoint = dispatcher.globalEndpoint;
      if (!options.onShutdownRequest || !endpoint || !safeEqual(secret, endpoint.secret)) {
        throw new StripeApiError(403, {
          type: "invalid_request_error",
          message: "Only the launcher that configured this emulator's webhook can stop it.",
          param: "webhook_secret",
        });
      }
      setImmediate(options.onShutdownRequest);
      return { status: 200, body: { ok: true, stopping: true } };
    }
    if (method === "POST" && path === "/_emulator/reset") {
      store.reset(scopedAccount?.key);
      dispatcher.reset(scopedAccount?.key);
      return { status: 200, body: { ok: true } };
    }
    if (method === "GET" && path === "/_emulator/clock") {
      const account = requireAccount();
      return { status: 200, body: { now: store.nowSeconds(account), offset_seconds: Math.round((account.clockOffsetMs + store.globalOffsetMs) / 1000) } };
    }
    if (method === "POST" && path === "/_emulator/advance-time") {
      const { seconds } = parseControl(ControlBody.advance, await readControlBody(req));
      if (scopedAccount) scopedAccount.clockOffsetMs += seconds * 1000;
      else store.globalOffsetMs += seconds * 1000;
      let ran = 0;
      for (const account of accounts()) ran += runDueTasks(store, account, origin);
      store.scheduleSave();
      timer.arm();
      return { status: 200, body: { ok: true, tasks_run: ran, ...(scopedAccount ? { now: store.nowSeconds(scopedAccount) } : {}) } };
    }
    if (method === "POST" && path === "/_emulator/webhook") {
      const { url, secret } = parseControl(ControlBody.webhook, await readControlBody(req));
      if (url !== null && !secret) throw new StripeApiError(400, { type: "invalid_request_error", message: "secret (whsec_...) is required", param: "secret" });
      const config = url === null || !secret ? null : { url, secret };
      if (scopedAccount) scopedAccount.webhook = config;
      else dispatcher.globalEndpoint = config;
      store.scheduleSave();
      return { status: 200, body: { ok: true, webhook: config ? { url: config.url } : null } };
    }
    if (method === "POST" && path === "/_emulator/delivery-mode") {
      const input = parseControl(ControlBody.mode, await readControlBody(req));
      const mode = { ...NORMAL_MODE, mode: input.mode, count: input.count ?? (input.mode === "duplicate" ? 2 : 1), delayMs: input.delay_ms ?? 0 };
      if (scopedAccount) dispatcher.modes.set(scopedAccount.key, mode);
      else dispatcher.globalMode = mode;
      return { status: 200, body: { ok: true, mode: input.mode, count: mode.count, delay_ms: mode.delayMs } };
    }
    if (method === "GET" && path === "/_emulator/deliveries") {
      const key = scopedAccount?.key;
      return { status: 200, body: { object: "list", data: dispatcher.deliveries(key), pending: dispatcher.pending(key) } };
    }
    if (method === "GET" && path === "/_emulator/requests") {
      const data = scopedAccount ? (store.requestLogs.get(scopedAccount.key) ?? []) : [...store.requestLogs.values()].flat();
      return { status: 200, body: { object: "list", data } };
    }
    if (method === "POST" && path === "/_emulator/disputes") {
      const account = requireAccount();
      const input = parseControl(ControlBody.openDispute, await readControlBody(req));
      const dispute = openDispute(ctxFor(account), input.charge, input.inquiry === true || input.inquiry === "true");
      store.scheduleSave();
      return { status: 200, body: present(ctxFor(account), dispute) };
    }
    const accountUpdateMatch = /^\/_emulator\/payment-methods\/([^/]+)\/account-update$/.exec(path);
    if (method === "POST" && accountUpdateMatch?.[1]) {
      const account = requireAccount();
      const input = parseControl(ControlBody.accountUpdate, await readControlBody(req));
      const ctx = ctxFor(account);
      const paymentMethod = simulateAccountUpdate(ctx, decodeURIComponent(accountUpdateMatch[1]), {
        expMonth: input.exp_month,
        expYear: input.exp_year,
        last4: input.last4,
      });
      store.scheduleSave();
      return { status: 200, body: present(ctx, paymentMethod) };
    }
    const closeMatch = /^\/_emulator\/disputes\/([^/]+)\/close$/.exec(path);
    if (method === "POST" && closeMatch?.[1]) {
      const account = requireAccount();
      const { status } = parseControl(ControlBody.closeDispute, await readControlBody(req));
      const ctx = ctxFor(account);
      const dispute = getDisputeOrThrow(ctx, decodeURIComponent(closeMatch[1]));
      closeDispute(ctx, dispute, status);
      store.scheduleSave();
      return { status: 200, body: present(ctx, dispute) };
    }
    const threeDsMatch = /^\/_emulator\/3ds\/([A-Za-z0-9]+)$/.exec(path);
    if (threeDsMatch?.[1]) {
      const token = threeDsMatch[1];
      const pending = findAuthentication(store, token);
      if (method === "GET") {
        sendHtml(res, 200, challengePage(token, pending));
        return null;
      }
      if (method === "POST") {
        const body = await readControlBody(req);
        const action = body.action ?? query.get("action");
        if (!pending || pending.intent.status !== "requires_action") {
          sendHtml(res, 409, challengePage(token, null));
          return null;
        }
        const approved = action === "approve";
        if (!approved && action !== "fail")
          throw new StripeApiError(400, { type: "invalid_request_error", message: "action must be approve or fail", param: "action" });
        const redirect = completeChallenge(ctxFor(pending.account), pending, approved);
        store.scheduleSave();
        timer.arm();
        if (redirect) {
          res.writeHead(303, { Location: redirect });
          res.end();
        } else {
          sendHtml(res, 200, completionPage(approved, pending.intent.id));
        }
        return null;
      }
    }
    const receiptMatch = /^\/_emulator\/receipts\/(ch_[A-Za-z0-9]+)$/.exec(path);
    if (method === "GET" && receiptMatch?.[1]) {
      for (const account of store.accounts.values()) {
        const charge = account.charges[receiptMatch[1]];
        if (charge) {
          sendHtml(res, 200, receiptPage(charge));
          return null;
        }
      }
    }
    return { status: 404, body: { error: { type: "invalid_request_error", message: `Unrecognized emulator route (${method}: ${path}).` } } };
  }

  function sendHtml(res: ServerResponse, status: number, html: string): void {
    res.writeHead(status, { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" });
    res.end(html);
  }

  function sendJson(res: ServerResponse, reply: Reply, requestId: string, req: IncomingMessage): void {
    const headers: Record<string, string> = {
      "Content-Type": "application/json",
      "Request-Id": requestId,
      "Stripe-Version": (req.headers["stripe-version"] as string | undefined) ?? API_VERSION,
      "Cache-Control": "no-cache, no-store",
      ...reply.headers,
    };
    const idempotencyKey = req.headers["idempotency-key"];
    if (typeof idempotencyKey === "string" && req.method === "POST") headers["Idempotency-Key"] = idempotencyKey;
    res.writeHead(reply.status, headers);
    res.end(`${JSON.stringify(reply.body, null, 2)}\n`);
  }

  const server = createServer((req, res) => {
    const requestId = `req_${randomToken(14)}`;
    res.setHeader("Access-Control-Allow-Origin", "*");
    res.setHeader("Access-Control-Allow-Headers", "Authorization, Content-Type, Idempotency-Key, Stripe-Version, Stripe-Account");
    res.setHeader("Access-Control-Allow-Methods", "GET, POST, DELETE, OPTIONS");
    res.setHeader("Access-Control-Expose-Headers", "Request-Id, Idempotent-Replayed, Original-Request");
    if (req.method === "OPTIONS") {
      res.writeHead(204);
      res.end();
      return;
    }
    const url = new URL(req.url ?? "/", "http://emulator.invalid");
    const handle = async (): Promise<Reply | null> => {
      if (url.pathname.startsWith("/v1/")) return handleApi(req, url.pathname, url.search.slice(1), requestId);
      if (url.pathname.startsWith("/_emulator/")) return handleControl(req, res, url.pathname, url.searchParams);
      return { status: 404, body: { error: { type: "invalid_request_error", message: `Unrecognized request URL (${req.method}: ${url.pathname}).` } } };
    };
    handle()
      .catch((error: unknown) => {
        if (error instanceof StripeApiError) return errorReply(error);
        console.error(JSON.stringify({ level: "error", msg: "stripe-emulator request failed", requestId, error: String(error) }));
        return { status: 500, body: { error: { type: "api_error", message: `An unknown error occurred (request ${requestId}).` } } };
      })
      .then((reply) => {
        if (reply && !res.headersSent) sendJson(res, reply, requestId, req);
      })
      .catch(() => res.destroy());
  });
  server.keepAliveTimeout = 5000;

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  origin = `http://${host.includes(":") ? `[${host}]` : host}:${address.port}`;
  timer.runAll();
  timer.arm();

  return {
    url: origin,
    port: address.port,
    async close() {
      timer.stop();
      dispatcher.close();
      store.saveNow();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
