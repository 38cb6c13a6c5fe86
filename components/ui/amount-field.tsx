"use client";

import type { ReactNode } from "react";
import { FormField, fieldControlProps } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";

/**
 * A money amount typed as a decimal ("25.00"), with its label, hint and inline error. The caller
 * parses it (`parseMoneyInput`) and clears its own error in `onChange`.
 */
export function AmountField(props: {
  id: string;
  label: ReactNode;
  value: string;
  onChange: (value: string) => void;
  error?: string;
  hint?: string;
  required?: boolean;
}) {
  const { id, error, hint, required } = props;
  return (
    <FormField label={props.label} htmlFor={id} error={error} hint={hint} required={required}>
      <Input
        {...fieldControlProps(id, { error, hint, required })}
        inputMode="decimal"
        autoComplete="off"
        value={props.value}
        onChange={(event) => props.onChange(event.target.value)}
      />
    </FormField>
  );
}
