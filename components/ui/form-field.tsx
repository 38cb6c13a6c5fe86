import type { ReactNode } from "react";
import { CircleAlert } from "lucide-react";

import { cn } from "@/lib/utils/cn";
import { Label } from "@/components/ui/label";

type FormFieldProps = {
  label: ReactNode;
  /** The control's id; also the prefix for the hint and error ids. */
  htmlFor: string;
  error?: string;
  hint?: ReactNode;
  required?: boolean;
  className?: string;
  children: ReactNode;
};

type FieldState = Pick<FormFieldProps, "error" | "hint" | "required">;

function fieldIds(htmlFor: string) {
  return { hintId: `${htmlFor}-hint`, errorId: `${htmlFor}-error` };
}

/**
 * Props for the control inside a FormField, so pages wire accessibility without cloneElement:
 * `<Input {...fieldControlProps("email", { error, hint })} name="email" />`.
 * Pass the same error/hint/required as the FormField so aria-describedby only names ids that exist.
 */
function fieldControlProps(htmlFor: string, { error, hint, required }: FieldState) {
  const { hintId, errorId } = fieldIds(htmlFor);
  const describedBy = [hint ? hintId : null, error ? errorId : null].filter(Boolean).join(" ");
  return {
    id: htmlFor,
    "aria-describedby": describedBy || undefined,
    "aria-invalid": error ? true : undefined,
    // aria-required rather than `required` so pages keep control over native browser validation.
    "aria-required": required ? true : undefined,
  } as const;
}

function FormField({ label, htmlFor, error, hint, required = false, className, children }: FormFieldProps) {
  const { hintId, errorId } = fieldIds(htmlFor);

  return (
    <div data-slot="form-field" className={cn("grid gap-2", className)}>
      <Label htmlFor={htmlFor}>
        {label}
        {/* The control carries aria-required, so the asterisk is visual only. */}
        {required && (
          <span aria-hidden="true" className="text-destructive">
            *
          </span>
        )}
      </Label>
      {children}
      {hint && (
        <p id={hintId} className="text-sm text-muted-foreground">
          {hint}
        </p>
      )}
      {error && (
        <p id={errorId} role="alert" className="flex items-start gap-1.5 text-sm font-medium text-destructive">
          <CircleAlert aria-hidden="true" className="mt-0.5 size-4 shrink-0" />
          {error}
        </p>
      )}
    </div>
  );
}

export { FormField, fieldIds, fieldControlProps, type FormFieldProps };
