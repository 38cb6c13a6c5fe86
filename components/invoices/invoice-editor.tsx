"use client";

import { toast } from "sonner";
import { useEffect, useRef, useState, useTransition, type FormEvent, type ReactNode } from "react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { ArrowDown, ArrowUp, CircleAlert, Plus, Trash2 } from "lucide-react";
import { createInvoiceAction } from "@/lib/actions/invoices/create-invoice";
import { updateDraftInvoiceAction } from "@/lib/actions/invoices/update-draft-invoice";
import { formatMoney, MAX_AMOUNT, toDecimalString } from "@/lib/money/currency";
import { totalsWithinLimit } from "@/lib/money/invoice-totals";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button, buttonVariants } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { FormField, fieldControlProps } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Select } from "@/components/ui/select";
import { Textarea } from "@/components/ui/textarea";
import { TERMS_LABELS } from "./invoice-format";
import { TotalsList } from "./totals-list";
import {
  emptyLine,
  exampleAmount,
  lineErrorKey,
  liveErrors,
  liveTotals,
  toDraftInput,
  toEditorErrors,
  type DiscountKind,
  type EditorValues,
  type LineDraft,
  type LineField as LineFieldName,
  type Terms,
} from "./invoice-editor-model";

export type CurrencyOption = { code: string; name: string };

type EditorTarget = { kind: "create"; patientId: string } | { kind: "edit"; invoiceId: string };

const TERMS = Object.keys(TERMS_LABELS) as Terms[];
const MAX_LINES = 100;

/**
 * The draft invoice editor: line items, tax, discount, terms and memo, with totals recomputed
 * on every keystroke by the same function the server runs when the draft is saved.
 */
export function InvoiceEditor(props: {
  target: EditorTarget;
  patient: { id: string; name: string };
  initialValues: EditorValues;
  currencies: CurrencyOption[];
  today: string;
  cancelHref: string;
}) {
  const router = useRouter();
  const [values, setValues] = useState(props.initialValues);
  const [submitErrors, setSubmitErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [dirty, setDirty] = useState(false);
  const [pending, startTransition] = useTransition();
  const nextLineNumber = useRef(0);
  // Where keyboard focus goes after a line is added, moved or removed (set by the handlers, applied after render).
  const pendingFocus = useRef<string | null>(null);

  const totals = liveTotals(values);
  const live = liveErrors(values);
  const errorFor = (key: string) => submitErrors[key] ?? live[key];
  const money = (amount: number) => formatMoney(amount, values.currency);

  useEffect(() => {
    if (!pendingFocus.current) return;
    document.getElementById(pendingFocus.current)?.focus();
    pendingFocus.current = null;
  });

  useEffect(() => {
    if (!dirty) return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [dirty]);

  function update(patch: Partial<EditorValues>, clear: string[] = []) {
    setValues((current) => ({ ...current, ...patch }));
    setDirty(true);
    if (clear.some((key) => key in submitErrors)) {
      setSubmitErrors((current) => Object.fromEntries(Object.entries(current).filter(([key]) => !clear.includes(key))));
    }
  }

  function updateLine(key: string, patch: Partial<LineDraft>, field?: LineFieldName) {
    update({ lines: values.lines.map((line) => (line.key === key ? { ...line, ...patch } : line)) }, field ? [lineErrorKey(key, field), "lines"] : []);
  }

  function addLine() {
    const key = `new-${nextLineNumber.current++}`;
    update({ lines: [...values.lines, emptyLine(key)] }, ["lines"]);
    pendingFocus.current = `line-${key}-description`;
  }

  function removeLine(index: number) {
    const lines = values.lines.filter((_, position) => position !== index);
    update({ lines });
    const neighbour = lines[index] ?? lines[index - 1];
    pendingFocus.current = neighbour ? `line-${neighbour.key}-description` : "add-line";
  }

  function moveLine(index: number, direction: -1 | 1) {
    const target = index + direction;
    const lines = [...values.lines];
    const [moved] = lines.splice(index, 1);
    if (!moved || target < 0 || target > lines.length) return;
    lines.splice(target, 0, moved);
    update({ lines });
    // Keep focus on the control that moved; at the top or bottom, hand it to the other arrow.
    const atEdge = direction === -1 ? target === 0 : target === lines.length - 1;
    const arrow = direction === -1 ? "up" : "down";
    pendingFocus.current = `line-${moved.key}-${atEdge ? (arrow === "up" ? "down" : "up") : arrow}`;
  }

  /** Shows the messages and takes the keyboard (and the screen) to the first field that has one, in form order. */
  function showErrors(errors: Record<string, string>, lines: LineDraft[]): boolean {
    setSubmitErrors(errors);
    const fieldIds: [string, string][] = [
      ["currency", "invoice-currency"],
      ["terms", "invoice-terms"],
      ["dueDate", "invoice-due-date"],
      ...lines.flatMap((line) =>
        (["description", "serviceCode", "quantity", "unitPrice"] as const).map((field): [string, string] => [
          lineErrorKey(line.key, field),
          `line-${line.key}-${field}`,
        ]),
      ),
      ["lines", "add-line"],
      ["taxRate", "invoice-tax-rate"],
      ["discount", "invoice-discount-value"],
      ["memo", "invoice-memo"],
    ];
    pendingFocus.current = fieldIds.find(([key]) => key in errors)?.[1] ?? null;
    return pendingFocus.current !== null;
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setFormError(null);
    const draft = toDraftInput(values);
    if (!draft.ok) {
      showErrors(draft.errors, values.lines);
      setFormError("Some fields need attention before the draft can be saved.");
      return;
    }
    const sentLines = values.lines;
    startTransition(async () => {
      const result =
        props.target.kind === "create"
          ? await createInvoiceAction({ patientId: props.target.patientId, ...draft.input })
          : await updateDraftInvoiceAction({ invoiceId: props.target.invoiceId, ...draft.input });
      if (result.ok) {
        setDirty(false);
        toast.success(props.target.kind === "create" ? "Draft invoice created." : "Draft saved.");
        router.push(`/app/invoices/${result.data.id}`);
        return;
      }
      const shownInline = showErrors(toEditorErrors(result.error.fields ?? {}, sentLines), sentLines);
      setFormError(shownInline ? "Some fields need attention before the draft can be saved." : result.error.message);
      // A message with no field of its own (an archived patient, a draft finalized meanwhile) is brought into view.
      if (!shownInline) pendingFocus.current = "invoice-form-error";
    });
  }

  const moneyPlaceholder = toDecimalString(0, values.currency);
  const discountError = errorFor("discount");
  const taxRateError = errorFor("taxRate");
  const dueDateError = errorFor("dueDate");
  const tooLarge = !totalsWithinLimit(totals);

  return (
    <form onSubmit={onSubmit} noValidate className="grid gap-6">
      {formError && (
        <Alert id="invoice-form-error" tabIndex={-1} variant="destructive" className="outline-none">
          <AlertDescription>{formError}</AlertDescription>
        </Alert>
      )}

      <Card>
        <CardHeader>
          <CardTitle>Details</CardTitle>
          <CardDescription>
            Billed to{" "}
            <Link href={`/app/patients/${props.patient.id}`} className="font-medium text-foreground underline-offset-4 hover:underline">
              {props.patient.name}
            </Link>
            {props.target.kind === "create" && (
              <>
                {" · "}
                <Link href="/app/invoices/new" className="text-primary underline-offset-4 hover:underline">
                  Choose another patient
                </Link>
              </>
            )}
          </CardDescription>
        </CardHeader>
        <CardContent className="grid gap-4 sm:grid-cols-3">
          <FormField label="Currency" htmlFor="invoice-currency" error={errorFor("currency")}>
            <Select
              {...fieldControlProps("invoice-currency", { error: errorFor("currency") })}
              value={values.currency}
              onChange={(event) => update({ currency: event.target.value }, ["currency"])}
            >
              {props.currencies.map((currency) => (
                <option key={currency.code} value={currency.code}>
                  {currency.code} · {currency.name}
                </option>
              ))}
            </Select>
          </FormField>
          <FormField label="Payment terms" htmlFor="invoice-terms" error={errorFor("terms")}>
            <Select
              {...fieldControlProps("invoice-terms", { error: errorFor("terms") })}
              value={values.terms}
              onChange={(event) => update({ terms: event.target.value as Terms }, ["terms", "dueDate"])}
            >
              {TERMS.map((terms) => (
                <option key={terms} value={terms}>
                  {TERMS_LABELS[terms]}
                </option>
              ))}
            </Select>
          </FormField>
          {values.terms === "custom" ? (
            <FormField label="Due date" htmlFor="invoice-due-date" error={dueDateError} required>
              <Input
                {...fieldControlProps("invoice-due-date", { error: dueDateError, required: true })}
                type="date"
                min={props.today}
                value={values.dueDate}
                onChange={(event) => update({ dueDate: event.target.value }, ["dueDate"])}
              />
            </FormField>
          ) : (
            <div className="grid content-start gap-2 text-sm">
              <span className="font-medium">Due date</span>
              <p className="text-muted-foreground">
                {values.terms === "due_on_receipt" ? "The day it is finalized." : `${values.terms === "net_15" ? 15 : 30} days after it is finalized.`}
              </p>
            </div>
          )}
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle>Line items</CardTitle>
          <CardDescription>
            Unit prices in {values.currency}, e.g. {exampleAmount(values.currency)}. Use the arrows to reorder lines.
          </CardDescription>
        </CardHeader>
        <CardContent className="grid gap-4">
          {values.lines.length > 0 && (
            <div
              aria-hidden="true"
              className="hidden gap-2 border-b pb-2 text-sm font-medium text-muted-foreground xl:grid xl:grid-cols-[minmax(0,1fr)_6rem_4.5rem_7rem_5.25rem_6.5rem_6.75rem]"
            >
              <span>Description</span>
              <span>Service code</span>
              <span>Qty</span>
              <span>Unit price</span>
              <span className="text-center">Tax-exempt</span>
              <span className="text-right">Amount</span>
              <span />
            </div>
          )}
          <ol className="grid gap-4 xl:gap-3">
            {values.lines.map((line, index) => (
              <LineEditor
                key={line.key}
                line={line}
                index={index}
                count={values.lines.length}
                amount={money(totals.lines[index]?.amount ?? 0)}
                moneyPlaceholder={moneyPlaceholder}
                errorFor={(field) => errorFor(lineErrorKey(line.key, field))}
                onChange={(patch, field) => updateLine(line.key, patch, field)}
                onMove={(direction) => moveLine(index, direction)}
                onRemove={() => removeLine(index)}
              />
            ))}
          </ol>
          {values.lines.length === 0 && (
            <p className="rounded-lg border border-dashed px-4 py-6 text-center text-sm text-muted-foreground">
              No lines yet. Add the services you are billing for.
            </p>
          )}
          {errorFor("lines") && <ErrorText id="invoice-lines-error">{errorFor("lines")}</ErrorText>}
          <div>
            <Button id="add-line" type="button" variant="outline" onClick={addLine} disabled={values.lines.length >= MAX_LINES}>
              <Plus aria-hidden="true" /> Add line
            </Button>
          </div>
        </CardContent>
      </Card>

      <div className="grid items-start gap-6 lg:grid-cols-2">
        <Card>
          <CardHeader>
            <CardTitle>Tax, discount and memo</CardTitle>
          </CardHeader>
          <CardContent className="grid gap-4">
            <FormField label="Tax rate (%)" htmlFor="invoice-tax-rate" error={taxRateError} hint="Applies to every line that is not tax-exempt.">
              <Input
                {...fieldControlProps("invoice-tax-rate", { error: taxRateError, hint: "Applies to every line that is not tax-exempt." })}
                className="sm:max-w-40"
                inputMode="decimal"
                placeholder="0"
                autoComplete="off"
                value={values.taxRate}
                onChange={(event) => update({ taxRate: event.target.value }, ["taxRate"])}
              />
            </FormField>
            <div className="grid content-start gap-2">
              <Label htmlFor="invoice-discount-kind">Discount</Label>
              <div className="flex gap-2">
                <Select
                  id="invoice-discount-kind"
                  aria-describedby="invoice-discount-hint"
                  className="w-44 shrink-0"
                  value={values.discountKind}
                  onChange={(event) => update({ discountKind: event.target.value as DiscountKind, discountValue: "" }, ["discount"])}
                >
                  <option value="none">None</option>
                  <option value="percent">Percent</option>
                  <option value="amount">Fixed amount</option>
                </Select>
                {values.discountKind !== "none" && (
                  <Input
                    {...fieldControlProps("invoice-discount-value", { error: discountError })}
                    aria-label={values.discountKind === "percent" ? "Discount percent" : `Discount amount in ${values.currency}`}
                    className="min-w-0 sm:max-w-40"
                    inputMode="decimal"
                    autoComplete="off"
                    placeholder={values.discountKind === "percent" ? "10" : moneyPlaceholder}
                    value={values.discountValue}
                    onChange={(event) => update({ discountValue: event.target.value }, ["discount"])}
                  />
                )}
              </div>
              <p id="invoice-discount-hint" className="text-sm text-muted-foreground">
                {values.discountKind === "percent"
                  ? "A percentage of each line, taken off before tax."
                  : values.discountKind === "amount"
                    ? `An amount in ${values.currency}, spread over the lines before tax.`
                    : "Taken off before tax."}
              </p>
              {discountError && <ErrorText id="invoice-discount-value-error">{discountError}</ErrorText>}
            </div>
            <FormField label="Memo" htmlFor="invoice-memo" error={errorFor("memo")} hint="Shown to the patient on the invoice.">
              <Textarea
                {...fieldControlProps("invoice-memo", { error: errorFor("memo"), hint: "Shown to the patient on the invoice." })}
                rows={3}
                maxLength={2000}
                value={values.memo}
                onChange={(event) => update({ memo: event.target.value }, ["memo"])}
              />
            </FormField>
          </CardContent>
        </Card>

        <Card>
          <CardHeader>
            <CardTitle>Totals</CardTitle>
            <CardDescription>Recalculated as you type; saved totals are always recomputed by Carebill.</CardDescription>
          </CardHeader>
          <CardContent>
            <TotalsList
              rows={[
                { label: "Subtotal", value: money(totals.subtotal), testId: "invoice-subtotal" },
                { label: "Discount", value: totals.discountTotal > 0 ? `−${money(totals.discountTotal)}` : money(0), testId: "invoice-discount" },
                { label: "Tax", value: money(totals.taxTotal), testId: "invoice-tax" },
                { label: "Total", value: money(totals.total), emphasis: true, testId: "invoice-total" },
              ]}
            />
            {tooLarge && (
              <Alert variant="warning" className="mt-4">
                <AlertDescription>An invoice cannot exceed {money(MAX_AMOUNT)}. Split it into several invoices.</AlertDescription>
              </Alert>
            )}
          </CardContent>
        </Card>
      </div>

      <div
        data-print-hidden
        className="sticky bottom-0 z-10 -mx-4 flex items-center justify-between gap-3 border-t bg-card/95 px-4 py-3 backdrop-blur md:-mx-8 md:px-8"
      >
        <p className="min-w-0 text-sm">
          <span className="text-muted-foreground">Total </span>
          <span className="font-semibold tabular-nums" aria-live="polite">
            {money(totals.total)}
          </span>
        </p>
        <div className="flex gap-2">
          <Link href={props.cancelHref} className={buttonVariants({ variant: "outline" })}>
            Cancel
          </Link>
          <Button type="submit" loading={pending}>
            Save draft
          </Button>
        </div>
      </div>
    </form>
  );
}

function ErrorText({ id, children }: { id: string; children: ReactNode }) {
  return (
    <p id={id} role="alert" className="flex items-start gap-1.5 text-sm font-medium text-destructive">
      <CircleAlert aria-hidden="true" className="mt-0.5 size-4 shrink-0" />
      {children}
    </p>
  );
}

/** A labelled control whose label is visible on stacked cards and read by screen readers only in the wide row layout. */
function LineField({ id, label, error, className, children }: { id: string; label: string; error?: string; className?: string; children: ReactNode }) {
  return (
    <div className={`grid content-start gap-2 xl:gap-1 ${className ?? ""}`}>
      <Label htmlFor={id} className="xl:sr-only">
        {label}
      </Label>
      {children}
      {error && <ErrorText id={`${id}-error`}>{error}</ErrorText>}
    </div>
  );
}

function LineEditor(props: {
  line: LineDraft;
  index: number;
  count: number;
  amount: string;
  moneyPlaceholder: string;
  errorFor: (field: LineFieldName) => string | undefined;
  onChange: (patch: Partial<LineDraft>, field?: LineFieldName) => void;
  onMove: (direction: -1 | 1) => void;
  onRemove: () => void;
}) {
  const { line, index } = props;
  const id = (field: string) => `line-${line.key}-${field}`;
  const number = index + 1;
  const text = (field: LineFieldName, label: string, extra: { inputMode?: "numeric" | "decimal"; placeholder?: string; className?: string } = {}) => {
    const error = props.errorFor(field);
    return (
      <LineField id={id(field)} label={label} error={error} className={extra.className}>
        <Input
          {...fieldControlProps(id(field), { error, required: field !== "serviceCode" })}
          inputMode={extra.inputMode}
          placeholder={extra.placeholder}
          autoComplete="off"
          value={line[field]}
          onChange={(event) => props.onChange({ [field]: event.target.value }, field)}
        />
      </LineField>
    );
  };

  return (
    <li data-testid="invoice-line">
      <div
        role="group"
        aria-labelledby={id("title")}
        className="grid grid-cols-2 items-start gap-3 rounded-lg border p-4 sm:grid-cols-4 xl:gap-2 xl:grid-cols-[minmax(0,1fr)_6rem_4.5rem_7rem_5.25rem_6.5rem_6.75rem] xl:rounded-none xl:border-0 xl:p-0"
      >
        <div className="order-first col-span-full flex items-center justify-between gap-2 xl:order-last xl:col-span-1 xl:h-10 xl:justify-end">
          <p id={id("title")} className="text-sm font-semibold xl:sr-only">
            Line {number}
          </p>
          <div className="flex">
            <Button
              id={id("up")}
              type="button"
              variant="ghost"
              size="icon"
              className="size-9"
              aria-label={`Move line ${number} up`}
              disabled={index === 0}
              onClick={() => props.onMove(-1)}
            >
              <ArrowUp aria-hidden="true" />
            </Button>
            <Button
              id={id("down")}
              type="button"
              variant="ghost"
              size="icon"
              className="size-9"
              aria-label={`Move line ${number} down`}
              disabled={index === props.count - 1}
              onClick={() => props.onMove(1)}
            >
              <ArrowDown aria-hidden="true" />
            </Button>
            <Button
              type="button"
              variant="ghost"
              size="icon"
              className="size-9 text-muted-foreground hover:text-destructive"
              aria-label={`Remove line ${number}`}
              onClick={props.onRemove}
            >
              <Trash2 aria-hidden="true" />
            </Button>
          </div>
        </div>
        {text("description", "Description", { placeholder: "Service provided", className: "col-span-full xl:col-span-1" })}
        {text("serviceCode", "Service code", { placeholder: "Optional" })}
        {text("quantity", "Quantity", { inputMode: "numeric" })}
        {text("unitPrice", "Unit price", { inputMode: "decimal", placeholder: props.moneyPlaceholder })}
        <label className="order-last col-span-full flex items-center gap-2 text-sm xl:order-none xl:col-span-1 xl:h-10 xl:justify-center">
          <input
            type="checkbox"
            className="size-4 accent-primary"
            checked={line.taxExempt}
            onChange={(event) => props.onChange({ taxExempt: event.target.checked })}
          />
          <span className="xl:sr-only">Tax-exempt</span>
        </label>
        <div className="grid content-start gap-2 text-right xl:flex xl:h-10 xl:items-center xl:justify-end">
          <span className="text-sm font-medium xl:sr-only">Amount</span>
          <span className="flex h-10 items-center justify-end font-medium tabular-nums xl:h-auto" data-testid="invoice-line-amount">
            {props.amount}
          </span>
        </div>
      </div>
    </li>
  );
}
