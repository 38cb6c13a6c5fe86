/**
 * Contract: every object the emulator serves has the top-level fields of Stripe's official
 * example for its resource (`../shared/stripe/fixtures3.json`, the fixtures stripe-mock
 * serves), with the same JSON types.
 *
 * Tolerances, all derived from the `stripe` SDK's own type declarations rather than listed
 * by hand, so they move when the SDK moves:
 * - null is accepted where the fixture shows null, or where the SDK declares the field
 *   `| null` (the fixture often shows a filled-in example of a nullable field such as
 *   `canceled_at` or `last_payment_error`).
 * - where the fixture shows null, any JSON type is accepted (the example says nothing).
 * - a field absent from the fixture must appear when the SDK declares it required (no `?`):
 *   the bundled SDK speaks a newer API version than the fixture file (e.g.
 *   `payment_intent.payment_record`). It is checked against the SDK's nullability only.
 * - a few fields Stripe only includes in some states (`refund.failure_reason`) may appear
 *   when the SDK declares them optional; they are listed in CONDITIONAL below.
 * - fields Stripe includes only when expanded (`charge.refunds` since 2022-11-15) may be
 *   absent when the SDK declares them optional; they are listed in EXPAND_ONLY below, and
 *   the objects collected include expanded ones, so their type is checked too.
 * Nothing else may be added or left out.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { advance, startHarness, type Harness } from "./helpers";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** STRIPE_FIXTURES_FILE: for a checkout that does not sit next to ../shared (e.g. a git worktree). */
const fixturesFile = process.env.STRIPE_FIXTURES_FILE || fileURLToPath(new URL("../../../shared/stripe/fixtures3.json", import.meta.url));

const fixtures = (
  JSON.parse(readFileSync(fixturesFile, "utf8")) as {
    resources: Record<string, JsonObject>;
  }
).resources;

const sdkResources = join(dirname(createRequire(import.meta.url).resolve("stripe")), "resources");

type SdkField = { optional: boolean; nullable: boolean };

/** Top-level properties of `export interface <name>` in the SDK's declaration file. */
function sdkFields(file: string, name: string): Map<string, SdkField> {
  const source = readFileSync(join(sdkResources, file), "utf8");
  const start = source.indexOf(`export interface ${name} {`);
  if (start < 0) throw new Error(`interface ${name} not found in ${file}`);
  const lines = source.slice(start).split("\n").slice(1);
  const fields = new Map<string, SdkField>();
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    if (line.startsWith("}")) break;
    const match = /^ {4}([a-z0-9_]+)(\??): (.*)$/.exec(line);
    if (!match) continue;
    let type = match[3] ?? "";
    while (!type.trimEnd().endsWith(";") && i + 1 < lines.length) type += ` ${(lines[++i] ?? "").trim()}`;
    fields.set(match[1] ?? "", { optional: match[2] === "?", nullable: /\|\s*null\b/.test(type) });
  }
  return fields;
}

const CONTRACTS: Record<string, { file: string; sdkName: string }> = {
  customer: { file: "Customers.d.ts", sdkName: "Customer" },
  deleted_customer: { file: "Customers.d.ts", sdkName: "DeletedCustomer" },
  payment_method: { file: "PaymentMethods.d.ts", sdkName: "PaymentMethod" },
  setup_intent: { file: "SetupIntents.d.ts", sdkName: "SetupIntent" },
  payment_intent: { file: "PaymentIntents.d.ts", sdkName: "PaymentIntent" },
  charge: { file: "Charges.d.ts", sdkName: "Charge" },
  refund: { file: "Refunds.d.ts", sdkName: "Refund" },
  balance_transaction: { file: "BalanceTransactions.d.ts", sdkName: "BalanceTransaction" },
  dispute: { file: "Disputes.d.ts", sdkName: "Dispute" },
  event: { file: "Events.d.ts", sdkName: "EventBase" },
};

/** Optional fields Stripe includes only in some states. */
const CONDITIONAL: Record<string, string[]> = {
  refund: ["failure_reason", "failure_balance_transaction"],
};

/** Fixture fields Stripe includes only when expanded. */
const EXPAND_ONLY: Record<string, string[]> = {
  charge: ["refunds"],
};

function jsonType(value: Json | undefined): string {
  if (value === undefined) return "undefined";
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}

function contractOf(object: JsonObject): string {
  if (object.object === "customer" && object.deleted === true) return "deleted_customer";
  return String(object.object);
}

/** Differences between `object` and its contract; empty when it conforms. */
function violations(object: JsonObject): string[] {
  const type = contractOf(object);
  const contract = CONTRACTS[type];
  const fixture = fixtures[type];
  if (!contract || !fixture) return [`no contract for object type ${type}`];
  const sdk = sdkFields(contract.file, contract.sdkName);
  const problems: string[] = [];
  const label = `${type} ${String(object.id)}`;
  if (object.object !== fixture.object) problems.push(`${label}: object ${String(object.object)} ≠ ${String(fixture.object)}`);
  const required = new Set(Object.keys(fixture));
  for (const [name, field] of sdk) if (!field.optional) required.add(name);
  for (const name of required) {
    const expandOnly = (EXPAND_ONLY[type] ?? []).includes(name) && sdk.get(name)?.optional === true;
    if (!(name in object) && !expandOnly) problems.push(`${label}: missing ${name}`);
  }
  for (const [name, value] of Object.entries(object)) {
    const sdkField = sdk.get(name);
    if (!required.has(name) && !(CONDITIONAL[type] ?? []).includes(name)) {
      problems.push(`${label}: unexpected field ${name}`);
      continue;
    }
    const actual = jsonType(value);
    const nullable = sdkField?.nullable ?? false;
    if (name in fixture) {
      const expected = jsonType(fixture[name]);
      if (expected === "null" || actual === expected) continue;
      if (actual === "null" && nullable) continue;
      problems.push(`${label}: ${name} is ${actual}, fixture has ${expected}${nullable ? "" : " (SDK: not nullable)"}`);
    } else if (actual === "null" && !nullable) {
      problems.push(`${label}: ${name} is null but the SDK declares it non-nullable`);
    }
  }
  return problems;
}

let h: Harness;
const seen = new Map<string, number>();
const collected: JsonObject[] = [];

async function getJson(path: string): Promise<JsonObject> {
  const response = await h.raw("GET", path);
  expect(response.status, path).toBe(200);
  return (await response.json()) as JsonObject;
}

async function collectList(path: string): Promise<void> {
  const list = await getJson(`${path}${path.includes("?") ? "&" : "?"}limit=100`);
  for (const item of list.data as JsonObject[]) collected.push(item);
}

beforeAll(async () => {
  h = await startHarness({ asyncDelayMs: 100 });
  const s = h.stripe;
  const returnUrl = "https://carebill.test/return";
  const customer = await s.customers.create({ email: "p@example.com", metadata: { patient: "pat_1" } });
  const doomed = await s.customers.create();
  await s.customers.del(doomed.id);
  const year = new Date().getFullYear() + 2;
  const typed = await s.paymentMethods.create({ type: "card", card: { number: "4000000000005126", exp_month: 4, exp_year: year, cvc: "123" } });
  await s.paymentMethods.attach("pm_card_visa", { customer: customer.id });
  const base = { currency: "usd", confirm: true, return_url: returnUrl } as const;
  await s.paymentIntents.create({ amount: 1000, currency: "usd" });
  const paid = await s.paymentIntents.create({ ...base, amount: 5000, payment_method: "pm_card_visa", capture_method: "automatic" });
  const failedRefund = await s.paymentIntents.create({ ...base, amount: 3000, payment_method: typed.id });
  const pendingRefund = await s.paymentIntents.create({ ...base, amount: 3000, payment_method: "pm_card_pendingRefund" });
  const authorized = await s.paymentIntents.create({ ...base, amount: 2000, payment_method: "pm_card_visa", capture_method: "manual" });
  await s.paymentIntents.create({ ...base, amount: 2000, payment_method: "pm_card_authenticationRequired" });
  await s.paymentIntents.create({ ...base, amount: 2000, payment_method: "pm_card_chargeDeclined" }).catch(() => undefined);
  await s.paymentIntents.cancel(authorized.id);
  await s.paymentIntents.create({ ...base, amount: 2500, payment_method: "pm_card_createDispute" });
  await s.paymentIntents.create({ ...base, amount: 2500, payment_method: "pm_card_createDisputeInquiry" });
  await s.setupIntents.create({ customer: customer.id, payment_method: "pm_card_visa", confirm: true, return_url: returnUrl });
  await s.setupIntents.create({ customer: customer.id });
  await s.refunds.create({ payment_intent: paid.id, amount: 1000 });
  await s.refunds.create({ payment_intent: failedRefund.id });
  await s.refunds.create({ payment_intent: pendingRefund.id });
  await advance(h, 5);
  const disputes = await s.disputes.list();
  const chargeback = disputes.data.find((dispute) => dispute.status === "needs_response");
  if (chargeback) await s.disputes.update(chargeback.id, { evidence: { uncategorized_text: "seen" } });
  for (const path of [
    "/v1/customers",
    `/v1/customers/${customer.id}/payment_methods`,
    "/v1/payment_intents",
    "/v1/setup_intents",
    "/v1/charges",
    "/v1/charges?expand[]=data.refunds",
    "/v1/refunds",
    "/v1/balance_transactions",
    "/v1/disputes",
    "/v1/events",
  ]) {
    await collectList(path);
  }
  collected.push(await getJson(`/v1/customers/${doomed.id}`));
  collected.push(await getJson(`/v1/payment_methods/${typed.id}`));
  for (const event of collected.filter((object) => object.object === "event")) {
    collected.push((event.data as { object: JsonObject }).object);
  }
  for (const object of collected) seen.set(contractOf(object), (seen.get(contractOf(object)) ?? 0) + 1);
}, 30_000);
afterAll(() => h.close());

describe("objects match Stripe's official fixtures", () => {
  it("covers every object type the emulator serves", () => {
    expect([...seen.keys()].sort()).toEqual(Object.keys(CONTRACTS).sort());
  });

  it.each(Object.keys(CONTRACTS))("%s objects conform", (type) => {
    const objects = collected.filter((object) => contractOf(object) === type);
    expect(objects.length).toBeGreaterThan(0);
    expect(objects.flatMap(violations)).toEqual([]);
  });

  it("serves objects in the states the app depends on", () => {
    const statuses = (type: string) => new Set(collected.filter((object) => object.object === type).map((object) => object.status));
    expect(statuses("payment_intent")).toEqual(
      new Set(["requires_payment_method", "requires_confirmation", "requires_action", "requires_capture", "succeeded", "canceled"]),
    );
    expect(statuses("refund")).toEqual(new Set(["succeeded", "failed", "pending"]));
    expect(statuses("charge")).toEqual(new Set(["succeeded", "failed"]));
    expect(statuses("dispute")).toEqual(new Set(["needs_response", "under_review", "warning_needs_response"]));
    const failed = collected.find((object) => object.object === "refund" && object.status === "failed") as unknown as Stripe.Refund;
    expect(failed.failure_reason).toBe("expired_or_canceled_card");
  });

  it("lists a charge's refunds only when expanded", () => {
    const charges = collected.filter((object) => object.object === "charge");
    const refunded = charges.filter((charge) => (charge.amount_refunded as number) > 0 && charge.captured === true);
    expect(refunded.some((charge) => !("refunds" in charge))).toBe(true);
    expect(refunded.some((charge) => ((charge.refunds as { data: unknown[] } | undefined)?.data.length ?? 0) > 0)).toBe(true);
  });

  it("would catch a drifted object", () => {
    const customer = collected.find((object) => object.object === "customer" && !object.deleted);
    const { email: _email, ...withoutEmail } = customer as JsonObject;
    expect(violations({ ...withoutEmail, extra: 1, balance: "0" })).toEqual(
      expect.arrayContaining([
        expect.stringContaining("missing email"),
        expect.stringContaining("unexpected field extra"),
        expect.stringContaining("balance is string"),
      ]),
    );
  });
});
