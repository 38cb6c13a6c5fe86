"use client";

import { toast } from "sonner";
import { useState, useTransition, type FormEvent } from "react";
import { ALERT_RULE_LABELS, ALERT_RULES, type AlertRuleKind } from "@/lib/alerts/alerts.types";
import type { TUpdateAlertRulesInput } from "@/lib/alerts/update-alert-rules";
import type { FieldErrors } from "@/lib/errors";
import type { ActionResult } from "@/lib/http/action";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from "@/components/ui/card";
import { FormField, fieldControlProps } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";

/** One rule as the form shows it: its switch and its thresholds (by field name). */
export type AlertRuleFormValues = { enabled: boolean; settings: Record<string, number> };
export type AlertRulesFormValues = Record<AlertRuleKind, AlertRuleFormValues>;
type SaveAlertRules = (input: TUpdateAlertRulesInput) => Promise<ActionResult<{ changed: AlertRuleKind[] }>>;

type FieldSpec = { name: string; label: string; hint?: string; step?: string; suffix?: string };

/** What each rule watches, and its thresholds' labels, in the order shown. */
const RULE_FORM: Record<AlertRuleKind, { description: string; fields: FieldSpec[] }> = {
  card_failure_rate: {
    description:
      "Card payments failing more than usual: declines that never went through, over the last attempts and over the last hours (both are checked; the alert says which fired).",
    fields: [
      { name: "thresholdPercent", label: "Failure rate above (%)", step: "0.1" },
      { name: "lastAttempts", label: "Over the last … attempts" },
      { name: "windowHours", label: "Or over the last … hours" },
      { name: "minAttempts", label: "Only with at least … attempts", hint: "So one decline in a quiet hour is not an alert." },
    ],
  },
  webhook_failures: {
    description: "Stripe's notifications that Carebill failed to apply (answered with an error, so Stripe sends them again).",
    fields: [
      { name: "maxFailures", label: "More than … failures" },
      { name: "windowHours", label: "In the last … hours" },
    ],
  },
  dispute_opened: { description: "A chargeback or inquiry was opened and waits for your response.", fields: [] },
  payment_stuck: {
    description: "A bank payment still processing, or a card payment waiting for the patient's 3-D Secure check, for too long.",
    fields: [{ name: "hours", label: "For more than … hours" }],
  },
  email_failed: {
    description: "An invoice, receipt or invitation email could not be delivered.",
    fields: [{ name: "windowHours", label: "In the last … hours" }],
  },
};

const EMAIL_FIELD: FieldSpec = {
  name: "emailIntervalHours",
  label: "Email admins at most every … hours",
  hint: "One email per rule per interval, however long the alert lasts.",
};

export function AlertRulesForm({ rules, save }: { rules: AlertRulesFormValues; save: SaveAlertRules }) {
  const [fields, setFields] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const input = Object.fromEntries(
      ALERT_RULES.map((rule) => [
        rule,
        {
          enabled: form.get(`${rule}.enabled`) === "on",
          ...Object.fromEntries([...RULE_FORM[rule].fields, EMAIL_FIELD].map((field) => [field.name, String(form.get(`${rule}.${field.name}`) ?? "")])),
        },
      ]),
    ) as unknown as TUpdateAlertRulesInput; // every rule's fields, as typed (the action parses and checks them)
    setFormError(null);
    startTransition(async () => {
      const result = await save(input);
      if (result.ok) {
        setFields({});
        toast.success(result.data.changed.length === 0 ? "Nothing changed." : "Alert rules saved. They apply from now on.");
      } else {
        setFields(result.error.fields ?? {});
        setFormError(result.error.fields ? "Some thresholds need fixing; see the messages below." : result.error.message);
      }
    });
  }

  return (
    <Card>
      <form onSubmit={onSubmit} noValidate aria-label="Alert rules">
        <CardHeader>
          <CardTitle>Alert rules</CardTitle>
          <CardDescription>
            When a rule&apos;s condition holds, admins see a banner on the dashboard and get one email; the alert clears by itself when the condition ends.
            Rules are checked every minute.
          </CardDescription>
        </CardHeader>
        <CardContent className="grid gap-6">
          {formError && (
            <Alert variant="destructive">
              <AlertDescription>{formError}</AlertDescription>
            </Alert>
          )}
          {ALERT_RULES.map((rule) => {
            const values = rules[rule];
            return (
              <fieldset key={rule} className="grid gap-4 border-t pt-4 first-of-type:border-t-0 first-of-type:pt-0" data-testid={`alert-rule-${rule}`}>
                <legend className="sr-only">{ALERT_RULE_LABELS[rule]}</legend>
                <div className="grid gap-1">
                  <div className="flex items-start gap-3">
                    <input
                      id={`${rule}-enabled`}
                      name={`${rule}.enabled`}
                      type="checkbox"
                      defaultChecked={values.enabled}
                      aria-describedby={`${rule}-description`}
                      className="mt-0.5 size-4 shrink-0 accent-primary"
                    />
                    <label htmlFor={`${rule}-enabled`} className="text-sm leading-5 font-semibold">
                      {ALERT_RULE_LABELS[rule]}
                    </label>
                  </div>
                  <p id={`${rule}-description`} className="pl-7 text-sm text-muted-foreground">
                    {RULE_FORM[rule].description}
                  </p>
                </div>
                <div className="grid gap-4 pl-7 sm:grid-cols-2 lg:grid-cols-3">
                  {[...RULE_FORM[rule].fields, EMAIL_FIELD].map((field) => {
                    const id = `${rule}-${field.name}`;
                    const error = fields[`${rule}.${field.name}`]?.[0];
                    return (
                      <FormField key={field.name} label={field.label} htmlFor={id} error={error} hint={field.hint} required className="content-start">
                        <Input
                          {...fieldControlProps(id, { error, hint: field.hint, required: true })}
                          name={`${rule}.${field.name}`}
                          type="number"
                          inputMode={field.step ? "decimal" : "numeric"}
                          step={field.step ?? "1"}
                          defaultValue={values.settings[field.name]}
                        />
                      </FormField>
                    );
                  })}
                </div>
              </fieldset>
            );
          })}
        </CardContent>
        <CardFooter className="justify-end">
          <Button type="submit" loading={pending}>
            Save alert rules
          </Button>
        </CardFooter>
      </form>
    </Card>
  );
}
