import { createHmac, randomInt } from "node:crypto";
import type Stripe from "stripe";
import { newId } from "./ids";
import type { AccountState, Store, WebhookConfig } from "./store";

export type DeliveryModeName = "normal" | "duplicate" | "delay" | "reorder" | "drop_then_redeliver";

export type DeliveryMode = {
  mode: DeliveryModeName;
  /** `duplicate`: how many times each event is sent. */
  count: number;
  /** `delay`: wait before each delivery, in milliseconds. */
  delayMs: number;
};

export const NORMAL_MODE: DeliveryMode = { mode: "normal", count: 1, delayMs: 0 };

export type DeliveryRecord = {
  id: string;
  event_id: string;
  event_type: string;
  url: string;
  attempt: number;
  mode: DeliveryModeName;
  outcome: "delivered" | "failed" | "dropped";
  status_code: number | null;
  error: string | null;
  delivered_at: number;
  duration_ms: number;
};

type Job = { event: Stripe.Event; endpoint: WebhookConfig; attempt: number; dropped: boolean; firstAttemptAt: number | null };

type Lane = { queue: Job[]; running: boolean; retries: number; inFlight: number };

export type DispatcherOptions = {
  /** First retry delay; each further retry doubles it, up to `retryMaxDelayMs`. */
  retryBaseMs: number;
  retryMaxDelayMs: number;
  /** Failed deliveries are retried until this long after their first attempt (Stripe: 3 days). */
  retryForMs: number;
  maxAttempts: number;
  timeoutMs: number;
};

/** Stripe's signature header: `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`. */
export function signatureHeader(body: string, secret: string, timestamp: number): string {
  const signature = createHmac("sha256", secret).update(`${timestamp}.${body}`, "utf8").digest("hex");
  return `t=${timestamp},v1=${signature}`;
}

function shuffled<T>(items: T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  // A shuffle that happens to keep the order would make `reorder` a no-op; reverse instead.
  if (copy.length > 1 && copy.every((item, index) => item === items[index])) copy.reverse();
  return copy;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Delivers events to webhook endpoints the way Stripe does: signed JSON POSTs, at least
 * once, first attempts in event order per API key, failures retried with exponential
 * backoff (capped) for up to 3 days, so an app that was down gets them once it is back. Test switches (`duplicate`, `delay`, `reorder`, `drop_then_redeliver`) bend
 * delivery into the shapes Stripe's guarantees allow.
 */
export class WebhookDispatcher {
  globalEndpoint: WebhookConfig | null;
  globalMode: DeliveryMode = NORMAL_MODE;
  readonly modes = new Map<string, DeliveryMode>();
  private readonly lanes = new Map<string, Lane>();
  private readonly records = new Map<string, DeliveryRecord[]>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly abort = new AbortController();
  private closed = false;

  constructor(
    private readonly store: Store,
    private readonly options: DispatcherOptions,
    globalEndpoint: WebhookConfig | null,
  ) {
    this.globalEndpoint = globalEndpoint;
  }

  endpointFor(account: AccountState): WebhookConfig | null {
    return account.webhook ?? this.globalEndpoint;
  }

  modeFor(key: string): DeliveryMode {
    return this.modes.get(key) ?? this.globalMode;
  }

  enqueue(account: AccountState, event: Stripe.Event): void {
    const endpoint = this.endpointFor(account);
    if (!endpoint || this.closed) return;
    event.pending_webhooks = 1;
    this.lane(account.key).queue.push({ event, endpoint, attempt: 0, dropped: false, firstAttemptAt: null });
    void this.drain(account.key);
  }

  deliveries(key?: string): DeliveryRecord[] {
    if (key !== undefined) return [...(this.records.get(key) ?? [])];
    return [...this.records.values()].flat().sort((a, b) => a.delivered_at - b.delivered_at);
  }

  /** Deliveries not finished yet: queued, being sent, or waiting for a retry. */
  pending(key?: string): number {
    const lanes = key === undefined ? [...this.lanes.values()] : [this.lanes.get(key)].filter((lane): lane is Lane => !!lane);
    return lanes.reduce((sum, lane) => sum + lane.queue.length + lane.retries + lane.inFlight, 0);
  }

  reset(key?: string): void {
    if (key === undefined) {
      this.records.clear();
      this.modes.clear();
      this.globalMode = NORMAL_MODE;
      for (const lane of this.lanes.values()) lane.queue.length = 0;
    } else {
      this.records.delete(key);
      this.modes.delete(key);
      const lane = this.lanes.get(key);
      if (lane) lane.queue.length = 0;
    }
  }

  close(): void {
    this.closed = true;
    this.abort.abort();
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private lane(key: string): Lane {
    let lane = this.lanes.get(key);
    if (!lane) {
      lane = { queue: [], running: false, retries: 0, inFlight: 0 };
      this.lanes.set(key, lane);
    }
    return lane;
  }

  private record(key: string, record: DeliveryRecord): void {
    let list = this.records.get(key);
    if (!list) {
      list = [];
      this.records.set(key, list);
    }
    list.push(record);
    if (list.length > 5000) list.shift();
  }

  private async drain(key: string): Promise<void> {
    const lane = this.lane(key);
    if (lane.running) return;
    lane.running = true;
    try {
      while (lane.queue.length > 0 && !this.closed) {
        const mode = this.modeFor(key);
        let batch: Job[];
        if (mode.mode === "reorder") {
          // Let the events of one API call gather, then send them in a shuffled order.
          await sleep(Math.max(mode.delayMs, 50));
          batch = shuffled(lane.queue.splice(0, lane.queue.length));
        } else {
          batch = lane.queue.splice(0, 1);
        }
        lane.inFlight += batch.length;
        for (const job of batch) {
          try {
            await this.attempt(key, lane, job, mode);
          } finally {
            lane.inFlight -= 1;
          }
        }
      }
    } finally {
      lane.running = false;
    }
  }

  private async attempt(key: string, lane: Lane, job: Job, mode: DeliveryMode): Promise<void> {
    if (mode.mode === "delay" && mode.delayMs > 0) await sleep(mode.delayMs);
    if (mode.mode === "drop_then_redeliver" && !job.dropped) {
      job.dropped = true;
      this.record(key, this.recordFor(job, mode, "dropped", null, null, 0));
      this.retryLater(key, lane, job, this.options.retryBaseMs);
      return;
    }
    job.firstAttemptAt ??= Date.now();
    const copies = mode.mode === "duplicate" ? Math.max(1, mode.count) : 1;
    let delivered = false;
    for (let copy = 0; copy < copies; copy++) {
      delivered = (await this.send(key, job, mode)) || delivered;
    }
    if (delivered) {
      job.event.pending_webhooks = 0;
      const stored = this.store.accounts.get(key)?.events[job.event.id];
      if (stored) stored.pending_webhooks = 0;
      return;
    }
    job.attempt += 1;
    const delay = Math.min(this.options.retryBaseMs * 2 ** Math.min(job.attempt - 1, 30), this.options.retryMaxDelayMs);
    const withinWindow = Date.now() + delay - job.firstAttemptAt <= this.options.retryForMs;
    if (job.attempt < this.options.maxAttempts && withinWindow) this.retryLater(key, lane, job, delay);
  }

  private retryLater(key: string, lane: Lane, job: Job, delayMs: number): void {
    lane.retries += 1;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      lane.retries -= 1;
      if (this.closed) return;
      lane.queue.push(job);
      void this.drain(key);
    }, delayMs);
    this.timers.add(timer);
  }

  private async send(key: string, job: Job, mode: DeliveryMode): Promise<boolean> {
    const body = JSON.stringify(job.event, null, 2);
    // Signed with the real time: receivers check the timestamp against their own clock.
    const timestamp = Math.floor(Date.now() / 1000);
    const started = Date.now();
    try {
      const response = await fetch(job.endpoint.url, {
        method: "POST",
        headers: {
          "Content-Type": "application/json; charset=utf-8",
          "User-Agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
          "Stripe-Signature": signatureHeader(body, job.endpoint.secret, timestamp),
        },
        body,
        signal: AbortSignal.any([this.abort.signal, AbortSignal.timeout(this.options.timeoutMs)]),
      });
      await response.arrayBuffer().catch(() => undefined);
      const ok = response.status >= 200 && response.status < 300;
      this.record(key, this.recordFor(job, mode, ok ? "delivered" : "failed", response.status, null, Date.now() - started));
      return ok;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.record(key, this.recordFor(job, mode, "failed", null, message, Date.now() - started));
      return false;
    }
  }

  private recordFor(
    job: Job,
    mode: DeliveryMode,
    outcome: DeliveryRecord["outcome"],
    statusCode: number | null,
    error: string | null,
    duration: number,
  ): DeliveryRecord {
    return {
      id: newId("whdel"),
      event_id: job.event.id,
      event_type: job.event.type,
      url: job.endpoint.url,
      attempt: job.attempt + 1,
      mode: mode.mode,
      outcome,
      status_code: statusCode,
      error,
      delivered_at: Date.now(),
      duration_ms: duration,
    };
  }
}
