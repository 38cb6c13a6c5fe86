import type Stripe from "stripe";
import { clone, type Context } from "./context";
import { invalidRequest, resourceMissing } from "./errors";
import type { FormObject } from "./form";
import { optionalInteger, optionalObject, optionalString } from "./params";
import type { AccountState } from "./store";

/** Any object the emulator serves, as stored. */
export type StoredObject =
  | Stripe.Customer
  | Stripe.PaymentMethod
  | Stripe.SetupIntent
  | Stripe.PaymentIntent
  | Stripe.Charge
  | Stripe.Refund
  | Stripe.BalanceTransaction
  | Stripe.Dispute
  | Stripe.Event;

type Collection = Exclude<keyof AccountState, "key" | "clockOffsetMs" | "deletedCustomers" | "cards" | "intents" | "idempotency" | "tasks" | "webhook">;

const COLLECTIONS: Record<string, Collection> = {
  cus: "customers",
  pm: "paymentMethods",
  seti: "setupIntents",
  pi: "paymentIntents",
  ch: "charges",
  re: "refunds",
  txn: "balanceTransactions",
  dp: "disputes",
  evt: "events",
};

export function findObject(account: AccountState, id: string): StoredObject | undefined {
  const collection = COLLECTIONS[id.split("_")[0] ?? ""];
  if (!collection) return undefined;
  const map = account[collection] as Record<string, StoredObject>;
  return Object.prototype.hasOwnProperty.call(map, id) ? map[id] : undefined;
}

type JsonObject = { [key: string]: unknown };

/**
 * A response-ready deep copy, with the fields Stripe computes on read: a balance
 * transaction's `status` against the clock, deleted customers. A charge's `refunds` list is
 * only included when expanded (`expand[]=refunds`), as in Stripe since API version 2022-11-15.
 */
export function present(ctx: Context, object: StoredObject): JsonObject {
  const copy = clone(object) as unknown as JsonObject;
  if (object.object === "customer" && ctx.account.deletedCustomers[object.id]) {
    return { id: object.id, object: "customer", deleted: true } satisfies Stripe.DeletedCustomer;
  }
  if (object.object === "balance_transaction") {
    copy.status = ctx.store.nowSeconds(ctx.account) >= object.available_on ? "available" : "pending";
  }
  return copy;
}

/** A charge's `refunds` when expanded: its first 10 refunds, newest first. */
function chargeRefunds(ctx: Context, chargeId: string): JsonObject {
  const refunds = Object.values(ctx.account.refunds)
    .filter((refund) => refund.charge === chargeId)
    .reverse();
  const list: Stripe.ApiList<Stripe.Refund> = {
    object: "list",
    data: refunds.slice(0, 10).map((refund) => clone(refund)),
    has_more: refunds.length > 10,
    url: `/v1/charges/${chargeId}/refunds`,
  };
  return list as unknown as JsonObject;
}

const MAX_EXPAND_DEPTH = 4;

/** Fields Stripe documents as expandable on the resources the emulator serves. */
const EXPANDABLE = new Set([
  "balance_transaction",
  "charge",
  "customer",
  "default_payment_method",
  "failure_balance_transaction",
  "latest_charge",
  "payment_intent",
  "payment_method",
  "refunds",
  "source",
]);

function expandPath(ctx: Context, target: JsonObject, segments: string[], fullPath: string): void {
  const [head, ...rest] = segments;
  if (head === undefined) return;
  if (target.object === "list" && head === "data" && Array.isArray(target.data)) {
    for (const item of target.data as JsonObject[]) expandPath(ctx, item, rest, fullPath);
    return;
  }
  if (head === "refunds" && target.object === "charge" && !(head in target)) {
    target.refunds = chargeRefunds(ctx, String(target.id));
  }
  if (!(head in target) || (!EXPANDABLE.has(head) && (typeof target[head] !== "object" || target[head] === null))) {
    throw invalidRequest(`This property cannot be expanded (${fullPath}).`, "expand");
  }
  let value = target[head];
  if (typeof value === "string") {
    const found = findObject(ctx.account, value);
    if (!found) throw invalidRequest(`This property cannot be expanded (${fullPath}).`, "expand");
    value = present(ctx, found);
    target[head] = value;
  }
  if (value === null) return;
  if (Array.isArray(value)) {
    for (const item of value) if (item && typeof item === "object") expandPath(ctx, item as JsonObject, rest, fullPath);
    return;
  }
  if (typeof value !== "object") throw invalidRequest(`This property cannot be expanded (${fullPath}).`, "expand");
  expandPath(ctx, value as JsonObject, rest, fullPath);
}

/** Applies `expand[]` paths (`latest_charge.balance_transaction`, `data.customer`) in place. */
export function expand(ctx: Context, target: JsonObject, paths: string[]): JsonObject {
  for (const path of paths) {
    const segments = path.split(".");
    const depth = segments.filter((segment) => segment !== "data").length;
    if (depth > MAX_EXPAND_DEPTH) {
      throw invalidRequest(`You cannot expand more than ${MAX_EXPAND_DEPTH} levels of a property. Property: ${path}`, "expand");
    }
    expandPath(ctx, target, segments, path);
  }
  return target;
}

/** Stripe's `created` filter: an exact integer or `created[gt|gte|lt|lte]`. */
export function matchesCreated(params: FormObject, created: number): boolean {
  if (params.created === undefined) return true;
  if (typeof params.created === "string") return created === optionalInteger(params, "created");
  const range = optionalObject(params, "created") ?? {};
  for (const key of Object.keys(range)) {
    if (!["gt", "gte", "lt", "lte"].includes(key)) throw invalidRequest(`Received unknown parameter: created[${key}]`, `created[${key}]`);
  }
  const gt = optionalInteger(range, "gt");
  const gte = optionalInteger(range, "gte");
  const lt = optionalInteger(range, "lt");
  const lte = optionalInteger(range, "lte");
  return (
    (gt === undefined || created > gt) && (gte === undefined || created >= gte) && (lt === undefined || created < lt) && (lte === undefined || created <= lte)
  );
}

/**
 * A Stripe list page over `items` (oldest first, as stored): newest first, `limit` 1–100
 * (default 10), cursors `starting_after` / `ending_before`, and the `created` filter.
 */
export function paginate(ctx: Context, items: StoredObject[], params: FormObject, url: string): JsonObject {
  const limit = optionalInteger(params, "limit") ?? 10;
  if (limit < 1 || limit > 100) throw invalidRequest("This value must be greater than or equal to 1 and less than or equal to 100.", "limit");
  const startingAfter = optionalString(params, "starting_after");
  const endingBefore = optionalString(params, "ending_before");
  if (startingAfter && endingBefore) {
    throw invalidRequest("You may only specify one of these parameters: ending_before, starting_after.", "ending_before");
  }
  const ordered = items.filter((item) => matchesCreated(params, item.created)).reverse();
  let page: StoredObject[];
  let hasMore: boolean;
  if (startingAfter) {
    if (!findObject(ctx.account, startingAfter)) throw resourceMissing(startingAfter, "starting_after");
    const index = ordered.findIndex((item) => item.id === startingAfter);
    const rest = index < 0 ? [] : ordered.slice(index + 1);
    page = rest.slice(0, limit);
    hasMore = rest.length > limit;
  } else if (endingBefore) {
    if (!findObject(ctx.account, endingBefore)) throw resourceMissing(endingBefore, "ending_before");
    const index = ordered.findIndex((item) => item.id === endingBefore);
    const before = index < 0 ? [] : ordered.slice(0, index);
    page = before.slice(Math.max(0, before.length - limit));
    hasMore = before.length > limit;
  } else {
    page = ordered.slice(0, limit);
    hasMore = ordered.length > limit;
  }
  return { object: "list", data: page.map((item) => present(ctx, item)), has_more: hasMore, url };
}

/** Stored references are always ids; the SDK types also allow expanded objects. */
export function idOf(value: string | { id: string } | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  return typeof value === "string" ? value : value.id;
}
