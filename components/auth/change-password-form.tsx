"use client";

import { toast } from "sonner";
import { useState, useTransition, type FormEvent } from "react";
import type { FieldErrors } from "@/lib/errors";
import type { ActionResult } from "@/lib/http/action";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { FormField, fieldControlProps } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";

type ChangePassword = (input: { currentPassword: string; newPassword: string }) => Promise<ActionResult<{ revokedSessions: number }>>;

const NEW_PASSWORD_HINT = "At least 12 characters.";

export function ChangePasswordForm({ changePassword }: { changePassword: ChangePassword }) {
  const [fields, setFields] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    setFields({});
    setFormError(null);
    startTransition(async () => {
      const result = await changePassword({ currentPassword: String(form.get("currentPassword") ?? ""), newPassword: String(form.get("newPassword") ?? "") });
      if (result.ok) {
        formElement.reset();
        const others = result.data.revokedSessions;
        toast.success(`Password changed.${others > 0 ? ` Signed out on ${others} other session${others === 1 ? "" : "s"}.` : ""}`);
      } else {
        setFields(result.error.fields ?? {});
        setFormError(result.error.fields ? null : result.error.message);
      }
    });
  }

  const error = (name: string) => fields[name]?.[0];
  return (
    <form onSubmit={onSubmit} noValidate className="grid gap-4">
      {formError && (
        <Alert variant="destructive">
          <AlertDescription>{formError}</AlertDescription>
        </Alert>
      )}
      <FormField label="Current password" htmlFor="current-password" error={error("currentPassword")} required>
        <Input
          {...fieldControlProps("current-password", { error: error("currentPassword"), required: true })}
          name="currentPassword"
          type="password"
          autoComplete="current-password"
        />
      </FormField>
      <FormField label="New password" htmlFor="new-password" error={error("newPassword")} hint={NEW_PASSWORD_HINT} required>
        <Input
          {...fieldControlProps("new-password", { error: error("newPassword"), hint: NEW_PASSWORD_HINT, required: true })}
          name="newPassword"
          type="password"
          autoComplete="new-password"
        />
      </FormField>
      <div className="flex items-center gap-3">
        <Button type="submit" loading={pending}>
          Change password
        </Button>
      </div>
    </form>
  );
}
