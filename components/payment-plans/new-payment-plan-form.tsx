"use client";

import { useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import type { FieldErrors } from "@/lib/errors";
import type { ActionResult } from "@/lib/http/action";
import { formatMoney, parseMoneyInput } from "@/lib/money/currency";
import type { PaymentPlanPreview, TCreatePaymentPlanInput } from "@/lib/payment-plans/create-payment-plan";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { FormField, fieldControlProps } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";

type OpenInvoice = { id: string; number: string | null; amountDue: number };
type CardOption = { id: string; label: string };

/**
 * Staff put a patient's open invoices on a plan: choose the invoices, down payment, number and
 * frequency of installments, first date and card; preview the schedule (checked by the server,
 * nothing written), then create it. The down payment is charged at once.
 */
export function NewPaymentPlanForm(props: {
  patientId: string;
  currency: string;
  today: string;
  invoices: OpenInvoice[];
  cards: CardOption[];
  preview: (input: TCreatePaymentPlanInput) => Promise<ActionResult<PaymentPlanPreview>>;
  create: (input: TCreatePaymentPlanInput) => Promise<ActionResult<{ id: string; status: string }>>;
}) {
  const router = useRouter();
  const money = (amount: number) => formatMoney(amount, props.currency);
  const [selected, setSelected] = useState<string[]>(props.invoices.map((invoice) => invoice.id));
  const [downPayment, setDownPayment] = useState("");
  const [count, setCount] = useState("6");
  const [frequency, setFrequency] = useState<"weekly" | "biweekly" | "monthly">("monthly");
  const [startDate, setStartDate] = useState(props.today);
  const [cardId, setCardId] = useState(props.cards[0]?.id ?? "");
  const [preview, setPreview] = useState<PaymentPlanPreview | null>(null);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const error = (name: string) => errors[name]?.[0];

  function input(): TCreatePaymentPlanInput | null {
    const down = downPayment.trim() === "" ? 0 : parseMoneyInput(downPayment, props.currency);
    const installments = Number(count);
    const found: FieldErrors = {};
    if (down === null) found.downPaymentAmount = ["Enter an amount like 100.00."];
    if (!/^\d+$/.test(count.trim())) found.installmentCount = ["Enter a whole number of installments."];
    if (selected.length === 0) found.invoiceIds = ["Choose at least one open invoice."];
    setErrors(found);
    if (Object.keys(found).length > 0) return null;
    return {
      patientId: props.patientId,
      invoiceIds: selected,
      downPaymentAmount: down ?? 0,
      installmentCount: installments,
      frequency,
      startDate,
      ...(cardId ? { savedPaymentMethodId: cardId } : { sendCardLink: true }),
    };
  }

  function handle<T>(result: ActionResult<T>): T | null {
    if (result.ok) return result.data;
    setErrors(result.error.fields ?? {});
    setFormError(result.error.message);
    return null;
  }

  function change<T>(setter: (value: T) => void) {
    return (value: T) => {
      setter(value);
      setPreview(null);
    };
  }

  return (
    <form
      className="grid gap-6"
      onSubmit={(event) => {
        event.preventDefault();
        const body = input();
        if (!body) return;
        setFormError(null);
        startTransition(async () => {
          if (!preview) {
            setPreview(handle(await props.preview(body)));
            return;
          }
          const created = handle(await props.create(body));
          if (created) {
            toast.success("Payment plan created.");
            router.push(`/app/payment-plans/${created.id}`);
          }
        });
      }}
    >
      <Card>
        <CardHeader>
          <CardTitle>Plan</CardTitle>
          <CardDescription>Installments are charged at the clinic&apos;s morning on each date, never more than the invoices still owe.</CardDescription>
        </CardHeader>
        <CardContent className="grid gap-4">
          <fieldset className="grid gap-2" aria-describedby={error("invoiceIds") ? "plan-invoices-error" : undefined}>
            <legend className="mb-1 text-sm font-medium">Invoices</legend>
            {props.invoices.map((invoice) => (
              <label key={invoice.id} className="flex items-center justify-between gap-3 text-sm">
                <span className="flex items-center gap-2">
                  <input
                    type="checkbox"
                    className="size-4"
                    checked={selected.includes(invoice.id)}
                    onChange={(event) => change(setSelected)(event.target.checked ? [...selected, invoice.id] : selected.filter((id) => id !== invoice.id))}
                  />
                  {invoice.number ?? "Invoice"}
                </span>
                <span className="tabular-nums">{money(invoice.amountDue)}</span>
              </label>
            ))}
            {error("invoiceIds") && (
              <p id="plan-invoices-error" className="text-sm text-destructive">
                {error("invoiceIds")}
              </p>
            )}
          </fieldset>
          <div className="grid gap-4 sm:grid-cols-2">
            <FormField
              label={`Down payment (${props.currency})`}
              htmlFor="plan-down-payment"
              error={error("downPaymentAmount")}
              hint="Charged at once; leave empty for none."
            >
              <Input
                {...fieldControlProps("plan-down-payment", { error: error("downPaymentAmount"), hint: "Charged at once; leave empty for none." })}
                inputMode="decimal"
                autoComplete="off"
                value={downPayment}
                onChange={(event) => change(setDownPayment)(event.target.value)}
              />
            </FormField>
            <FormField label="Installments" htmlFor="plan-count" error={error("installmentCount") ?? error("installmentAmounts")} required>
              <Input
                {...fieldControlProps("plan-count", { error: error("installmentCount") ?? error("installmentAmounts"), required: true })}
                inputMode="numeric"
                value={count}
                onChange={(event) => change(setCount)(event.target.value)}
              />
            </FormField>
            <FormField label="Frequency" htmlFor="plan-frequency" required>
              <Select
                {...fieldControlProps("plan-frequency", { required: true })}
                value={frequency}
                onChange={(event) => change(setFrequency)(event.target.value as typeof frequency)}
              >
                <option value="monthly">Monthly</option>
                <option value="biweekly">Every 2 weeks</option>
                <option value="weekly">Weekly</option>
              </Select>
            </FormField>
            <FormField label="First installment" htmlFor="plan-start" error={error("startDate")} required>
              <Input
                {...fieldControlProps("plan-start", { error: error("startDate"), required: true })}
                type="date"
                min={props.today}
                value={startDate}
                onChange={(event) => change(setStartDate)(event.target.value)}
              />
            </FormField>
          </div>
          <FormField label="Card" htmlFor="plan-card" error={error("savedPaymentMethodId")}>
            <Select
              {...fieldControlProps("plan-card", { error: error("savedPaymentMethodId") })}
              value={cardId}
              onChange={(event) => change(setCardId)(event.target.value)}
            >
              {props.cards.map((card) => (
                <option key={card.id} value={card.id}>
                  {card.label}
                </option>
              ))}
              <option value="">No card yet: email the patient a link to add one</option>
            </Select>
          </FormField>
        </CardContent>
      </Card>
      {formError && (
        <Alert variant="destructive">
          <AlertDescription>{formError}</AlertDescription>
        </Alert>
      )}
      {preview && (
        <Card>
          <CardHeader>
            <CardTitle>Schedule</CardTitle>
            <CardDescription>
              {money(preview.totalAmount)} from {preview.invoices.map((invoice) => invoice.number ?? "an invoice").join(", ")}
            </CardDescription>
          </CardHeader>
          <CardContent>
            <Table data-testid="plan-preview">
              <TableHeader>
                <TableRow>
                  <TableHead>Date</TableHead>
                  <TableHead>Installment</TableHead>
                  <TableHead className="text-right">Amount</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {preview.schedule.map((line) => (
                  <TableRow key={line.sequence}>
                    <TableCell>{line.dueDate}</TableCell>
                    <TableCell>{line.sequence === 0 ? "Down payment (today)" : `${line.sequence} of ${preview.installmentCount}`}</TableCell>
                    <TableCell className="text-right tabular-nums">{money(line.amount)}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </CardContent>
        </Card>
      )}
      <div className="flex flex-wrap gap-2">
        <Button type="submit" disabled={pending}>
          {pending ? (preview ? "Creating…" : "Checking…") : preview ? "Create plan" : "Preview schedule"}
        </Button>
      </div>
    </form>
  );
}
