"use client";

import { toast } from "sonner";
import { useState, useTransition, type FormEvent } from "react";
import type { TUpdateAutopaySettingsInput } from "@/lib/autopay/update-autopay-settings";
import type { FieldErrors } from "@/lib/errors";
import type { ActionResult } from "@/lib/http/action";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from "@/components/ui/card";
import { FormField, fieldControlProps } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";

export type AutopaySettingsFormValues = {
  /** "1, 3, 7" */
  retryDays: string;
  afterLastFailure: "past_due" | "defaulted";
  reminderDaysBefore: number;
  /** The decimal amount ("2500.00"), empty for no limit. */
  maxPlanAmount: string;
  chargeHour: number;
};
type SaveAutopaySettings = (input: TUpdateAutopaySettingsInput) => Promise<ActionResult<{ changed: boolean }>>;

const AFTER_LAST_FAILURE = [
  {
    value: "past_due",
    label: "Keep it going (past due)",
    description:
      "The plan or membership stays on and is marked past due. What was missed stays owed, staff see it under Needs attention and the patient is emailed a link to add a new card. The next scheduled charges are still made, and it becomes active again once a charge goes through or the patient catches up.",
  },
  {
    value: "defaulted",
    label: "Stop it (defaulted)",
    description:
      "Nothing more is charged: the plan or membership stops for good. What is still owed stays on the patient's invoices and statements for your staff to collect. To start charging again, create a new plan or membership.",
  },
] as const;

/** "8:00 AM" for 8. */
function hourLabel(hour: number): string {
  const suffix = hour < 12 ? "AM" : "PM";
  const twelve = hour % 12 === 0 ? 12 : hour % 12;
  return `${twelve}:00 ${suffix}`;
}

/**
 * The clinic's autopay rules. Admins change them (`canEdit`); billing staff and viewers see the same
 * form read-only. Errors show beside each field.
 */
export function AutopaySettingsForm({
  values,
  currency,
  timeZone,
  canEdit,
  save,
}: {
  values: AutopaySettingsFormValues;
  currency: string;
  timeZone: string;
  canEdit: boolean;
  save: SaveAutopaySettings;
}) {
  const [fields, setFields] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const text = (name: keyof AutopaySettingsFormValues) => String(form.get(name) ?? "");
    setFormError(null);
    startTransition(async () => {
      const result = await save({
        retryDays: text("retryDays"),
        afterLastFailure: text("afterLastFailure") as AutopaySettingsFormValues["afterLastFailure"],
        reminderDaysBefore: text("reminderDaysBefore"),
        maxPlanAmount: text("maxPlanAmount"),
        chargeHour: text("chargeHour"),
      });
      if (result.ok) {
        setFields({});
        toast.success(result.data.changed ? "Autopay settings saved. They apply to the next charges." : "Nothing changed.");
      } else {
        setFields(result.error.fields ?? {});
        setFormError(result.error.fields ? "Some settings need fixing; see the messages below." : result.error.message);
      }
    });
  }

  const error = (name: keyof AutopaySettingsFormValues) => fields[name]?.[0];
  const zone = timeZone.replaceAll("_", " ");
  const hints = {
    retryDays:
      "When a card is declined for a reason that may pass (not enough funds, the bank was busy), the charge is tried again this many days after the due date. 1 to 3 days in increasing order, each from 1 to 30. A lost, stolen or expired card, or a bank asking the patient to confirm, is not retried.",
    reminderDaysBefore: "The patient is emailed this many days before each charge. 0 sends no reminder. Applies to plans created from now on.",
    maxPlanAmount: `Staff can't set up a plan for more than this (in ${currency}). Leave empty for no limit.`,
    chargeHour: `Charges go out at this hour of the clinic's day (${zone}).`,
  };

  return (
    <Card>
      <form onSubmit={onSubmit} noValidate aria-label="Autopay settings">
        <CardHeader>
          <CardTitle>Autopay</CardTitle>
          <CardDescription>
            How payment plans and memberships charge the card on file: when, how often a declined charge is tried again, and what happens when the last try
            fails.
          </CardDescription>
        </CardHeader>
        <CardContent className="grid gap-6">
          {!canEdit && (
            <Alert data-testid="autopay-settings-read-only">
              <AlertDescription>Only admins can change these settings.</AlertDescription>
            </Alert>
          )}
          {formError && (
            <Alert variant="destructive">
              <AlertDescription>{formError}</AlertDescription>
            </Alert>
          )}
          <fieldset disabled={!canEdit || pending} className="grid gap-6">
            <legend className="sr-only">Autopay rules</legend>
            <div className="grid gap-4 sm:grid-cols-2">
              <FormField
                label="Retry days after a soft decline"
                htmlFor="retryDays"
                error={error("retryDays")}
                hint={hints.retryDays}
                required
                className="content-start"
              >
                <Input
                  {...fieldControlProps("retryDays", { error: error("retryDays"), hint: hints.retryDays, required: true })}
                  name="retryDays"
                  inputMode="numeric"
                  autoComplete="off"
                  placeholder="1, 3, 7"
                  defaultValue={values.retryDays}
                />
              </FormField>
              <FormField label="Charge hour" htmlFor="chargeHour" error={error("chargeHour")} hint={hints.chargeHour} required className="content-start">
                <Select
                  {...fieldControlProps("chargeHour", { error: error("chargeHour"), hint: hints.chargeHour, required: true })}
                  name="chargeHour"
                  defaultValue={String(values.chargeHour)}
                >
                  {Array.from({ length: 24 }, (_, hour) => (
                    <option key={hour} value={hour}>
                      {hourLabel(hour)} ({zone})
                    </option>
                  ))}
                </Select>
              </FormField>
              <FormField
                label="Reminder days before a charge"
                htmlFor="reminderDaysBefore"
                error={error("reminderDaysBefore")}
                hint={hints.reminderDaysBefore}
                required
                className="content-start"
              >
                <Input
                  {...fieldControlProps("reminderDaysBefore", { error: error("reminderDaysBefore"), hint: hints.reminderDaysBefore, required: true })}
                  name="reminderDaysBefore"
                  type="number"
                  inputMode="numeric"
                  min={0}
                  max={14}
                  step={1}
                  defaultValue={values.reminderDaysBefore}
                />
              </FormField>
              <FormField
                label={`Largest plan amount (${currency})`}
                htmlFor="maxPlanAmount"
                error={error("maxPlanAmount")}
                hint={hints.maxPlanAmount}
                className="content-start"
              >
                <Input
                  {...fieldControlProps("maxPlanAmount", { error: error("maxPlanAmount"), hint: hints.maxPlanAmount })}
                  name="maxPlanAmount"
                  inputMode="decimal"
                  autoComplete="off"
                  placeholder="No limit"
                  defaultValue={values.maxPlanAmount}
                />
              </FormField>
            </div>
            <fieldset
              className="grid gap-3"
              aria-describedby={error("afterLastFailure") ? "afterLastFailure-error" : undefined}
              aria-invalid={error("afterLastFailure") ? true : undefined}
            >
              <legend className="mb-3 text-sm font-medium">After the last failed attempt, the plan or membership…</legend>
              {AFTER_LAST_FAILURE.map((option) => (
                <label
                  key={option.value}
                  className="flex cursor-pointer items-start gap-3 rounded-md border p-3 has-[:checked]:border-primary has-[:checked]:bg-accent/40"
                >
                  <input
                    type="radio"
                    name="afterLastFailure"
                    value={option.value}
                    defaultChecked={values.afterLastFailure === option.value}
                    aria-describedby={`afterLastFailure-${option.value}-description`}
                    className="mt-0.5 size-4 shrink-0 accent-primary"
                  />
                  <span className="grid gap-1">
                    <span className="text-sm font-semibold leading-5">{option.label}</span>
                    <span id={`afterLastFailure-${option.value}-description`} className="text-sm text-muted-foreground">
                      {option.description}
                    </span>
                  </span>
                </label>
              ))}
              {error("afterLastFailure") && (
                <p id="afterLastFailure-error" role="alert" className="text-sm font-medium text-destructive">
                  {error("afterLastFailure")}
                </p>
              )}
            </fieldset>
          </fieldset>
        </CardContent>
        {canEdit && (
          <CardFooter className="justify-end">
            <Button type="submit" loading={pending}>
              Save autopay settings
            </Button>
          </CardFooter>
        )}
      </form>
    </Card>
  );
}
