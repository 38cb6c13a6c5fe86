"use client";

import { useState, type ComponentProps, type ReactNode } from "react";
import type { FieldErrors } from "@/lib/errors";
import type { ActionResult } from "@/lib/http/action";
import { FormField, fieldControlProps } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";

/**
 * Small pieces the insurance forms share: a labelled text input and select wired to the server's
 * field messages (dot-joined paths such as "address.postalCode" or "subscriber.birthDate").
 */

type ControlOptions = {
  id: string;
  label: ReactNode;
  error?: string;
  hint?: string;
  required?: boolean;
  className?: string;
};

export function TextField({
  id,
  label,
  error,
  hint,
  required,
  className,
  value,
  onChange,
  ...input
}: ControlOptions & { value: string; onChange: (value: string) => void } & Omit<ComponentProps<"input">, "id" | "value" | "onChange">) {
  return (
    <FormField label={label} htmlFor={id} error={error} hint={hint} required={required} className={className}>
      <Input
        {...fieldControlProps(id, { error, hint, required })}
        autoComplete="off"
        {...input}
        value={value}
        onChange={(event) => onChange(event.target.value)}
      />
    </FormField>
  );
}

export function SelectField({
  id,
  label,
  error,
  hint,
  required,
  className,
  value,
  onChange,
  children,
  disabled,
}: ControlOptions & { value: string; onChange: (value: string) => void; children: ReactNode; disabled?: boolean }) {
  return (
    <FormField label={label} htmlFor={id} error={error} hint={hint} required={required} className={className}>
      <Select {...fieldControlProps(id, { error, hint, required })} value={value} disabled={disabled} onChange={(event) => onChange(event.target.value)}>
        {children}
      </Select>
    </FormField>
  );
}

/**
 * The field messages of a failed action, and a form-level message when none of them belongs to a
 * field the form shows (so an error is never lost).
 */
export function useFieldErrors(shown: (field: string) => boolean) {
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  return {
    errors,
    formError,
    error: (field: string) => errors[field]?.[0],
    clear: () => {
      setErrors({});
      setFormError(null);
    },
    /** Shows the client's own checks before anything is sent. */
    setLocal: (fields: FieldErrors) => {
      setErrors(fields);
      setFormError(Object.keys(fields).length > 0 ? "Check the highlighted fields." : null);
    },
    show: (result: Extract<ActionResult<unknown>, { ok: false }>) => {
      const fields = result.error.fields ?? {};
      setErrors(fields);
      const unshown = Object.entries(fields).filter(([field]) => !shown(field));
      if (unshown.length > 0) setFormError(unshown.map(([, messages]) => messages[0]).join(" "));
      else setFormError(Object.keys(fields).length > 0 ? "Check the highlighted fields." : result.error.message);
    },
  };
}

/** A blank text field is left out of what is sent ("" → undefined), so optional fields stay optional. */
export function optional(value: string): string | undefined {
  const trimmed = value.trim();
  return trimmed === "" ? undefined : trimmed;
}

/** US states, DC and territories, for address selects. */
export const US_STATE_CODES =
  "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY PR GU VI AS MP".split(
    " ",
  );

export type AddressValues = { line1: string; line2: string; city: string; state: string; postalCode: string };
export const EMPTY_ADDRESS: AddressValues = { line1: "", line2: "", city: "", state: "", postalCode: "" };

/** Address fields as text for a form, from a view's address (or blank). */
export function addressValues(address: { line1: string; line2: string | null; city: string; state: string; postalCode: string } | null): AddressValues {
  if (!address) return EMPTY_ADDRESS;
  const zip = address.postalCode.length === 9 ? `${address.postalCode.slice(0, 5)}-${address.postalCode.slice(5)}` : address.postalCode;
  return { ...address, line2: address.line2 ?? "", postalCode: zip };
}

/** Street, city, state and ZIP; errors are read at `${prefix}.line1` and so on. */
export function AddressFields({
  idPrefix,
  errorPrefix,
  value,
  onChange,
  error,
  required,
  zipHint = "5 digits, or ZIP+4 (97201-1234).",
}: {
  idPrefix: string;
  errorPrefix: string;
  value: AddressValues;
  onChange: (value: AddressValues) => void;
  error: (field: string) => string | undefined;
  required?: boolean;
  zipHint?: string;
}) {
  const set = (key: keyof AddressValues) => (next: string) => onChange({ ...value, [key]: next });
  return (
    <div className="grid gap-4">
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField
          id={`${idPrefix}-line1`}
          label="Street address"
          required={required}
          autoComplete="address-line1"
          error={error(`${errorPrefix}.line1`)}
          value={value.line1}
          onChange={set("line1")}
        />
        <TextField
          id={`${idPrefix}-line2`}
          label="Suite, floor, etc."
          autoComplete="address-line2"
          error={error(`${errorPrefix}.line2`)}
          value={value.line2}
          onChange={set("line2")}
        />
      </div>
      <div className="grid gap-4 sm:grid-cols-6">
        <TextField
          id={`${idPrefix}-city`}
          className="sm:col-span-3"
          label="City"
          required={required}
          autoComplete="address-level2"
          error={error(`${errorPrefix}.city`)}
          value={value.city}
          onChange={set("city")}
        />
        <SelectField
          id={`${idPrefix}-state`}
          className="sm:col-span-1"
          label="State"
          required={required}
          error={error(`${errorPrefix}.state`)}
          value={value.state}
          onChange={set("state")}
        >
          <option value="">—</option>
          {US_STATE_CODES.map((code) => (
            <option key={code} value={code}>
              {code}
            </option>
          ))}
        </SelectField>
        <TextField
          id={`${idPrefix}-zip`}
          className="sm:col-span-2"
          label="ZIP code"
          required={required}
          inputMode="numeric"
          autoComplete="postal-code"
          hint={zipHint}
          error={error(`${errorPrefix}.postalCode`)}
          value={value.postalCode}
          onChange={set("postalCode")}
        />
      </div>
    </div>
  );
}

/** The address to send: left out when every field is blank (an optional address). */
export function optionalAddress(value: AddressValues) {
  const filled = Object.values(value).some((part) => part.trim() !== "");
  return filled ? addressInput(value) : undefined;
}

export function addressInput(value: AddressValues) {
  return {
    line1: value.line1.trim(),
    line2: optional(value.line2),
    city: value.city.trim(),
    state: value.state,
    postalCode: value.postalCode.trim(),
  };
}
