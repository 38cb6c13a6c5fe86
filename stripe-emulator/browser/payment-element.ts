/**
 * The Stripe emulator's stand-in for Stripe's Payment Element: a plain card form (number,
 * expiry, security code, postal code) under a TEST MODE banner, validated the way Stripe
 * Elements validates (same error codes and messages). Loaded only in emulator builds, by
 * stand-in.ts.
 *
 * The inputs have no `name`, so even inside the app's <form> a native submission can never post
 * card data to our server; the stand-in reads them and sends them to the emulator only.
 */

export type CardFieldName = "number" | "expiry" | "cvc" | "postalCode";

export type CardValidationError = { field: CardFieldName; code: string; message: string };

export type CardDetails = { number: string; expMonth: number; expYear: number; cvc: string; postalCode: string };

const digitsOf = (value: string) => value.replace(/\D/g, "");

function isAmex(number: string): boolean {
  return /^3[47]/.test(number);
}

function luhnValid(number: string): boolean {
  let sum = 0;
  for (let index = 0; index < number.length; index++) {
    let digit = Number(number[number.length - 1 - index]);
    if (index % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

/** "4242424242424242" → "4242 4242 4242 4242" (American Express: 4-6-5). */
export function formatCardNumber(value: string): string {
  const number = digitsOf(value).slice(0, isAmex(digitsOf(value)) ? 15 : 19);
  const groups = isAmex(number) ? [number.slice(0, 4), number.slice(4, 10), number.slice(10)] : (number.match(/.{1,4}/g) ?? []);
  return groups.filter(Boolean).join(" ");
}

/** "1234" → "12 / 34"; a leading 2-9 is a month ("4" → "04 / "). */
export function formatExpiry(value: string, deleting = false): string {
  let digits = digitsOf(value).slice(0, 4);
  if (/^[2-9]$/.test(digits)) digits = `0${digits}`;
  if (digits.length < 2) return digits;
  if (digits.length === 2) return deleting ? digits : `${digits} / `;
  return `${digits.slice(0, 2)} / ${digits.slice(2)}`;
}

/** Checks one field like Stripe Elements does; `null` when it is valid. */
export function validateCardField(field: CardFieldName, raw: string, now = new Date()): CardValidationError | null {
  switch (field) {
    case "number": {
      const number = digitsOf(raw);
      const length = isAmex(number) ? 15 : 16;
      if (number.length < length) return { field, code: "incomplete_number", message: "Your card number is incomplete." };
      if (!luhnValid(number)) return { field, code: "invalid_number", message: "Your card number is invalid." };
      return null;
    }
    case "expiry": {
      const digits = digitsOf(raw);
      if (digits.length < 4) return { field, code: "incomplete_expiry", message: "Your card's expiration date is incomplete." };
      const month = Number(digits.slice(0, 2));
      const year = 2000 + Number(digits.slice(2, 4));
      if (month < 1 || month > 12) return { field, code: "invalid_expiry_month", message: "Your card's expiration month is invalid." };
      if (year < now.getFullYear()) return { field, code: "invalid_expiry_year_past", message: "Your card's expiration year is in the past." };
      if (year === now.getFullYear() && month < now.getMonth() + 1) {
        return { field, code: "invalid_expiry_month_past", message: "Your card's expiration date is in the past." };
      }
      return null;
    }
    case "cvc":
      return digitsOf(raw).length < 3 ? { field, code: "incomplete_cvc", message: "Your card's security code is incomplete." } : null;
    case "postalCode":
      return raw.trim().length < 3 ? { field, code: "incomplete_zip", message: "Your postal code is incomplete." } : null;
  }
}

type Handler = (event: unknown) => void;

const FIELDS: { name: CardFieldName; label: string; autocomplete: AutoFill; placeholder: string; inputMode: "numeric" | "text" }[] = [
  { name: "number", label: "Card number", autocomplete: "cc-number", placeholder: "1234 1234 1234 1234", inputMode: "numeric" },
  { name: "expiry", label: "Expiration date", autocomplete: "cc-exp", placeholder: "MM / YY", inputMode: "numeric" },
  { name: "cvc", label: "Security code", autocomplete: "cc-csc", placeholder: "CVC", inputMode: "numeric" },
  { name: "postalCode", label: "ZIP / Postal code", autocomplete: "postal-code", placeholder: "12345", inputMode: "text" },
];

const STYLE_ID = "carebill-stripe-emulator-style";
const STYLE = `
.cbse{font:16px/1.4 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1a1f36;max-width:100%;box-sizing:border-box}
.cbse *{box-sizing:border-box}
.cbse-banner{background:#ffb020;color:#000;font-weight:700;font-size:13px;letter-spacing:.04em;padding:6px 10px;border-radius:6px;margin-bottom:12px}
.cbse-banner span{font-weight:400;letter-spacing:0}
.cbse-grid{display:grid;grid-template-columns:1fr 1fr;gap:12px}
.cbse-field{display:flex;flex-direction:column;gap:4px;min-width:0}
.cbse-field.cbse-wide{grid-column:1 / -1}
.cbse-field label{font-size:14px;font-weight:500}
.cbse-field input{font:inherit;font-size:16px;min-height:44px;width:100%;padding:10px 12px;border:1px solid #c4c9d4;border-radius:6px;background:#fff;color:inherit}
.cbse-field input:focus{outline:2px solid #635bff;outline-offset:1px;border-color:#635bff}
.cbse-field input[aria-invalid=true]{border-color:#df1b41}
.cbse-field input[readonly]{background:#f6f8fa}
.cbse-error{color:#df1b41;font-size:14px;min-height:0}
.cbse-error:empty{display:none}
.cbse-help{margin-top:10px;font-size:13px;color:#4f566b}
.cbse-help ul{margin:6px 0 0;padding-left:18px}
@media (max-width:360px){.cbse-grid{grid-template-columns:1fr}}
`;

function ensureStyle(): void {
  if (document.getElementById(STYLE_ID)) return;
  const style = document.createElement("style");
  style.id = STYLE_ID;
  style.textContent = STYLE;
  document.head.appendChild(style);
}

let nextElementId = 0;

/** The stand-in for `elements.create("payment")`, with the Element methods react-stripe-js calls. */
export class EmulatorPaymentElement {
  private readonly listeners = new Map<string, Set<Handler>>();
  private readonly idPrefix = `cbse-${++nextElementId}`;
  private root: HTMLElement | null = null;
  private inputs = new Map<CardFieldName, HTMLInputElement>();
  private readonly values: Record<CardFieldName, string> = { number: "", expiry: "", cvc: "", postalCode: "" };
  private readonly shownErrors = new Map<CardFieldName, CardValidationError>();
  private readOnly = false;
  private isReady = false;
  destroyed = false;

  constructor(options: { readOnly?: boolean } = {}) {
    this.readOnly = options.readOnly ?? false;
  }

  mount(target: string | HTMLElement): void {
    if (this.destroyed) throw new Error("This Element has already been destroyed. Please create a new one.");
    const container = typeof target === "string" ? document.querySelector<HTMLElement>(target) : target;
    if (!container) throw new Error(`The selector you specified (${String(target)}) applies to no DOM elements.`);
    if (this.root) this.unmount();
    ensureStyle();
    this.emit("loaderstart", { elementType: "payment" });
    this.root = this.render();
    container.appendChild(this.root);
    // Real Elements load in an iframe and report ready a moment later; handlers attached after
    // that moment still hear it (see `on`).
    setTimeout(() => {
      if (!this.root) return;
      this.isReady = true;
      this.emit("ready", { elementType: "payment" });
    }, 0);
  }

  unmount(): void {
    this.root?.remove();
    this.root = null;
    this.inputs = new Map();
  }

  destroy(): void {
    this.unmount();
    this.destroyed = true;
    this.listeners.clear();
  }

  on(event: string, handler: Handler): this {
    let handlers = this.listeners.get(event);
    if (!handlers) {
      handlers = new Set();
      this.listeners.set(event, handlers);
    }
    handlers.add(handler);
    if (event === "ready" && this.isReady) setTimeout(() => handler({ elementType: "payment" }), 0);
    return this;
  }

  once(event: string, handler: Handler): this {
    const wrapped: Handler = (payload) => {
      this.off(event, wrapped);
      handler(payload);
    };
    return this.on(event, wrapped);
  }

  off(event: string, handler?: Handler): this {
    if (handler) this.listeners.get(event)?.delete(handler);
    else this.listeners.delete(event);
    return this;
  }

  update(options: { readOnly?: boolean }): void {
    if (options.readOnly !== undefined) this.setReadOnly(options.readOnly);
  }

  focus(): void {
    this.inputs.get("number")?.focus();
  }

  blur(): void {
    const active = document.activeElement;
    if (active instanceof HTMLElement && this.root?.contains(active)) active.blur();
  }

  clear(): void {
    for (const field of FIELDS) this.setValue(field.name, "");
    this.shownErrors.clear();
    this.renderErrors();
    this.emitChange();
  }

  collapse(): void {}

  /** Used while a confirmation is in flight, as Stripe locks its Element. */
  setReadOnly(readOnly: boolean): void {
    this.readOnly = readOnly;
    for (const input of this.inputs.values()) input.readOnly = readOnly;
  }

  /** Shows every field's error inline and returns the first one, or null when the card is complete. */
  validate(): CardValidationError | null {
    this.shownErrors.clear();
    for (const field of FIELDS) {
      const error = validateCardField(field.name, this.values[field.name]);
      if (error) this.shownErrors.set(field.name, error);
    }
    this.renderErrors();
    const first = [...this.shownErrors.values()][0] ?? null;
    if (first) this.inputs.get(first.field)?.focus();
    return first;
  }

  cardDetails(): CardDetails {
    const expiry = digitsOf(this.values.expiry);
    return {
      number: digitsOf(this.values.number),
      expMonth: Number(expiry.slice(0, 2)),
      expYear: 2000 + Number(expiry.slice(2, 4)),
      cvc: digitsOf(this.values.cvc),
      postalCode: this.values.postalCode.trim(),
    };
  }

  private emit(event: string, payload: unknown): void {
    for (const handler of [...(this.listeners.get(event) ?? [])]) handler(payload);
  }

  private emitChange(): void {
    const empty = FIELDS.every((field) => this.values[field.name] === "");
    const complete = FIELDS.every((field) => validateCardField(field.name, this.values[field.name]) === null);
    this.emit("change", { elementType: "payment", empty, complete, collapsed: false, value: { type: "card" } });
  }

  private setValue(name: CardFieldName, value: string): void {
    this.values[name] = value;
    const input = this.inputs.get(name);
    if (input && input.value !== value) input.value = value;
  }

  private render(): HTMLElement {
    const root = document.createElement("div");
    root.className = "cbse";
    root.dataset.stripeEmulator = "payment-element";

    const banner = document.createElement("div");
    banner.className = "cbse-banner";
    banner.setAttribute("role", "note");
    banner.append("TEST MODE ");
    const note = document.createElement("span");
    note.textContent = "· Stripe emulator: no real card is charged.";
    banner.append(note);
    root.append(banner);

    const grid = document.createElement("div");
    grid.className = "cbse-grid";
    for (const field of FIELDS) grid.append(this.renderField(field));
    root.append(grid);

    const help = document.createElement("details");
    help.className = "cbse-help";
    const summary = document.createElement("summary");
    summary.textContent = "Test cards";
    const list = document.createElement("ul");
    for (const line of [
      "4242 4242 4242 4242: succeeds",
      "4000 0000 0000 0002: declined",
      "4000 0000 0000 9995: insufficient funds",
      "4000 0025 0000 3155: asks for 3-D Secure",
      "Any future date, any 3 digits, any postal code",
    ]) {
      const item = document.createElement("li");
      item.textContent = line;
      list.append(item);
    }
    help.append(summary, list);
    root.append(help);

    root.addEventListener("focusin", (event) => {
      if (!(event.relatedTarget instanceof Node && root.contains(event.relatedTarget))) this.emit("focus", { elementType: "payment" });
    });
    root.addEventListener("focusout", (event) => {
      if (!(event.relatedTarget instanceof Node && root.contains(event.relatedTarget))) this.emit("blur", { elementType: "payment" });
    });
    root.addEventListener("keydown", (event) => {
      if (event.key === "Escape") this.emit("escape", { elementType: "payment" });
    });
    return root;
  }

  private renderField(field: (typeof FIELDS)[number]): HTMLElement {
    const wrapper = document.createElement("div");
    wrapper.className = field.name === "number" || field.name === "postalCode" ? "cbse-field cbse-wide" : "cbse-field";
    const id = `${this.idPrefix}-${field.name}`;
    const label = document.createElement("label");
    label.htmlFor = id;
    label.textContent = field.label;
    const input = document.createElement("input");
    input.id = id;
    input.type = "text";
    input.inputMode = field.inputMode;
    input.autocomplete = field.autocomplete;
    input.placeholder = field.placeholder;
    input.spellcheck = false;
    input.readOnly = this.readOnly;
    input.value = this.values[field.name];
    input.setAttribute("aria-describedby", `${id}-error`);
    const error = document.createElement("div");
    error.id = `${id}-error`;
    error.className = "cbse-error";
    error.setAttribute("aria-live", "polite");

    input.addEventListener("input", (event) => {
      const deleting = event instanceof InputEvent && event.inputType.startsWith("delete");
      const formatted =
        field.name === "number"
          ? formatCardNumber(input.value)
          : field.name === "expiry"
            ? formatExpiry(input.value, deleting)
            : field.name === "cvc"
              ? digitsOf(input.value).slice(0, isAmex(digitsOf(this.values.number)) ? 4 : 3)
              : input.value.slice(0, 10);
      this.setValue(field.name, formatted);
      // An error shown for this field goes away as soon as the field becomes valid.
      if (this.shownErrors.has(field.name) && !validateCardField(field.name, formatted)) {
        this.shownErrors.delete(field.name);
        this.renderErrors();
      }
      this.emitChange();
    });
    input.addEventListener("blur", () => {
      const problem = this.values[field.name] === "" ? null : validateCardField(field.name, this.values[field.name]);
      if (problem) this.shownErrors.set(field.name, problem);
      else this.shownErrors.delete(field.name);
      this.renderErrors();
    });
    this.inputs.set(field.name, input);
    wrapper.append(label, input, error);
    return wrapper;
  }

  private renderErrors(): void {
    for (const field of FIELDS) {
      const input = this.inputs.get(field.name);
      if (!input) continue;
      const error = this.shownErrors.get(field.name);
      input.setAttribute("aria-invalid", error ? "true" : "false");
      const slot = this.root?.querySelector(`#${input.id}-error`);
      if (slot) slot.textContent = error?.message ?? "";
    }
  }
}
