"use client";

import { toast } from "sonner";
import { useMemo, useState, useTransition, type FormEvent } from "react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { recordManualPaymentAction } from "@/lib/actions/payments/record-manual-payment";
import type { FieldErrors } from "@/lib/errors";
import { formatMoney, minorUnitDigits, parseMoneyInput, toDecimalString } from "@/lib/money/currency";
import type { PayableInvoiceItem } from "@/lib/payments/list-payable-invoices";
import { MANUAL_METHOD_LABELS, MANUAL_PAYMENT_METHODS, REFERENCE_REQUIRED, type ManualPaymentMethod } from "@/lib/payments/manual-payments.types";
import { formatIsoDate } from "@/components/invoices/invoice-format";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button, buttonVariants } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { FormField, fieldControlProps } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";

type RecordPaymentFormProps = {
  patient: { id: string; name: string; email: string | null };
  invoices: PayableInvoiceItem[];
  defaultCurrency: string;
  /** Today in the clinic's time zone (YYYY-MM-DD): the default and the latest date received. */
  today: string;
  /** Pre-selects this invoice only (coming from an invoice page). */
  invoiceId?: string;
  cancelHref: string;
};

type Row = { checked: boolean; amount: string };

/** Spreads `amount` over the checked invoices in list order (oldest first), each up to its balance. */
function spread(invoices: PayableInvoiceItem[], rows: Record<string, Row>, amount: number, currency: string): Record<string, Row> {
  let left = amount;
  const next: Record<string, Row> = {};
  for (const invoice of invoices) {
    const row = rows[invoice.id]!;
    const part = row.checked ? Math.min(left, invoice.balance) : 0;
    left -= part;
    next[invoice.id] = { checked: row.checked, amount: row.checked && part > 0 ? toDecimalString(part, currency) : "" };
  }
  return next;
}

const METHOD_HINTS: Record<ManualPaymentMethod, string | undefined> = {
  cash: undefined,
  check: "Required: the number printed on the check.",
  card_terminal: "Optional: the terminal's approval code.",
  bank_transfer: "Required: the reference on the bank statement.",
};

/** The front-desk form: what was received, how, when, and which invoices it pays. */
export function RecordPaymentForm(props: RecordPaymentFormProps) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const currencies = useMemo(
    () => [...new Set([props.defaultCurrency, ...props.invoices.map((invoice) => invoice.currency)])],
    [props.defaultCurrency, props.invoices],
  );
  const preselected = props.invoices.find((invoice) => invoice.id === props.invoiceId);
  const [currency, setCurrency] = useState(
    preselected?.currency ??
      (props.invoices.some((invoice) => invoice.currency === props.defaultCurrency)
        ? props.defaultCurrency
        : (props.invoices[0]?.currency ?? props.defaultCurrency)),
  );
  const invoices = props.invoices.filter((invoice) => invoice.currency === currency);
  const initialRows = (forCurrency: string, amount: number) =>
    spread(
      props.invoices.filter((invoice) => invoice.currency === forCurrency),
      Object.fromEntries(
        props.invoices.map((invoice) => [
          invoice.id,
          { checked: preselected ? invoice.id === preselected.id : invoice.status !== "uncollectible", amount: "" },
        ]),
      ),
      amount,
      forCurrency,
    );
  const [method, setMethod] = useState<ManualPaymentMethod>("cash");
  const [amountText, setAmountText] = useState(preselected ? toDecimalString(preselected.balance, preselected.currency) : "");
  const [receivedOn, setReceivedOn] = useState(props.today);
  const [reference, setReference] = useState("");
  const [rows, setRows] = useState<Record<string, Row>>(() => initialRows(currency, preselected?.balance ?? 0));
  const [manual, setManual] = useState(false);
  const [keepExcess, setKeepExcess] = useState(false);
  const [emailReceipt, setEmailReceipt] = useState(Boolean(props.patient.email));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);

  const amount = parseMoneyInput(amountText, currency);
  const allocationOf = (invoice: PayableInvoiceItem) => {
    const row = rows[invoice.id]!;
    return row.checked ? (parseMoneyInput(row.amount || "0", currency) ?? 0) : 0;
  };
  const allocated = invoices.reduce((sum, invoice) => sum + allocationOf(invoice), 0);
  const excess = amount !== null ? amount - allocated : 0;
  // Cash handed over beyond what is paid goes back as change, unless the patient keeps it as credit.
  const isCash = method === "cash";
  const changeDue = isCash && !keepExcess && excess > 0 ? excess : 0;
  const recorded = amount === null ? null : amount - changeDue;
  const money = (value: number) => formatMoney(value, currency);
  const placeholder = minorUnitDigits(currency) === 0 ? "0" : `0.${"0".repeat(minorUnitDigits(currency))}`;

  function clearErrors(...names: string[]) {
    setErrors((current) => Object.fromEntries(Object.entries(current).filter(([key]) => !names.some((name) => key === name || key.startsWith(`${name}.`)))));
    setFormError(null);
  }

  function changeAmount(text: string) {
    setAmountText(text);
    // The amount is spread over the invoices, so an earlier "choose an invoice" error no longer holds.
    clearErrors("amount", "allocations", "invoiceId");
    const parsed = parseMoneyInput(text, currency);
    if (!manual) setRows((current) => spread(invoices, current, parsed ?? 0, currency));
  }

  function toggle(invoice: PayableInvoiceItem, checked: boolean) {
    clearErrors("allocations", "amount", "invoiceId");
    setRows((current) => {
      const next = { ...current, [invoice.id]: { checked, amount: checked ? current[invoice.id]!.amount : "" } };
      return manual ? next : spread(invoices, next, amount ?? 0, currency);
    });
  }

  function changeAllocation(invoice: PayableInvoiceItem, text: string) {
    setManual(true);
    clearErrors("allocations", "amount", "invoiceId", `invoice.${invoice.id}`);
    setRows((current) => ({ ...current, [invoice.id]: { checked: true, amount: text } }));
  }

  function respread() {
    setManual(false);
    setRows((current) => spread(invoices, current, amount ?? 0, currency));
  }

  function changeCurrency(next: string) {
    setCurrency(next);
    setManual(false);
    setRows(initialRows(next, parseMoneyInput(amountText, next) ?? 0));
  }

  function validate(): FieldErrors {
    const found: FieldErrors = {};
    if (amount === null || amount <= 0) found.amount = [amountText.trim() ? "Enter an amount above zero, such as 25.00." : "Enter the amount received."];
    if (REFERENCE_REQUIRED.has(method) && !reference.trim())
      found.reference = [method === "check" ? "Enter the check number." : "Enter the bank transfer's reference."];
    if (!receivedOn) found.receivedOn = ["Enter the date the money was received."];
    else if (receivedOn > props.today) found.receivedOn = ["The date received cannot be in the future."];
    invoices.forEach((invoice) => {
      const row = rows[invoice.id]!;
      if (!row.checked || !row.amount.trim()) return;
      const value = parseMoneyInput(row.amount, currency);
      if (value === null) found[`invoice.${invoice.id}`] = ["Enter an amount."];
      else if (value > invoice.balance) found[`invoice.${invoice.id}`] = [`At most ${money(invoice.balance)}.`];
    });
    if (allocated === 0)
      found.invoiceId = [invoices.length === 0 ? "This patient has nothing to pay in this currency." : "Choose at least one invoice and an amount for it."];
    if (amount !== null && allocated > amount)
      found.allocations = [`The invoice amounts add up to ${money(allocated)}, more than the ${money(amount)} received.`];
    if (amount !== null && excess > 0 && !keepExcess && !isCash && !found.allocations) {
      found.amount = [`${money(excess)} more than what is applied to invoices. Lower the amount, apply more, or keep the excess as patient credit.`];
    }
    return found;
  }

  // Invoices this payment goes toward that also carry an uncaptured card hold: collecting both would charge twice.
  const heldPicked = invoices.filter((invoice) => invoice.held > 0 && allocationOf(invoice) > 0);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const found = validate();
    setErrors(found);
    setFormError(null);
    if (Object.keys(found).length > 0) {
      setFormError("Check the highlighted fields.");
      return;
    }
    const allocations = invoices.filter((invoice) => allocationOf(invoice) > 0).map((invoice) => ({ invoiceId: invoice.id, amount: allocationOf(invoice) }));
    startTransition(async () => {
      const result = await recordManualPaymentAction({
        patientId: props.patient.id,
        method,
        // Cash: what was handed over; the server keeps what it pays and records the rest as change.
        amount: isCash && !keepExcess ? undefined : amount!,
        cashTendered: isCash ? amount! : undefined,
        currency,
        receivedOn,
        reference: reference.trim() || undefined,
        allocations,
        keepExcessAsCredit: keepExcess,
        emailReceipt: emailReceipt && Boolean(props.patient.email),
      });
      if (result.ok) {
        toast.success(
          changeDue > 0 ? `Payment of ${money(recorded ?? 0)} recorded. Give back ${money(changeDue)} change.` : `Payment of ${money(recorded ?? 0)} recorded.`,
        );
        router.push(`/app/payments/${result.data.id}`);
        return;
      }
      // Server field names: allocations.N.amount|invoiceId → the row of that invoice.
      const mapped: FieldErrors = {};
      for (const [key, messages] of Object.entries(result.error.fields ?? {})) {
        const match = /^allocations\.(\d+)\./.exec(key);
        const invoice = match ? allocations[Number(match[1])] : undefined;
        mapped[invoice ? `invoice.${invoice.invoiceId}` : key === "cashTendered" ? "amount" : key] = messages;
      }
      setErrors(mapped);
      setFormError(result.error.message);
    });
  }

  const error = (name: string) => errors[name]?.[0];
  const referenceRequired = REFERENCE_REQUIRED.has(method);
  const referenceLabel = method === "check" ? "Check number" : method === "bank_transfer" ? "Transfer reference" : "Reference";

  return (
    <form onSubmit={onSubmit} noValidate className="grid gap-6" aria-label="Record payment">
      {formError && (
        <Alert variant="destructive">
          <AlertTitle>The payment was not recorded</AlertTitle>
          <AlertDescription>{formError}</AlertDescription>
        </Alert>
      )}
      <div className="grid min-w-0 items-start gap-6 lg:grid-cols-[minmax(0,2fr)_minmax(0,3fr)]">
        <Card>
          <CardHeader>
            <CardTitle>Payment</CardTitle>
            <CardDescription>From {props.patient.name}</CardDescription>
          </CardHeader>
          <CardContent className="grid gap-4">
            <FormField label="Method" htmlFor="payment-method" required>
              <Select
                {...fieldControlProps("payment-method", { required: true })}
                value={method}
                onChange={(event) => {
                  setMethod(event.target.value as ManualPaymentMethod);
                  clearErrors("reference", "method");
                }}
              >
                {MANUAL_PAYMENT_METHODS.map((value) => (
                  <option key={value} value={value}>
                    {MANUAL_METHOD_LABELS[value]}
                  </option>
                ))}
              </Select>
            </FormField>
            <div className="grid gap-4 sm:grid-cols-[1fr_auto]">
              <FormField label={`Amount received (${currency})`} htmlFor="payment-amount" error={error("amount")} required>
                <Input
                  {...fieldControlProps("payment-amount", { error: error("amount"), required: true })}
                  inputMode="decimal"
                  autoComplete="off"
                  placeholder={placeholder}
                  value={amountText}
                  onChange={(event) => changeAmount(event.target.value)}
                />
              </FormField>
              {changeDue > 0 && (
                <p className="rounded-md border border-primary/30 bg-primary/5 px-3 py-2 text-sm sm:col-span-2">
                  Change due <strong className="text-base tabular-nums">{money(changeDue)}</strong>
                  <span className="text-muted-foreground"> · {money(recorded ?? 0)} is recorded as paid</span>
                </p>
              )}
              {currencies.length > 1 && (
                <FormField label="Currency" htmlFor="payment-currency">
                  <Select id="payment-currency" value={currency} onChange={(event) => changeCurrency(event.target.value)}>
                    {currencies.map((code) => (
                      <option key={code} value={code}>
                        {code}
                      </option>
                    ))}
                  </Select>
                </FormField>
              )}
            </div>
            <FormField label="Date received" htmlFor="payment-received-on" error={error("receivedOn")} required>
              <Input
                {...fieldControlProps("payment-received-on", { error: error("receivedOn"), required: true })}
                type="date"
                max={props.today}
                value={receivedOn}
                onChange={(event) => {
                  setReceivedOn(event.target.value);
                  clearErrors("receivedOn");
                }}
              />
            </FormField>
            {method !== "cash" && (
              <FormField label={referenceLabel} htmlFor="payment-reference" error={error("reference")} hint={METHOD_HINTS[method]} required={referenceRequired}>
                <Input
                  {...fieldControlProps("payment-reference", { error: error("reference"), hint: METHOD_HINTS[method], required: referenceRequired })}
                  autoComplete="off"
                  maxLength={100}
                  value={reference}
                  onChange={(event) => {
                    setReference(event.target.value);
                    clearErrors("reference");
                  }}
                />
              </FormField>
            )}
            <div className="grid gap-3 rounded-md border p-3 text-sm">
              <label className="flex items-start gap-2">
                <input
                  type="checkbox"
                  className="mt-0.5 size-4 accent-primary"
                  checked={keepExcess}
                  onChange={(event) => setKeepExcess(event.target.checked)}
                />
                <span>
                  {isCash ? "Keep the change as patient credit" : "Keep any excess as patient credit"}
                  <span className="block text-muted-foreground">
                    {isCash ? "Instead of giving it back. It can pay the patient's future invoices." : "It can pay the patient's future invoices."}
                  </span>
                </span>
              </label>
              <label className="flex items-start gap-2">
                <input
                  type="checkbox"
                  className="mt-0.5 size-4 accent-primary"
                  checked={emailReceipt && Boolean(props.patient.email)}
                  disabled={!props.patient.email}
                  onChange={(event) => setEmailReceipt(event.target.checked)}
                />
                <span>
                  Email a receipt
                  <span className="block wrap-anywhere text-muted-foreground">
                    {props.patient.email ? `To ${props.patient.email}, with the PDF attached.` : "The patient has no email address; print the receipt instead."}
                  </span>
                </span>
              </label>
            </div>
          </CardContent>
        </Card>

        <Card>
          <CardHeader>
            <CardTitle>Apply to invoices</CardTitle>
            <CardDescription>{manual ? "Amounts as you set them." : "Oldest first. Change an amount to choose yourself."}</CardDescription>
          </CardHeader>
          <CardContent className="grid gap-4">
            {invoices.length === 0 ? (
              <p className="text-sm text-muted-foreground">
                {props.patient.name} has no unpaid invoices in {currency}. Bill the visit first, then record the payment against it.
              </p>
            ) : (
              <>
                {heldPicked.length > 0 && (
                  <Alert variant="warning">
                    <AlertTitle>The patient&apos;s card is already authorized on {heldPicked.map((invoice) => invoice.number).join(", ")}</AlertTitle>
                    <AlertDescription>
                      A hold of {heldPicked.map((invoice) => `${money(invoice.held)} on ${invoice.number}`).join(", ")} is waiting to be captured. To avoid
                      charging the patient twice, capture it from the invoice&apos;s payment instead, or release it after recording this payment.
                    </AlertDescription>
                  </Alert>
                )}
                <ul className="grid gap-2" aria-label="Unpaid invoices">
                  {invoices.map((invoice) => {
                    const row = rows[invoice.id]!;
                    const applied = allocationOf(invoice);
                    const remaining = invoice.balance - applied;
                    const rowError = error(`invoice.${invoice.id}`);
                    const inputId = `allocation-${invoice.id}`;
                    return (
                      <li
                        key={invoice.id}
                        className="grid grid-cols-[auto_minmax(0,1fr)] items-start gap-x-3 gap-y-2 rounded-md border p-3 sm:grid-cols-[auto_minmax(0,1fr)_9rem] sm:items-center"
                      >
                        <input
                          type="checkbox"
                          id={`pick-${invoice.id}`}
                          className="mt-0.5 size-4 accent-primary sm:mt-0"
                          checked={row.checked}
                          onChange={(event) => toggle(invoice, event.target.checked)}
                          aria-label={`Apply to ${invoice.number}`}
                        />
                        <label htmlFor={`pick-${invoice.id}`} className="grid gap-0.5 text-sm">
                          <span className="flex flex-wrap items-center gap-2 font-medium">
                            {invoice.number}
                            {invoice.status === "uncollectible" && <Badge variant="warning">Written off</Badge>}
                            {invoice.held > 0 && <Badge variant="warning">{money(invoice.held)} card hold</Badge>}
                          </span>
                          <span className="text-muted-foreground">
                            {invoice.status === "uncollectible" ? `${money(invoice.writtenOff)} written off` : `${money(invoice.balance)} due`}
                            {invoice.dueDate ? ` · due ${formatIsoDate(invoice.dueDate)}` : ""} · after this payment:{" "}
                            <span className="font-medium text-foreground tabular-nums">{remaining > 0 ? money(remaining) : "paid"}</span>
                          </span>
                        </label>
                        <div className="col-span-2 grid gap-1 sm:col-span-1">
                          <Input
                            id={inputId}
                            aria-label={`Amount for ${invoice.number}`}
                            aria-invalid={rowError ? true : undefined}
                            aria-describedby={rowError ? `${inputId}-error` : undefined}
                            inputMode="decimal"
                            autoComplete="off"
                            placeholder={placeholder}
                            className="text-right tabular-nums"
                            value={row.amount}
                            disabled={!row.checked}
                            onChange={(event) => changeAllocation(invoice, event.target.value)}
                          />
                          {rowError && (
                            <p id={`${inputId}-error`} className="text-sm text-destructive">
                              {rowError}
                            </p>
                          )}
                        </div>
                      </li>
                    );
                  })}
                </ul>
              </>
            )}
            {manual && invoices.length > 0 && (
              <Button type="button" variant="ghost" size="sm" className="w-fit" onClick={respread}>
                Spread oldest first again
              </Button>
            )}
            {(error("invoiceId") ?? error("allocations")) && (
              <p className="text-sm text-destructive" role="alert">
                {error("invoiceId") ?? error("allocations")}
              </p>
            )}
            <dl className="grid grid-cols-[1fr_auto] gap-x-4 gap-y-1 border-t pt-3 text-sm" aria-live="polite">
              <dt className="text-muted-foreground">Applied to invoices</dt>
              <dd className="text-right tabular-nums">{money(allocated)}</dd>
              {changeDue > 0 ? (
                <>
                  <dt className="font-semibold">Change due</dt>
                  <dd className="text-right text-base font-semibold tabular-nums" data-testid="change-due">
                    {money(changeDue)}
                    <span className="block text-xs font-normal text-muted-foreground">give back from {money(amount ?? 0)} received</span>
                  </dd>
                </>
              ) : (
                <>
                  <dt className="text-muted-foreground">Excess</dt>
                  <dd className={`text-right tabular-nums ${excess > 0 ? "font-medium" : ""}`}>
                    {money(Math.max(excess, 0))}
                    {excess > 0 && (
                      <span className="block text-xs text-muted-foreground">{keepExcess ? "kept as patient credit" : "not allowed unless kept as credit"}</span>
                    )}
                  </dd>
                </>
              )}
            </dl>
          </CardContent>
        </Card>
      </div>
      <div className="flex flex-wrap justify-end gap-2">
        <Link href={props.cancelHref} className={buttonVariants({ variant: "outline" })}>
          Cancel
        </Link>
        <Button type="submit" loading={pending}>
          Record {recorded && recorded > 0 ? money(recorded) : "payment"}
        </Button>
      </div>
    </form>
  );
}
