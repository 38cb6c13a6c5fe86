"use client";

import { useState, useTransition, type FormEvent } from "react";
import { Plus, Trash2 } from "lucide-react";
import type { FieldErrors } from "@/lib/errors";
import type { ActionResult } from "@/lib/http/action";
import type { TCoverageBenefitsInput } from "@/lib/insurance/coverage-benefits";
import type { CoverageBenefitsView, CoverageView } from "@/lib/insurance/insurance.types";
import { parseMoneyInput, toDecimalString } from "@/lib/money/currency";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog, DialogClose, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { SelectField, TextField, useFieldErrors } from "./form-bits";
import { COPAY_VISIT_TYPES, formatPercent, parsePercent } from "./insurance-options";

const AMOUNT_FIELDS = [
  "deductibleIndividual",
  "deductibleIndividualMet",
  "deductibleFamily",
  "deductibleFamilyMet",
  "outOfPocketMaxIndividual",
  "outOfPocketMaxIndividualMet",
  "outOfPocketMaxFamily",
  "outOfPocketMaxFamilyMet",
] as const;
type AmountField = (typeof AMOUNT_FIELDS)[number];

export type CoverageBenefitsInputValues = TCoverageBenefitsInput;
type CopayVisitType = NonNullable<TCoverageBenefitsInput["copays"]>[number]["visitType"];

const LABELS: Record<AmountField, string> = {
  deductibleIndividual: "Individual deductible",
  deductibleIndividualMet: "Individual deductible met",
  deductibleFamily: "Family deductible",
  deductibleFamilyMet: "Family deductible met",
  outOfPocketMaxIndividual: "Individual out-of-pocket max",
  outOfPocketMaxIndividualMet: "Individual out-of-pocket met",
  outOfPocketMaxFamily: "Family out-of-pocket max",
  outOfPocketMaxFamilyMet: "Family out-of-pocket met",
};

type CopayRow = { key: number; visitType: string; amount: string };

/**
 * "Enter benefits": what a phone call or the payer's portal said (co-pays per visit type,
 * coinsurance, deductibles and out-of-pocket maximums with the amounts met). Saved as verified now,
 * by hand; an eligibility answer later replaces them.
 */
export function BenefitsDialog(props: {
  coverage: CoverageView;
  onClose: () => void;
  onSave: (values: CoverageBenefitsInputValues) => Promise<ActionResult<unknown>>;
  onSaved: () => void;
}) {
  const { coverage } = props;
  const currency = coverage.currency;
  const benefits: CoverageBenefitsView = coverage.benefits;
  const money = (amount: number | null) => (amount === null ? "" : toDecimalString(amount, currency));
  const [copays, setCopays] = useState<CopayRow[]>(() =>
    benefits.copays.length > 0
      ? benefits.copays.map((copay, index) => ({ key: index, visitType: copay.visitType, amount: toDecimalString(copay.amount, currency) }))
      : [{ key: 0, visitType: "office", amount: "" }],
  );
  const [coinsurance, setCoinsurance] = useState(benefits.coinsuranceBasisPoints === null ? "" : formatPercent(benefits.coinsuranceBasisPoints));
  const [amounts, setAmounts] = useState<Record<AmountField, string>>(
    () => Object.fromEntries(AMOUNT_FIELDS.map((field) => [field, money(benefits[field])])) as Record<AmountField, string>,
  );
  const [pending, startTransition] = useTransition();
  const fieldErrors = useFieldErrors(
    (field) => field.startsWith("copays") || field === "coinsuranceBasisPoints" || (AMOUNT_FIELDS as readonly string[]).includes(field),
  );
  const { error } = fieldErrors;
  const labelOf = (visitType: string) =>
    COPAY_VISIT_TYPES.find((type) => type.visitType === visitType)?.label ?? benefits.copays.find((copay) => copay.visitType === visitType)?.label ?? visitType;

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    fieldErrors.clear();
    const found: FieldErrors = {};
    const example = toDecimalString(2500, currency);
    const parsedCopays = copays
      .filter((row) => row.amount.trim() !== "")
      .map((row) => {
        const amount = parseMoneyInput(row.amount, currency);
        if (amount === null) found[`copays.${copays.indexOf(row)}.amount`] = [`Enter an amount like ${example}.`];
        return { visitType: row.visitType as CopayVisitType, amount: amount ?? 0 };
      });
    const coinsuranceBasisPoints = parsePercent(coinsurance);
    if (coinsuranceBasisPoints === undefined) found.coinsuranceBasisPoints = ["Enter a percentage from 0 to 100, such as 20."];
    const parsed = Object.fromEntries(
      AMOUNT_FIELDS.map((field) => {
        const text = amounts[field].trim();
        if (text === "") return [field, null];
        const amount = parseMoneyInput(text, currency);
        if (amount === null) found[field] = [`Enter an amount like ${toDecimalString(150000, currency)}.`];
        return [field, amount];
      }),
    ) as Record<AmountField, number | null>;
    if (Object.keys(found).length > 0) return fieldErrors.setLocal(found);
    startTransition(async () => {
      const result = await props.onSave({ copays: parsedCopays, coinsuranceBasisPoints: coinsuranceBasisPoints ?? null, ...parsed });
      if (result.ok) return props.onSaved();
      fieldErrors.show(result);
    });
  }

  const amountField = (field: AmountField) => (
    <TextField
      id={`benefits-${field}`}
      label={`${LABELS[field]} (${currency})`}
      inputMode="decimal"
      error={error(field)}
      value={amounts[field]}
      onChange={(value) => setAmounts((current) => ({ ...current, [field]: value }))}
    />
  );

  return (
    <Dialog open onOpenChange={(open) => !open && !pending && props.onClose()}>
      <DialogContent className="sm:max-w-2xl">
        <form onSubmit={submit} noValidate className="grid gap-4">
          <DialogHeader>
            <DialogTitle>Enter benefits</DialogTitle>
            <DialogDescription>
              What {coverage.payer.name} told you by phone or on its portal. Saved as verified today, by hand. Leave a field empty when you don&apos;t know it.
            </DialogDescription>
          </DialogHeader>
          {fieldErrors.formError && (
            <Alert variant="destructive">
              <AlertDescription>{fieldErrors.formError}</AlertDescription>
            </Alert>
          )}
          <fieldset className="grid gap-3">
            <legend className="mb-1 text-sm font-semibold">Co-pays</legend>
            {error("copays") && (
              <p role="alert" className="text-sm font-medium text-destructive">
                {error("copays")}
              </p>
            )}
            {copays.map((row, index) => (
              <div key={row.key} className="grid grid-cols-[1fr_auto] items-end gap-2 sm:grid-cols-[1fr_10rem_auto]" data-testid="copay-row">
                <SelectField
                  id={`copay-${row.key}-type`}
                  className="col-span-2 sm:col-span-1"
                  label="Visit type"
                  error={error(`copays.${index}.visitType`)}
                  value={row.visitType}
                  onChange={(visitType) => setCopays((current) => current.map((other) => (other.key === row.key ? { ...other, visitType } : other)))}
                >
                  {!COPAY_VISIT_TYPES.some((type) => type.visitType === row.visitType) && <option value={row.visitType}>{labelOf(row.visitType)}</option>}
                  {COPAY_VISIT_TYPES.map((type) => (
                    <option key={type.visitType} value={type.visitType}>
                      {type.label}
                    </option>
                  ))}
                </SelectField>
                <TextField
                  id={`copay-${row.key}-amount`}
                  label={`Co-pay (${currency})`}
                  inputMode="decimal"
                  error={error(`copays.${index}.amount`)}
                  value={row.amount}
                  onChange={(amount) => setCopays((current) => current.map((other) => (other.key === row.key ? { ...other, amount } : other)))}
                />
                <Button
                  type="button"
                  variant="ghost"
                  size="icon"
                  aria-label={`Remove the ${labelOf(row.visitType)} co-pay`}
                  onClick={() => setCopays((current) => current.filter((other) => other.key !== row.key))}
                >
                  <Trash2 aria-hidden="true" />
                </Button>
              </div>
            ))}
            <Button
              type="button"
              variant="outline"
              size="sm"
              className="w-fit"
              onClick={() =>
                setCopays((current) => [
                  ...current,
                  {
                    key: Math.max(-1, ...current.map((row) => row.key)) + 1,
                    visitType: COPAY_VISIT_TYPES.find((type) => !current.some((row) => row.visitType === type.visitType))?.visitType ?? "office",
                    amount: "",
                  },
                ])
              }
            >
              <Plus aria-hidden="true" /> Add a co-pay
            </Button>
          </fieldset>
          <TextField
            id="benefits-coinsurance"
            label="Coinsurance (%)"
            inputMode="decimal"
            hint="The patient's share after the deductible, such as 20."
            className="sm:max-w-xs"
            error={error("coinsuranceBasisPoints")}
            value={coinsurance}
            onChange={setCoinsurance}
          />
          <div className="grid gap-4 sm:grid-cols-2">
            {amountField("deductibleIndividual")}
            {amountField("deductibleIndividualMet")}
            {amountField("deductibleFamily")}
            {amountField("deductibleFamilyMet")}
            {amountField("outOfPocketMaxIndividual")}
            {amountField("outOfPocketMaxIndividualMet")}
            {amountField("outOfPocketMaxFamily")}
            {amountField("outOfPocketMaxFamilyMet")}
          </div>
          <DialogFooter>
            <DialogClose asChild>
              <Button type="button" variant="outline" disabled={pending}>
                Cancel
              </Button>
            </DialogClose>
            <Button type="submit" loading={pending}>
              Save benefits
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
