import type Stripe from "stripe";
import { emitEvent, nowSeconds, type Context } from "../context";
import { resourceMissing } from "../errors";
import type { FormObject } from "../form";
import { newId, randomToken } from "../ids";
import {
  allowOnly,
  applyMetadata,
  expandPaths,
  optionalNullableString,
  optionalEnum,
  optionalObject,
  optionalString,
  optionalStringArray,
  rejectUnsupported,
} from "../params";
import { expand, paginate, present } from "../render";
import { param, route, type Route } from "../router";
import { attachPaymentMethod, resolvePaymentMethod } from "./payment-methods";

const WRITABLE = [
  "address",
  "description",
  "email",
  "metadata",
  "name",
  "phone",
  "payment_method",
  "invoice_settings",
  "preferred_locales",
  "tax_exempt",
] as const;

/** Customer parameters of Stripe's API that the emulator does not model. */
const UNSUPPORTED = [
  "balance",
  "business_name",
  "cash_balance",
  "default_source",
  "individual_name",
  "invoice_prefix",
  "next_invoice_sequence",
  "shipping",
  "source",
  "tax",
  "tax_id_data",
  "test_clock",
  "validate",
];

/** A live (not deleted) customer, or `resource_missing` naming `paramName`. */
export function getCustomerOrThrow(ctx: Context, id: string, paramName = "id"): Stripe.Customer {
  const customer = ctx.account.customers[id];
  if (!customer || ctx.account.deletedCustomers[id]) throw resourceMissing(id, paramName);
  return customer;
}

function addressFrom(value: FormObject | undefined): Stripe.Address | null {
  if (!value) return null;
  const field = (name: string) => optionalString(value, name) ?? null;
  return {
    city: field("city"),
    country: field("country"),
    line1: field("line1"),
    line2: field("line2"),
    postal_code: field("postal_code"),
    state: field("state"),
  };
}

function applyWritable(ctx: Context, customer: Stripe.Customer, params: FormObject): void {
  const email = optionalNullableString(params, "email");
  if (email !== undefined) customer.email = email;
  const name = optionalNullableString(params, "name");
  if (name !== undefined) customer.name = name;
  const phone = optionalNullableString(params, "phone");
  if (phone !== undefined) customer.phone = phone;
  const description = optionalNullableString(params, "description");
  if (description !== undefined) customer.description = description;
  if (params.address !== undefined) customer.address = addressFrom(optionalObject(params, "address"));
  customer.metadata = applyMetadata(customer.metadata, params);
  const locales = optionalStringArray(params, "preferred_locales");
  if (locales) customer.preferred_locales = locales;
  const taxExempt = optionalEnum(params, "tax_exempt", ["exempt", "none", "reverse"] as const);
  if (taxExempt) customer.tax_exempt = taxExempt;
  const settings = optionalObject(params, "invoice_settings");
  if (settings) {
    const defaultPaymentMethod = optionalNullableString(settings, "default_payment_method");
    if (defaultPaymentMethod) {
      const paymentMethod = ctx.account.paymentMethods[defaultPaymentMethod];
      if (!paymentMethod || paymentMethod.customer !== customer.id) {
        throw resourceMissing(defaultPaymentMethod, "invoice_settings[default_payment_method]");
      }
    }
    if (defaultPaymentMethod !== undefined && customer.invoice_settings) {
      customer.invoice_settings.default_payment_method = defaultPaymentMethod;
    }
  }
}

function createCustomer(ctx: Context, params: FormObject) {
  rejectUnsupported(params, UNSUPPORTED);
  allowOnly(params, WRITABLE);
  const customer: Stripe.Customer = {
    id: newId("cus"),
    object: "customer",
    address: null,
    balance: 0,
    created: nowSeconds(ctx),
    currency: null,
    default_source: null,
    delinquent: false,
    description: null,
    discount: null,
    email: null,
    invoice_prefix: randomToken(8).toUpperCase(),
    invoice_settings: { custom_fields: null, default_payment_method: null, footer: null, rendering_options: null },
    livemode: false,
    metadata: {},
    name: null,
    next_invoice_sequence: 1,
    phone: null,
    preferred_locales: [],
    shipping: null,
    tax_exempt: "none",
    test_clock: null,
  };
  ctx.account.customers[customer.id] = customer;
  const paymentMethodId = optionalString(params, "payment_method");
  applyWritable(ctx, customer, params);
  emitEvent(ctx, "customer.created", present(ctx, customer));
  if (paymentMethodId) {
    const paymentMethod = resolvePaymentMethod(ctx, paymentMethodId, "payment_method");
    attachPaymentMethod(ctx, paymentMethod, customer.id);
  }
  return { body: expand(ctx, present(ctx, customer), expandPaths(params)) };
}

function updateCustomer(ctx: Context, params: FormObject, id: string) {
  rejectUnsupported(params, UNSUPPORTED);
  allowOnly(
    params,
    WRITABLE.filter((name) => name !== "payment_method"),
  );
  const customer = getCustomerOrThrow(ctx, id);
  const before = present(ctx, customer);
  applyWritable(ctx, customer, params);
  const after = present(ctx, customer);
  const previous: Record<string, unknown> = {};
  for (const key of Object.keys(after)) {
    if (JSON.stringify(after[key]) !== JSON.stringify(before[key])) previous[key] = before[key];
  }
  if (Object.keys(previous).length > 0) emitEvent(ctx, "customer.updated", after, previous);
  return { body: expand(ctx, after, expandPaths(params)) };
}

function deleteCustomer(ctx: Context, id: string) {
  const customer = getCustomerOrThrow(ctx, id);
  const snapshot = present(ctx, customer);
  for (const paymentMethod of Object.values(ctx.account.paymentMethods)) {
    if (paymentMethod.customer === id) paymentMethod.customer = null;
  }
  ctx.account.deletedCustomers[id] = true;
  emitEvent(ctx, "customer.deleted", snapshot);
  return { body: present(ctx, customer) };
}

export const customerRoutes: Route[] = [
  route("POST", "/v1/customers", (ctx, params) => createCustomer(ctx, params)),
  route("GET", "/v1/customers", (ctx, params) => {
    allowOnly(params, ["limit", "starting_after", "ending_before", "created", "email"]);
    const email = optionalString(params, "email");
    const items = Object.values(ctx.account.customers).filter(
      (customer) => !ctx.account.deletedCustomers[customer.id] && (email === undefined || customer.email === email),
    );
    return { body: expand(ctx, paginate(ctx, items, params, "/v1/customers"), expandPaths(params)) };
  }),
  route("GET", "/v1/customers/:id", (ctx, params, path) => {
    allowOnly(params, []);
    const id = param(path, 0);
    const customer = ctx.account.customers[id];
    if (!customer) throw resourceMissing(id);
    return { body: expand(ctx, present(ctx, customer), expandPaths(params)) };
  }),
  route("POST", "/v1/customers/:id", (ctx, params, path) => updateCustomer(ctx, params, param(path, 0))),
  route("DELETE", "/v1/customers/:id", (ctx, params, path) => {
    allowOnly(params, []);
    return deleteCustomer(ctx, param(path, 0));
  }),
];
