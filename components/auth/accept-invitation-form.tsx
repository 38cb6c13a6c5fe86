"use client";

import { useState, type FormEvent } from "react";
import { useRouter } from "next/navigation";
import { signIn } from "next-auth/react";
import type { FieldErrors } from "@/lib/errors";
import type { ActionResult } from "@/lib/http/action";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { FormField, fieldControlProps } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";

type AcceptInvitation = (input: { token: string; name?: string; password: string }) => Promise<ActionResult<{ organizationId: string; email: string }>>;

const NEW_PASSWORD_HINT = "At least 12 characters.";

/** Accepts the invitation, then signs in straight into the clinic that invited them. */
export function AcceptInvitationForm(props: { token: string; email: string; defaultName: string; accountExists: boolean; acceptInvitation: AcceptInvitation }) {
  const router = useRouter();
  const [fields, setFields] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const password = String(form.get("password") ?? "");
    setPending(true);
    setFields({});
    setFormError(null);
    try {
      const result = await props.acceptInvitation({
        token: props.token,
        password,
        ...(props.accountExists ? {} : { name: String(form.get("name") ?? "") }),
      });
      if (!result.ok) {
        setFields(result.error.fields ?? {});
        setFormError(result.error.fields ? null : result.error.message);
        setPending(false);
        return;
      }
      const signedIn = await signIn("credentials", { email: result.data.email, password, organizationId: result.data.organizationId, redirect: false });
      router.replace(signedIn && !signedIn.error ? "/app" : "/login");
      router.refresh();
    } catch {
      setFormError("We couldn't reach Carebill. Check your connection and try again.");
      setPending(false);
    }
  }

  const error = (name: string) => fields[name]?.[0];
  return (
    <form onSubmit={onSubmit} noValidate className="grid gap-4">
      {formError && (
        <Alert variant="destructive">
          <AlertDescription>{formError}</AlertDescription>
        </Alert>
      )}
      <FormField label="Email" htmlFor="invite-email">
        <Input id="invite-email" name="email" type="email" autoComplete="username" value={props.email} readOnly />
      </FormField>
      {!props.accountExists && (
        <FormField label="Your name" htmlFor="invite-name" error={error("name")} required>
          <Input
            {...fieldControlProps("invite-name", { error: error("name"), required: true })}
            name="name"
            defaultValue={props.defaultName}
            autoComplete="name"
          />
        </FormField>
      )}
      {props.accountExists ? (
        <FormField label="Password" htmlFor="invite-password" error={error("password")} required>
          <Input
            {...fieldControlProps("invite-password", { error: error("password"), required: true })}
            name="password"
            type="password"
            autoComplete="current-password"
          />
        </FormField>
      ) : (
        <FormField label="Choose a password" htmlFor="invite-password" error={error("password")} hint={NEW_PASSWORD_HINT} required>
          <Input
            {...fieldControlProps("invite-password", { error: error("password"), hint: NEW_PASSWORD_HINT, required: true })}
            name="password"
            type="password"
            autoComplete="new-password"
          />
        </FormField>
      )}
      <Button type="submit" loading={pending} className="w-full">
        {pending ? "Joining…" : "Accept and sign in"}
      </Button>
    </form>
  );
}
