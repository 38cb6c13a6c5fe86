import type Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { errorOf, startHarness, type Harness } from "./helpers";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const nextYear = new Date().getFullYear() + 1;

describe("customers", () => {
  it("creates, retrieves, updates, lists and deletes", async () => {
    const customer = await h.stripe.customers.create({ email: "one@example.com", name: "Opaque", metadata: { patient: "pat_9" } });
    expect(customer.id).toMatch(/^cus_/);
    expect(customer).toMatchObject({ object: "customer", email: "one@example.com", livemode: false, metadata: { patient: "pat_9" } });
    expect((await h.stripe.customers.retrieve(customer.id)).id).toBe(customer.id);
    const updated = await h.stripe.customers.update(customer.id, { description: "updated", email: "" });
    expect(updated.description).toBe("updated");
    expect(updated.email).toBeNull();
    const listed = await h.stripe.customers.list({ limit: 100 });
    expect(listed.data.map((c) => c.id)).toContain(customer.id);
    const deleted = await h.stripe.customers.del(customer.id);
    expect(deleted).toMatchObject({ id: customer.id, object: "customer", deleted: true });
    const retrieved = await h.stripe.customers.retrieve(customer.id);
    expect(retrieved.deleted).toBe(true);
    expect((await h.stripe.customers.list({ limit: 100 })).data.map((c) => c.id)).not.toContain(customer.id);
    const update = await errorOf(h.stripe.customers.update(customer.id, { description: "x" }));
    expect(update.statusCode).toBe(404);
    const events = await h.stripe.events.list({ type: "customer.*", limit: 10 });
    const types = events.data.filter((e) => (e.data.object as { id: string }).id === customer.id).map((e) => e.type);
    expect(types).toEqual(["customer.deleted", "customer.updated", "customer.created"]);
    const updatedEvent = events.data.find((e) => e.type === "customer.updated");
    expect(updatedEvent?.data.previous_attributes).toEqual({ description: null, email: "one@example.com" });
  });

  it("sets a default payment method only if it is attached to the customer", async () => {
    const customer = await h.stripe.customers.create();
    const paymentMethod = await h.stripe.paymentMethods.attach("pm_card_visa", { customer: customer.id });
    const updated = await h.stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: paymentMethod.id } });
    expect(updated.invoice_settings.default_payment_method).toBe(paymentMethod.id);
    const stranger = await h.stripe.paymentMethods.create({ type: "card", card: { number: "4242424242424242", exp_month: 1, exp_year: nextYear } });
    const error = await errorOf(h.stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: stranger.id } }));
    expect(error.param).toBe("invoice_settings[default_payment_method]");
    await h.stripe.paymentMethods.detach(paymentMethod.id);
    expect(((await h.stripe.customers.retrieve(customer.id)) as Stripe.Customer).invoice_settings.default_payment_method).toBeNull();
  });
});

describe("payment methods", () => {
  it("creates a card from typed details with brand, last4, expiry and a stable fingerprint", async () => {
    const params = { type: "card" as const, card: { number: "4242 4242 4242 4242", exp_month: 8, exp_year: nextYear, cvc: "314" } };
    const one = await h.stripe.paymentMethods.create({ ...params, billing_details: { address: { postal_code: "94107" } } });
    const two = await h.stripe.paymentMethods.create(params);
    expect(one.id).toMatch(/^pm_/);
    expect(one.card).toMatchObject({ brand: "visa", last4: "4242", exp_month: 8, exp_year: nextYear, funding: "credit", country: "US" });
    expect(one.card?.fingerprint).toBe(two.card?.fingerprint);
    expect(one.billing_details.address?.postal_code).toBe("94107");
    const mastercard = await h.stripe.paymentMethods.create({ type: "card", card: { number: "5555555555554444", exp_month: 1, exp_year: nextYear } });
    expect(mastercard.card?.brand).toBe("mastercard");
  });

  it.each([
    [{ number: "4242424242424241", exp_month: 1, exp_year: nextYear }, "incorrect_number", "card[number]"],
    [{ number: "4242424242424242", exp_month: 1, exp_year: 2020 }, "expired_card", "card[exp_year]"],
    [{ number: "4242424242424242", exp_month: 13, exp_year: nextYear }, "invalid_expiry_month", "card[exp_month]"],
    [{ number: "4242424242424242", exp_month: 1, exp_year: nextYear, cvc: "1" }, "invalid_cvc", "card[cvc]"],
  ])("rejects bad card details %# with a 402 card_error", async (card, code, param) => {
    const error = await errorOf(h.stripe.paymentMethods.create({ type: "card", card }));
    expect(error.type).toBe("StripeCardError");
    expect(error.statusCode).toBe(402);
    expect(error.code).toBe(code);
    expect(error.param).toBe(param);
  });

  it("rejects a card that expired last month", async () => {
    const now = new Date();
    const lastMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
    const error = await errorOf(
      h.stripe.paymentMethods.create({
        type: "card",
        card: { number: "4242424242424242", exp_month: lastMonth.getUTCMonth() + 1, exp_year: lastMonth.getUTCFullYear() },
      }),
    );
    expect(error.code).toBe("expired_card");
  });

  it("attaches, lists by customer and detaches, with events", async () => {
    const customer = await h.stripe.customers.create();
    const attached = await h.stripe.paymentMethods.attach("pm_card_mastercard", { customer: customer.id });
    expect(attached.customer).toBe(customer.id);
    const second = await h.stripe.paymentMethods.attach("pm_card_visa", { customer: customer.id });
    const listed = await h.stripe.paymentMethods.list({ customer: customer.id, type: "card" });
    expect(listed.data.map((pm) => pm.id)).toEqual([second.id, attached.id]);
    const viaCustomer = await h.stripe.customers.listPaymentMethods(customer.id);
    expect(viaCustomer.data).toHaveLength(2);
    expect((await h.stripe.customers.retrievePaymentMethod(customer.id, attached.id)).id).toBe(attached.id);
    const detached = await h.stripe.paymentMethods.detach(attached.id);
    expect(detached.customer).toBeNull();
    expect((await h.stripe.customers.listPaymentMethods(customer.id)).data.map((pm) => pm.id)).toEqual([second.id]);
    const again = await errorOf(h.stripe.paymentMethods.detach(attached.id));
    expect(again.statusCode).toBe(400);
    const other = await h.stripe.customers.create();
    const taken = await errorOf(h.stripe.paymentMethods.attach(second.id, { customer: other.id }));
    expect(taken.statusCode).toBe(400);
    const types = (await h.stripe.events.list({ type: "payment_method.*", limit: 10 })).data.map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(["payment_method.attached", "payment_method.detached"]));
  });

  it("turns each use of a magic id into a new payment method", async () => {
    const one = await h.stripe.paymentMethods.retrieve("pm_card_visa");
    const two = await h.stripe.paymentMethods.retrieve("pm_card_visa");
    expect(one.id).not.toBe(two.id);
    expect(one.id).toMatch(/^pm_[A-Za-z0-9]{24}$/);
    const missing = await errorOf(h.stripe.paymentMethods.retrieve("pm_card_unknown"));
    expect(missing.statusCode).toBe(404);
  });

  it("updates metadata and expiry", async () => {
    const paymentMethod = await h.stripe.paymentMethods.create({ type: "card", card: { number: "4242424242424242", exp_month: 1, exp_year: nextYear } });
    const updated = await h.stripe.paymentMethods.update(paymentMethod.id, { metadata: { a: "b" }, card: { exp_month: 2 } });
    expect(updated.metadata).toEqual({ a: "b" });
    expect(updated.card?.exp_month).toBe(2);
  });
});

describe("setup intents", () => {
  it("saves a card for a customer", async () => {
    const customer = await h.stripe.customers.create();
    const intent = await h.stripe.setupIntents.create({ customer: customer.id, allowed_payment_method_types: ["card"] });
    expect(intent.status).toBe("requires_payment_method");
    expect(intent.usage).toBe("off_session");
    expect(intent.client_secret).toMatch(/^seti_.+_secret_/);
    const confirmed = await h.stripe.setupIntents.confirm(intent.id, { payment_method: "pm_card_visa" });
    expect(confirmed.status).toBe("succeeded");
    const paymentMethod = await h.stripe.paymentMethods.retrieve(confirmed.payment_method as string);
    expect(paymentMethod.customer).toBe(customer.id);
    const events = await h.stripe.events.list({ type: "setup_intent.succeeded", limit: 1 });
    expect((events.data[0]?.data.object as Stripe.SetupIntent).id).toBe(intent.id);
  });

  it("declines a generic-decline card with a 402 and last_setup_error", async () => {
    const intent = await h.stripe.setupIntents.create({ allowed_payment_method_types: ["card"] });
    const error = await errorOf(h.stripe.setupIntents.confirm(intent.id, { payment_method: "pm_card_chargeDeclined" }));
    expect(error.statusCode).toBe(402);
    expect(error.decline_code).toBe("generic_decline");
    const after = await h.stripe.setupIntents.retrieve(intent.id);
    expect(after.status).toBe("requires_payment_method");
    expect(after.last_setup_error?.code).toBe("card_declined");
  });

  it("lets 4000 0000 0000 0341 attach but fails it when charged", async () => {
    const customer = await h.stripe.customers.create();
    const setup = await h.stripe.setupIntents.create({
      customer: customer.id,
      payment_method: "pm_card_chargeCustomerFail",
      confirm: true,
      allowed_payment_method_types: ["card"],
    });
    expect(setup.status).toBe("succeeded");
    const error = await errorOf(
      h.stripe.paymentIntents.create({
        amount: 1000,
        currency: "usd",
        customer: customer.id,
        payment_method: setup.payment_method as string,
        off_session: true,
        confirm: true,
        allowed_payment_method_types: ["card"],
      }),
    );
    expect(error.code).toBe("card_declined");
  });

  it("cancels and refuses to confirm afterwards", async () => {
    const intent = await h.stripe.setupIntents.create({ allowed_payment_method_types: ["card"] });
    expect((await h.stripe.setupIntents.cancel(intent.id)).status).toBe("canceled");
    const error = await errorOf(h.stripe.setupIntents.confirm(intent.id, { payment_method: "pm_card_visa" }));
    expect(error.code).toBe("setup_intent_unexpected_state");
  });
});

describe("account updater", () => {
  it("refreshes an attached card in place and sends payment_method.automatically_updated with the old card", async () => {
    const customer = await h.stripe.customers.create();
    const paymentMethod = await h.stripe.paymentMethods.attach("pm_card_visa", { customer: customer.id });
    const updated = await h.control<Stripe.PaymentMethod>("POST", `/payment-methods/${paymentMethod.id}/account-update`, {
      exp_month: 4,
      exp_year: nextYear + 4,
      last4: "1881",
    });
    expect(updated.card).toMatchObject({ exp_month: 4, exp_year: nextYear + 4, last4: "1881" });
    const retrieved = await h.stripe.paymentMethods.retrieve(paymentMethod.id);
    expect(retrieved.card).toMatchObject({ exp_month: 4, exp_year: nextYear + 4, last4: "1881", brand: "visa" });
    const events = await h.stripe.events.list({ type: "payment_method.automatically_updated", limit: 10 });
    const event = events.data.find((e) => (e.data.object as Stripe.PaymentMethod).id === paymentMethod.id);
    expect(event?.data.object).toMatchObject({ card: { exp_month: 4, last4: "1881" }, customer: customer.id });
    expect((event?.data.previous_attributes as { card: Stripe.PaymentMethod.Card }).card).toMatchObject({ last4: "4242", exp_month: 12 });
  });

  it("refuses a card not attached to a customer, an unknown card and a bad expiry", async () => {
    const loose = await h.stripe.paymentMethods.create({ type: "card", card: { number: "4242424242424242", exp_month: 1, exp_year: nextYear } });
    await expect(h.control("POST", `/payment-methods/${loose.id}/account-update`, { exp_month: 2, exp_year: nextYear })).rejects.toThrow(/400|attached/);
    await expect(h.control("POST", "/payment-methods/pm_missing/account-update", { exp_month: 2, exp_year: nextYear })).rejects.toThrow(/404|No such/);
    await expect(h.control("POST", `/payment-methods/${loose.id}/account-update`, { exp_month: 13, exp_year: nextYear })).rejects.toThrow(/400|exp_month/);
  });
});
