import type Stripe from "stripe";
import { cardFee } from "../currencies";
import { nowSeconds, type Context } from "../context";
import { resourceMissing } from "../errors";
import { newId } from "../ids";
import { allowOnly, expandPaths, optionalString } from "../params";
import { expand, paginate, present } from "../render";
import { param, route, type Route } from "../router";

const TWO_DAYS = 2 * 24 * 60 * 60;

type BalanceTransactionInput = {
  amount: number;
  currency: string;
  fee: number;
  feeDescription?: string;
  type: Stripe.BalanceTransaction.Type;
  reportingCategory: string;
  source: string;
  description: string | null;
};

/**
 * Records money moving in the account's balance. Funds become available two days later
 * (Stripe's US standard schedule); `status` is computed against the emulated clock on read.
 */
export function recordBalanceTransaction(ctx: Context, input: BalanceTransactionInput): Stripe.BalanceTransaction {
  const created = nowSeconds(ctx);
  const transaction: Stripe.BalanceTransaction = {
    id: newId("txn"),
    object: "balance_transaction",
    amount: input.amount,
    available_on: created + TWO_DAYS,
    balance_type: "payments",
    created,
    currency: input.currency,
    description: input.description,
    exchange_rate: null,
    fee: input.fee,
    fee_details:
      input.fee === 0
        ? []
        : [
            {
              amount: input.fee,
              application: null,
              currency: input.currency,
              description: input.feeDescription ?? "Stripe processing fees",
              type: "stripe_fee",
            },
          ],
    net: input.amount - input.fee,
    reporting_category: input.reportingCategory,
    source: input.source,
    status: "pending",
    type: input.type,
  };
  ctx.account.balanceTransactions[transaction.id] = transaction;
  return transaction;
}

/** The balance transaction of a captured card charge: the card fee of its currency (currencies.ts) on the captured amount. */
export function recordChargeTransaction(ctx: Context, charge: Stripe.Charge): Stripe.BalanceTransaction {
  return recordBalanceTransaction(ctx, {
    amount: charge.amount_captured,
    currency: charge.currency,
    fee: cardFee(charge.amount_captured, charge.currency),
    type: "charge",
    reportingCategory: "charge",
    source: charge.id,
    description: charge.description,
  });
}

export const balanceTransactionRoutes: Route[] = [
  route("GET", "/v1/balance_transactions", (ctx, params) => {
    allowOnly(params, ["limit", "starting_after", "ending_before", "created", "type", "source", "currency", "payout"]);
    const type = optionalString(params, "type");
    const source = optionalString(params, "source");
    const currency = optionalString(params, "currency");
    const items = Object.values(ctx.account.balanceTransactions).filter(
      (transaction) =>
        (type === undefined || transaction.type === type) &&
        (source === undefined || transaction.source === source) &&
        (currency === undefined || transaction.currency === currency),
    );
    return { body: expand(ctx, paginate(ctx, items, params, "/v1/balance_transactions"), expandPaths(params)) };
  }),
  route("GET", "/v1/balance_transactions/:id", (ctx, params, path) => {
    allowOnly(params, []);
    const id = param(path, 0);
    const transaction = ctx.account.balanceTransactions[id];
    if (!transaction) throw resourceMissing(id);
    return { body: expand(ctx, present(ctx, transaction), expandPaths(params)) };
  }),
];
