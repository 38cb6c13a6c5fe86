/**
 * A stand-in for Stripe.js (`window.Stripe`) that talks to the local Stripe emulator, so the
 * app's unchanged Stripe Elements code (`<Elements>`, `<PaymentElement>`,
 * `stripe.confirmPayment`) runs where js.stripe.com is unreachable. Only emulator builds contain
 * it: lib/stripe/client/get-stripe.ts imports it behind NEXT_PUBLIC_STRIPE_EMULATOR_URL, and
 * nothing else in the app may (eslint.config.mjs).
 *
 * It covers what Carebill and @stripe/react-stripe-js use: `elements()` with
 * `create("payment")`, `getElement`, `update`, `submit`, `fetchUpdates`; `confirmPayment`,
 * `confirmSetup`, `confirmCardPayment`, `handleNextAction`, `retrievePaymentIntent`,
 * `retrieveSetupIntent`, `createPaymentMethod`. Results and errors have Stripe.js's shapes
 * (`{ paymentIntent }` or `{ error: { type: "card_error", code, decline_code, message } }`).
 * Card details go from the form straight to the emulator with the publishable key, never to
 * the app's server. 3-D Secure opens the emulator's challenge page in a modal, as Stripe.js
 * does for cards; `redirect: "always"` (the default) then sends the browser to `return_url`
 * with Stripe's query parameters, `redirect: "if_required"` resolves instead.
 */
import type {
  ConfirmPaymentData,
  PaymentIntent,
  PaymentMethod,
  SetupIntent,
  StripeConstructor,
  StripeConstructorOptions,
  StripeError,
} from "@stripe/stripe-js";
import { EmulatorPaymentElement, type CardDetails } from "./payment-element";
import { authenticateInModal } from "./three-d-secure";

type FormValue = string | number | boolean | null | undefined | FormValue[] | { [key: string]: FormValue };

/** Stripe's bracket form encoding: `{ card: { number: "4242" } }` → `card[number]=4242`. */
export function encodeForm(params: Record<string, FormValue>): string {
  const pairs: string[] = [];
  const add = (key: string, value: FormValue) => {
    if (value === undefined || value === null) return;
    if (Array.isArray(value)) value.forEach((item, index) => add(`${key}[${index}]`, item));
    else if (typeof value === "object") for (const [inner, innerValue] of Object.entries(value)) add(`${key}[${inner}]`, innerValue);
    else pairs.push(`${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`);
  };
  for (const [key, value] of Object.entries(params)) add(key, value);
  return pairs.join("&");
}

type Intent = (PaymentIntent | SetupIntent) & { next_action?: NextAction | null };
type NextAction = {
  type: string;
  redirect_to_url?: { url: string | null; return_url: string | null };
  use_stripe_sdk?: { stripe_js?: string };
};
type IntentKind = "payment_intent" | "setup_intent";
type ApiResult<T> = { data: T; error?: undefined } | { data?: undefined; error: StripeError };

const SUCCEEDED: Record<IntentKind, readonly string[]> = {
  payment_intent: ["succeeded", "requires_capture", "processing"],
  setup_intent: ["succeeded", "processing"],
};

class IntegrationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "IntegrationError";
  }
}

/** Stripe.js never settles the promise of a call that navigated away. */
function navigate(url: string): Promise<never> {
  window.location.assign(url);
  return new Promise<never>(() => undefined);
}

function intentIdOf(clientSecret: unknown, kind: IntentKind): string {
  const prefix = kind === "payment_intent" ? "pi_" : "seti_";
  const match = typeof clientSecret === "string" ? /^([a-z]+_[A-Za-z0-9]+)_secret_[A-Za-z0-9]+$/.exec(clientSecret) : null;
  if (!match?.[1]?.startsWith(prefix)) {
    throw new IntegrationError(
      `Invalid value for clientSecret: expected a ${kind === "payment_intent" ? "PaymentIntent" : "SetupIntent"} client secret (${prefix}..._secret_...).`,
    );
  }
  return match[1];
}

function cardData(card: CardDetails, billingDetails: unknown): Record<string, FormValue> {
  const details = (billingDetails ?? {}) as { address?: Record<string, FormValue> } & Record<string, FormValue>;
  return {
    type: "card",
    card: { number: card.number, exp_month: card.expMonth, exp_year: card.expYear, cvc: card.cvc },
    billing_details: { ...details, address: { ...details.address, postal_code: card.postalCode } },
  };
}

function validationError(error: { code: string; message: string }): StripeError {
  return { type: "validation_error", code: error.code, message: error.message } as StripeError;
}

class EmulatorElements {
  private element: EmulatorPaymentElement | null = null;

  constructor(public options: Record<string, unknown>) {}

  create(type: string, options: { readOnly?: boolean } = {}): EmulatorPaymentElement {
    if (type !== "payment") {
      throw new IntegrationError(`The Stripe emulator's stand-in supports the Payment Element only, not "${type}".`);
    }
    if (this.element && !this.element.destroyed) throw new IntegrationError("Can only create one Element of type payment.");
    this.element = new EmulatorPaymentElement(options);
    return this.element;
  }

  getElement(type: string): EmulatorPaymentElement | null {
    return type === "payment" && this.element && !this.element.destroyed ? this.element : null;
  }

  update(options: Record<string, unknown>): void {
    this.options = { ...this.options, ...options };
  }

  async fetchUpdates(): Promise<Record<string, never>> {
    return {};
  }

  async submit(): Promise<{ error?: StripeError; selectedPaymentMethod?: string }> {
    const element = this.paymentElement();
    const problem = element.validate();
    if (problem) return { error: validationError(problem) };
    return { selectedPaymentMethod: "card" };
  }

  paymentElement(): EmulatorPaymentElement {
    const element = this.getElement("payment");
    if (!element) throw new IntegrationError("Could not find a mounted Payment Element to collect payment details from.");
    return element;
  }
}

type ConfirmInput = {
  kind: IntentKind;
  clientSecret: string;
  /** The card form to read, or an existing PaymentMethod id. */
  source: { element: EmulatorPaymentElement } | { paymentMethod: string } | null;
  billingDetails?: unknown;
  extra?: Record<string, FormValue>;
  /** "always" navigates to `returnUrl` after success; "if_required" and "never" resolve. */
  redirect: "always" | "if_required" | "never";
  returnUrl?: string;
  handleActions: boolean;
};

type ConfirmResult = { paymentIntent?: PaymentIntent; setupIntent?: SetupIntent; error?: StripeError };

function createStandIn(publishableKey: string, emulatorUrl: string) {
  const origin = emulatorUrl.replace(/\/+$/, "");

  async function call<T>(method: "GET" | "POST", path: string, params: Record<string, FormValue>): Promise<ApiResult<T>> {
    // The key travels in the parameters, as with Stripe.js: a simple request, no preflight.
    const body = encodeForm({ ...params, key: publishableKey });
    let response: Response;
    try {
      response =
        method === "GET"
          ? await fetch(`${origin}${path}?${body}`)
          : await fetch(`${origin}${path}`, { method, headers: { "Content-Type": "application/x-www-form-urlencoded" }, body });
    } catch {
      return { error: { type: "api_connection_error", message: `Could not reach the Stripe emulator at ${origin}.` } as StripeError };
    }
    const json = (await response.json()) as { error?: StripeError };
    if (!response.ok || json.error) return { error: json.error ?? ({ type: "api_error", message: `HTTP ${response.status}` } as StripeError) };
    return { data: json as T };
  }

  const retrieveIntent = (kind: IntentKind, clientSecret: string) =>
    call<Intent>("GET", `/v1/${kind}s/${intentIdOf(clientSecret, kind)}`, { client_secret: clientSecret });

  function resultOf(kind: IntentKind, intent: Intent): ConfirmResult {
    return kind === "payment_intent" ? { paymentIntent: intent as PaymentIntent } : { setupIntent: intent as SetupIntent };
  }

  function failureOf(kind: IntentKind, intent: Intent): StripeError | null {
    const last = kind === "payment_intent" ? (intent as PaymentIntent).last_payment_error : (intent as SetupIntent).last_setup_error;
    if (!last) return null;
    return { ...last, [kind]: intent } as StripeError;
  }

  /** Runs `next_action` (3-D Secure) and answers with the intent's state afterwards. */
  async function handleAction(kind: IntentKind, clientSecret: string, intent: Intent): Promise<ApiResult<Intent>> {
    const action = intent.next_action;
    if (intent.status !== "requires_action" || !action) return { data: intent };
    // An intent confirmed on the server with a return_url: Stripe.js sends the whole page there.
    if (action.type === "redirect_to_url" && action.redirect_to_url?.url) return navigate(action.redirect_to_url.url);
    const challenge = action.use_stripe_sdk?.stripe_js;
    if (action.type !== "use_stripe_sdk" || !challenge) {
      return { error: { type: "invalid_request_error", message: `The Stripe emulator's stand-in cannot handle next_action ${action.type}.` } as StripeError };
    }
    await authenticateInModal(challenge, intent.id);
    return retrieveIntent(kind, clientSecret);
  }

  async function confirm(input: ConfirmInput): Promise<ConfirmResult> {
    const id = intentIdOf(input.clientSecret, input.kind);
    if (input.redirect === "always" && !input.returnUrl) {
      throw new IntegrationError("stripe.confirmPayment(): the `confirmParams.return_url` argument is required unless passing `redirect: 'if_required'`");
    }
    const params: Record<string, FormValue> = { client_secret: input.clientSecret, use_stripe_sdk: true, ...input.extra };
    const element = input.source && "element" in input.source ? input.source.element : null;
    if (element) {
      const problem = element.validate();
      if (problem) return { error: validationError(problem) };
      params.payment_method_data = cardData(element.cardDetails(), input.billingDetails);
    } else if (input.source && "paymentMethod" in input.source) {
      params.payment_method = input.source.paymentMethod;
    }

    element?.setReadOnly(true);
    try {
      const confirmed = await call<Intent>("POST", `/v1/${input.kind}s/${id}/confirm`, params);
      if (confirmed.error) return { error: confirmed.error };
      let intent = confirmed.data;
      if (input.handleActions) {
        const handled = await handleAction(input.kind, input.clientSecret, intent);
        if (handled.error) return { error: handled.error };
        intent = handled.data;
      }
      const failure = intent.status === "requires_payment_method" ? failureOf(input.kind, intent) : null;
      if (failure) return { error: failure };
      if (input.redirect === "always" && input.returnUrl && SUCCEEDED[input.kind].includes(intent.status)) {
        const url = new URL(input.returnUrl, window.location.href);
        url.searchParams.set(input.kind, intent.id);
        url.searchParams.set(`${input.kind}_client_secret`, input.clientSecret);
        url.searchParams.set("redirect_status", "succeeded");
        return navigate(url.toString());
      }
      return resultOf(input.kind, intent);
    } finally {
      element?.setReadOnly(false);
    }
  }

  type ConfirmOptions = {
    elements?: EmulatorElements;
    clientSecret?: string;
    confirmParams?: Partial<ConfirmPaymentData> & { payment_method?: string; return_url?: string };
    redirect?: "always" | "if_required";
  };

  function confirmWithElements(kind: IntentKind, options: ConfirmOptions): Promise<ConfirmResult> {
    const clientSecret = options.clientSecret ?? options.elements?.options.clientSecret;
    if (typeof clientSecret !== "string") throw new IntegrationError("Missing clientSecret: pass it to elements() or to this call.");
    const { return_url: returnUrl, payment_method: paymentMethod, payment_method_data: paymentMethodData, ...rest } = options.confirmParams ?? {};
    const extra: Record<string, FormValue> = {};
    for (const name of ["shipping", "receipt_email", "setup_future_usage"] as const) {
      const value = (rest as Record<string, FormValue>)[name];
      if (value !== undefined) extra[name] = value;
    }
    return confirm({
      kind,
      clientSecret,
      source: paymentMethod ? { paymentMethod } : options.elements ? { element: options.elements.paymentElement() } : null,
      billingDetails: paymentMethodData?.billing_details,
      extra,
      redirect: options.redirect ?? "always",
      returnUrl,
      handleActions: true,
    });
  }

  type CardPaymentData = { payment_method?: string | { card?: EmulatorPaymentElement; billing_details?: unknown } };

  function cardSource(data: CardPaymentData | undefined): ConfirmInput["source"] {
    const paymentMethod = data?.payment_method;
    if (typeof paymentMethod === "string") return { paymentMethod };
    if (paymentMethod?.card instanceof EmulatorPaymentElement) return { element: paymentMethod.card };
    return null;
  }

  return {
    elements(options: Record<string, unknown> = {}) {
      return new EmulatorElements(options);
    },

    confirmPayment(options: ConfirmOptions) {
      return confirmWithElements("payment_intent", options);
    },

    confirmSetup(options: ConfirmOptions) {
      return confirmWithElements("setup_intent", options);
    },

    confirmCardPayment(clientSecret: string, data?: CardPaymentData, options?: { handleActions?: boolean }) {
      const paymentMethod = data?.payment_method;
      return confirm({
        kind: "payment_intent",
        clientSecret,
        source: cardSource(data),
        billingDetails: typeof paymentMethod === "object" ? paymentMethod.billing_details : undefined,
        redirect: "never",
        handleActions: options?.handleActions ?? true,
      });
    },

    async handleNextAction(options: { clientSecret: string }): Promise<ConfirmResult> {
      const kind: IntentKind = options.clientSecret.startsWith("seti_") ? "setup_intent" : "payment_intent";
      const current = await retrieveIntent(kind, options.clientSecret);
      if (current.error) return { error: current.error };
      const handled = await handleAction(kind, options.clientSecret, current.data);
      if (handled.error) return { error: handled.error };
      const failure = handled.data.status === "requires_payment_method" ? failureOf(kind, handled.data) : null;
      return failure ? { error: failure } : resultOf(kind, handled.data);
    },

    async retrievePaymentIntent(clientSecret: string): Promise<ConfirmResult> {
      const result = await retrieveIntent("payment_intent", clientSecret);
      return result.error ? { error: result.error } : { paymentIntent: result.data as PaymentIntent };
    },

    async retrieveSetupIntent(clientSecret: string): Promise<ConfirmResult> {
      const result = await retrieveIntent("setup_intent", clientSecret);
      return result.error ? { error: result.error } : { setupIntent: result.data as SetupIntent };
    },

    async createPaymentMethod(
      options:
        { elements: EmulatorElements; params?: { billing_details?: unknown } } | { type: "card"; card: EmulatorPaymentElement; billing_details?: unknown },
    ): Promise<{ paymentMethod?: PaymentMethod; error?: StripeError }> {
      const element = "elements" in options ? options.elements.paymentElement() : options.card;
      if (!(element instanceof EmulatorPaymentElement)) throw new IntegrationError("createPaymentMethod needs the Payment Element.");
      const problem = element.validate();
      if (problem) return { error: validationError(problem) };
      const billingDetails = "elements" in options ? options.params?.billing_details : options.billing_details;
      const created = await call<PaymentMethod>("POST", "/v1/payment_methods", cardData(element.cardDetails(), billingDetails));
      return created.error ? { error: created.error } : { paymentMethod: created.data };
    },

    /** Present because @stripe/react-stripe-js checks for it; tokens are not part of the emulator. */
    async createToken(): Promise<{ error: StripeError }> {
      return { error: { type: "invalid_request_error", message: "Tokens are not supported by the Stripe emulator; use PaymentMethods." } as StripeError };
    },
  };
}

/**
 * Makes `window.Stripe` the emulator stand-in, before @stripe/stripe-js would inject
 * js.stripe.com: `loadStripe` (from `@stripe/stripe-js/pure`) resolves with an existing
 * `window.Stripe` and loads nothing. Refuses anything but a `pk_test_` key.
 */
export function installEmulatorStandIn(emulatorUrl: string): void {
  if (window.Stripe) return;
  const constructor = (publishableKey: string, _options?: StripeConstructorOptions) => {
    if (!/^pk_test_[A-Za-z0-9_]+$/.test(publishableKey)) {
      throw new IntegrationError("The Stripe emulator accepts pk_test_ publishable keys only.");
    }
    return createStandIn(publishableKey, emulatorUrl);
  };
  // The Stripe.js release @stripe/stripe-js expects, so it does not warn about a version mismatch.
  const standIn = Object.assign(constructor, { version: "endive" });
  // Implements the subset of Stripe.js listed above, not the whole StripeConstructor type.
  window.Stripe = standIn as unknown as StripeConstructor;
}
