import type { Context } from "./context";
import { attachBalanceTransaction } from "./resources/charges";
import { openDispute } from "./resources/disputes";
import { expireAuthorization } from "./resources/payment-intents";
import { settleRefund } from "./resources/refunds";
import type { AccountState, ScheduledTask, Store } from "./store";

function runTask(ctx: Context, task: ScheduledTask): void {
  switch (task.kind) {
    case "settle_refund":
      return settleRefund(ctx, task.refund);
    case "expire_authorization":
      return expireAuthorization(ctx, task.paymentIntent);
    case "open_dispute":
      if (!Object.values(ctx.account.disputes).some((dispute) => dispute.charge === task.charge)) {
        openDispute(ctx, task.charge, task.inquiry);
      }
      return;
    case "attach_balance_transaction":
      return attachBalanceTransaction(ctx, task.charge);
  }
}

/** Runs, in time order, every task of `account` that the emulated clock has reached. */
export function runDueTasks(store: Store, account: AccountState, baseUrl: string): number {
  const ctx: Context = { store, account, requestId: null, idempotencyKey: null, baseUrl };
  let ran = 0;
  for (;;) {
    const task = account.tasks[0];
    if (!task || task.at > store.nowMs(account)) return ran;
    account.tasks.shift();
    ran += 1;
    try {
      runTask(ctx, task);
    } catch (error) {
      console.error(JSON.stringify({ level: "error", msg: "stripe-emulator task failed", task, error: String(error) }));
    }
  }
}

/** Fires due tasks on a real timer so that "shortly after" happens without any request. */
export class TaskTimer {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly store: Store,
    private readonly baseUrl: () => string,
  ) {}

  /** Re-arms the timer for the earliest task across all accounts. */
  arm(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    let earliest = Infinity;
    for (const account of this.store.accounts.values()) {
      const task = account.tasks[0];
      if (task) earliest = Math.min(earliest, task.at - this.store.nowMs(account));
    }
    if (earliest === Infinity) return;
    this.timer = setTimeout(() => this.fire(), Math.min(Math.max(earliest, 0), 2 ** 31 - 1));
    this.timer.unref();
  }

  runAll(): number {
    let ran = 0;
    for (const account of this.store.accounts.values()) ran += runDueTasks(this.store, account, this.baseUrl());
    if (ran > 0) this.store.scheduleSave();
    return ran;
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private fire(): void {
    this.timer = null;
    this.runAll();
    this.arm();
  }
}
