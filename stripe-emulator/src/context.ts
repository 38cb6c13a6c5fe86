import type Stripe from "stripe";
import { newId } from "./ids";
import type { AccountState, ScheduledTask, Store } from "./store";

/** What a handler needs: the caller's account, its clock, and the request it serves. */
export type Context = {
  store: Store;
  account: AccountState;
  /** `req_...` of the API request being served; null for work done by the clock. */
  requestId: string | null;
  idempotencyKey: string | null;
  /** Public origin of the emulator, for URLs it hands out (3-D Secure page). */
  baseUrl: string;
};

export function nowSeconds(ctx: Context): number {
  return ctx.store.nowSeconds(ctx.account);
}

export function nowMs(ctx: Context): number {
  return ctx.store.nowMs(ctx.account);
}

/** JSON round trip: stored objects are never shared with responses or events. */
export function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/**
 * Records an event for a state change. `object` must already be presented (a snapshot);
 * `previousAttributes` holds the old values of changed fields for `*.updated` events.
 */
export function emitEvent(ctx: Context, type: Stripe.Event.Type, object: object, previousAttributes?: Record<string, unknown>): Stripe.Event {
  const data: { object: object; previous_attributes?: Record<string, unknown> } = { object: clone(object) };
  if (previousAttributes) data.previous_attributes = clone(previousAttributes);
  const event = {
    id: newId("evt"),
    object: "event",
    api_version: API_VERSION,
    created: nowSeconds(ctx),
    data,
    livemode: false,
    pending_webhooks: 0,
    request: { id: ctx.requestId, idempotency_key: ctx.idempotencyKey },
    type,
  } as Stripe.EventBase as Stripe.Event; // `type` and `data` are typed per event in the SDK's union; this builder is generic over all of them.
  ctx.account.events[event.id] = event;
  ctx.store.eventListener?.(ctx.account, event);
  return event;
}

/** The API version of the bundled `stripe` SDK, which is what the emulator speaks. */
export const API_VERSION = "2026-10-28.endive";

export function schedule(ctx: Context, task: ScheduledTask): void {
  ctx.account.tasks.push(task);
  ctx.account.tasks.sort((a, b) => a.at - b.at);
}
