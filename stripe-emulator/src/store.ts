import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type Stripe from "stripe";

/** Emulator-only facts about a PaymentMethod that Stripe keeps on its side. */
export type CardRecord = {
  number: string;
  /** Set up for future use (SetupIntent or `setup_future_usage`), so 3155 skips 3-D Secure off session. */
  setUp: boolean;
};

/** Emulator-only facts about a PaymentIntent or SetupIntent between API calls. */
export type IntentRecord = {
  returnUrl: string | null;
  offSession: boolean;
  /** Opaque token in the 3-D Secure page URL; lets a browser reach the intent without an API key. */
  threeDsToken: string | null;
};

export type ScheduledTask =
  | { at: number; kind: "settle_refund"; refund: string }
  | { at: number; kind: "expire_authorization"; paymentIntent: string }
  | { at: number; kind: "open_dispute"; charge: string; inquiry: boolean }
  | { at: number; kind: "attach_balance_transaction"; charge: string };

export type IdempotencyRecord = {
  method: string;
  path: string;
  fingerprint: string;
  status: number;
  body: string;
  createdAt: number;
  requestId: string;
};

export type WebhookConfig = { url: string; secret: string };

export type RequestLogEntry = {
  id: string;
  method: string;
  path: string;
  params: unknown;
  idempotency_key: string | null;
  status: number;
  created: number;
};

/** One API key's world: Stripe accounts do not share objects, and neither do test files. */
export type AccountState = {
  key: string;
  clockOffsetMs: number;
  customers: Record<string, Stripe.Customer>;
  deletedCustomers: Record<string, true>;
  paymentMethods: Record<string, Stripe.PaymentMethod>;
  cards: Record<string, CardRecord>;
  setupIntents: Record<string, Stripe.SetupIntent>;
  paymentIntents: Record<string, Stripe.PaymentIntent>;
  intents: Record<string, IntentRecord>;
  charges: Record<string, Stripe.Charge>;
  refunds: Record<string, Stripe.Refund>;
  balanceTransactions: Record<string, Stripe.BalanceTransaction>;
  disputes: Record<string, Stripe.Dispute>;
  events: Record<string, Stripe.Event>;
  idempotency: Record<string, IdempotencyRecord>;
  tasks: ScheduledTask[];
  webhook: WebhookConfig | null;
};

type PersistedState = {
  version: 1;
  globalOffsetMs: number;
  accounts: AccountState[];
};

export function emptyAccount(key: string): AccountState {
  return {
    key,
    clockOffsetMs: 0,
    customers: {},
    deletedCustomers: {},
    paymentMethods: {},
    cards: {},
    setupIntents: {},
    paymentIntents: {},
    intents: {},
    charges: {},
    refunds: {},
    balanceTransactions: {},
    disputes: {},
    events: {},
    idempotency: {},
    tasks: [],
    webhook: null,
  };
}

/**
 * All accounts, the emulated clock and persistence. The clock is real time plus an offset
 * that `/_emulator/advance-time` grows, globally or for one API key.
 */
export class Store {
  readonly accounts = new Map<string, AccountState>();
  readonly requestLogs = new Map<string, RequestLogEntry[]>();
  globalOffsetMs = 0;
  /** How long "shortly after" is: refund settlement, async balance transactions, test disputes. */
  asyncDelayMs = 1000;
  /** Called for every event the emulator creates; the webhook dispatcher subscribes here. */
  eventListener: ((account: AccountState, event: Stripe.Event) => void) | null = null;
  private saveTimer: NodeJS.Timeout | null = null;

  constructor(private readonly persistFile?: string) {
    if (persistFile) this.load(persistFile);
  }

  account(key: string): AccountState {
    let account = this.accounts.get(key);
    if (!account) {
      account = emptyAccount(key);
      this.accounts.set(key, account);
    }
    return account;
  }

  nowMs(account: AccountState): number {
    return Date.now() + this.globalOffsetMs + account.clockOffsetMs;
  }

  nowSeconds(account: AccountState): number {
    return Math.floor(this.nowMs(account) / 1000);
  }

  logRequest(key: string, entry: RequestLogEntry): void {
    let log = this.requestLogs.get(key);
    if (!log) {
      log = [];
      this.requestLogs.set(key, log);
    }
    log.push(entry);
    if (log.length > 10_000) log.shift();
  }

  reset(key?: string): void {
    if (key === undefined) {
      this.accounts.clear();
      this.requestLogs.clear();
      this.globalOffsetMs = 0;
    } else {
      this.accounts.delete(key);
      this.requestLogs.delete(key);
    }
    this.scheduleSave();
  }

  /** Debounced save: many changes in one burst produce one write. */
  scheduleSave(): void {
    if (!this.persistFile || this.saveTimer) return;
    this.saveTimer = setTimeout(() => {
      this.saveTimer = null;
      this.saveNow();
    }, 50);
    this.saveTimer.unref();
  }

  /** Atomic write: a crash leaves either the old file or the new one, never half of one. */
  saveNow(): void {
    if (!this.persistFile) return;
    if (this.saveTimer) {
      clearTimeout(this.saveTimer);
      this.saveTimer = null;
    }
    const state: PersistedState = { version: 1, globalOffsetMs: this.globalOffsetMs, accounts: [...this.accounts.values()] };
    mkdirSync(dirname(this.persistFile), { recursive: true });
    const temp = `${this.persistFile}.${process.pid}.tmp`;
    // Its account keys are secret keys (test ones, but still): readable by the owner only.
    writeFileSync(temp, JSON.stringify(state), { mode: 0o600 });
    renameSync(temp, this.persistFile);
  }

  private load(file: string): void {
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
      throw error;
    }
    const state = JSON.parse(text) as PersistedState;
    if (state.version !== 1) throw new Error(`Unsupported emulator state version in ${file}`);
    this.globalOffsetMs = state.globalOffsetMs;
    for (const account of state.accounts) this.accounts.set(account.key, { ...emptyAccount(account.key), ...account });
  }
}
