"use client";

import { useState, useTransition, type FormEvent } from "react";
import { updateOrganizationAction } from "@/lib/actions/organizations/update-organization";
import type { PostalAddressFields } from "@/lib/addresses/postal-address";
import type { FieldErrors } from "@/lib/errors";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from "@/components/ui/card";
import { FormField, fieldControlProps } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";

type OrganizationValues = PostalAddressFields & {
  name: string;
  currency: string;
  timezone: string;
  phone: string;
  email: string;
  website: string;
  cardCaptureMethod: "automatic" | "manual";
  autoApplyCredit: boolean;
};

export function OrganizationForm(props: { organization: OrganizationValues; currencies: string[]; timeZones: string[] }) {
  const [fields, setFields] = useState<FieldErrors>({});
  const [status, setStatus] = useState<{ kind: "success" | "error"; message: string } | null>(null);
  const [pending, startTransition] = useTransition();

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const value = (name: Exclude<keyof OrganizationValues, "autoApplyCredit">) => String(form.get(name) ?? "");
    const changed = <K extends "cardCaptureMethod" | "autoApplyCredit">(name: K, next: OrganizationValues[K]) =>
      next === props.organization[name] ? {} : { [name]: next };
    startTransition(async () => {
      const result = await updateOrganizationAction({
        name: value("name"),
        addressLine1: value("addressLine1"),
        addressLine2: value("addressLine2"),
        city: value("city"),
        region: value("region"),
        postalCode: value("postalCode"),
        country: value("country"),
        currency: value("currency"),
        timezone: value("timezone"),
        phone: value("phone"),
        email: value("email"),
        website: value("website"),
        // Only what this admin changed, so saving the address never undoes another admin's payment settings.
        ...changed("cardCaptureMethod", value("cardCaptureMethod") === "manual" ? "manual" : "automatic"),
        ...changed("autoApplyCredit", form.get("autoApplyCredit") === "on"),
      });
      if (result.ok) {
        setFields({});
        setStatus({ kind: "success", message: "Clinic details saved." });
      } else {
        setFields(result.error.fields ?? {});
        setStatus({ kind: "error", message: result.error.message });
      }
    });
  }

  const text = (
    name: Exclude<keyof OrganizationValues, "cardCaptureMethod" | "autoApplyCredit">,
    label: string,
    options: { required?: boolean; autoComplete?: string; hint?: string; type?: string; inputMode?: "tel" | "email" | "url" } = {},
  ) => {
    const error = fields[name]?.[0];
    return (
      <FormField label={label} htmlFor={name} error={error} hint={options.hint} required={options.required}>
        <Input
          {...fieldControlProps(name, { error, hint: options.hint, required: options.required })}
          name={name}
          type={options.type ?? "text"}
          inputMode={options.inputMode}
          defaultValue={props.organization[name]}
          autoComplete={options.autoComplete}
        />
      </FormField>
    );
  };

  return (
    <Card>
      <form onSubmit={onSubmit} noValidate>
        <CardHeader>
          <CardTitle>Clinic details</CardTitle>
          <CardDescription>Shown on invoices, receipts and the patient pay page.</CardDescription>
        </CardHeader>
        <CardContent className="grid gap-4">
          {status && (
            <Alert variant={status.kind === "success" ? "success" : "destructive"}>
              <AlertDescription>{status.message}</AlertDescription>
            </Alert>
          )}
          {text("name", "Clinic name", { required: true, autoComplete: "organization" })}
          <div className="grid gap-4 sm:grid-cols-2">
            {text("addressLine1", "Address line 1", { autoComplete: "address-line1" })}
            {text("addressLine2", "Address line 2", { autoComplete: "address-line2" })}
          </div>
          <div className="grid gap-4 sm:grid-cols-4">
            <div className="sm:col-span-2">{text("city", "City", { autoComplete: "address-level2" })}</div>
            {text("region", "State / region", { autoComplete: "address-level1" })}
            {text("postalCode", "Postal code", { autoComplete: "postal-code" })}
          </div>
          <div className="grid gap-4 sm:grid-cols-3">
            {text("country", "Country", { required: true, autoComplete: "country", hint: "Two letters, e.g. US" })}
            <FormField label="Currency" htmlFor="currency" error={fields.currency?.[0]} required>
              <Select
                {...fieldControlProps("currency", { error: fields.currency?.[0], required: true })}
                name="currency"
                defaultValue={props.organization.currency}
              >
                {props.currencies.map((code) => (
                  <option key={code} value={code}>
                    {code}
                  </option>
                ))}
              </Select>
            </FormField>
            <FormField label="Time zone" htmlFor="timezone" error={fields.timezone?.[0]} required>
              <Select
                {...fieldControlProps("timezone", { error: fields.timezone?.[0], required: true })}
                name="timezone"
                defaultValue={props.organization.timezone}
              >
                {props.timeZones.map((zone) => (
                  <option key={zone} value={zone}>
                    {zone.replaceAll("_", " ")}
                  </option>
                ))}
              </Select>
            </FormField>
          </div>
          <fieldset className="grid gap-4">
            <legend className="mb-4 w-full border-t pt-4 text-base font-semibold">How patients reach you</legend>
            <p className="-mt-2 text-sm text-muted-foreground">Shown on the pay page and its error pages, in invoice and receipt emails, and on PDFs.</p>
            <div className="grid gap-4 sm:grid-cols-3">
              {text("phone", "Phone", { type: "tel", inputMode: "tel", autoComplete: "tel", hint: "With the area code, e.g. (503) 555-0142." })}
              {text("email", "Email", { type: "email", inputMode: "email", autoComplete: "email", hint: "e.g. billing@yourclinic.com" })}
              {text("website", "Website", { type: "url", inputMode: "url", autoComplete: "url", hint: "An https:// address." })}
            </div>
          </fieldset>
          <fieldset className="grid gap-4">
            <legend className="mb-4 w-full border-t pt-4 text-base font-semibold">Payments</legend>
            <FormField
              label="Card payments"
              htmlFor="cardCaptureMethod"
              error={fields.cardCaptureMethod?.[0]}
              hint="With “authorize only”, the pay page places a hold on the patient's card; staff capture all or part of it from the payment page within 7 days, or release it."
            >
              <Select
                {...fieldControlProps("cardCaptureMethod", {
                  error: fields.cardCaptureMethod?.[0],
                  hint: "With “authorize only”, the pay page places a hold on the patient's card; staff capture all or part of it from the payment page within 7 days, or release it.",
                })}
                name="cardCaptureMethod"
                defaultValue={props.organization.cardCaptureMethod}
              >
                <option value="automatic">Charge immediately</option>
                <option value="manual">Authorize only, capture later</option>
              </Select>
            </FormField>
            <div className="grid gap-1">
              <div className="flex items-start gap-3">
                <input
                  id="autoApplyCredit"
                  name="autoApplyCredit"
                  type="checkbox"
                  defaultChecked={props.organization.autoApplyCredit}
                  aria-describedby="autoApplyCredit-hint"
                  className="mt-0.5 size-4 shrink-0 accent-primary"
                />
                <label htmlFor="autoApplyCredit" className="text-sm font-medium leading-5">
                  Apply patient credit automatically when an invoice is finalized
                </label>
              </div>
              <p id="autoApplyCredit-hint" className="pl-7 text-sm text-muted-foreground">
                A patient&apos;s credit balance (overpayments, credit notes) pays their next invoice without staff applying it.
              </p>
              {fields.autoApplyCredit?.[0] && (
                <p role="alert" className="pl-7 text-sm font-medium text-destructive">
                  {fields.autoApplyCredit[0]}
                </p>
              )}
            </div>
          </fieldset>
        </CardContent>
        <CardFooter className="justify-end">
          <Button type="submit" loading={pending}>
            Save changes
          </Button>
        </CardFooter>
      </form>
    </Card>
  );
}
