"use client";

import { useState, useTransition, type FormEvent } from "react";
import { UserPlus } from "lucide-react";
import { addMemberAction } from "@/app/(staff)/app/settings/actions";
import { ROLE_LABELS, ROLES, type Role } from "@/lib/auth/roles";
import type { FieldErrors } from "@/lib/errors";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { FormField, fieldControlProps } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";

const PASSWORD_HINT = "At least 12 characters. Share it with them privately.";

export function AddMemberDialog() {
  const [open, setOpen] = useState(false);
  const [fields, setFields] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  function reset() {
    setFields({});
    setFormError(null);
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    reset();
    startTransition(async () => {
      const result = await addMemberAction({
        name: String(form.get("name") ?? ""),
        email: String(form.get("email") ?? ""),
        role: String(form.get("role") ?? "") as Role,
        password: String(form.get("password") ?? ""),
      });
      if (result.ok) {
        setOpen(false);
        setNotice(
          result.data.createdUser
            ? "User added. They can sign in with the password you set."
            : "This person already had a Carebill account: they were added and sign in with their existing password.",
        );
      } else {
        setFields(result.error.fields ?? {});
        setFormError(result.error.fields ? null : result.error.message);
      }
    });
  }

  const error = (name: string) => fields[name]?.[0];

  return (
    <div className="grid justify-items-start gap-2 sm:justify-items-end">
      <Dialog
        open={open}
        onOpenChange={(next) => {
          setOpen(next);
          if (next) {
            reset();
            setNotice(null);
          }
        }}
      >
        <DialogTrigger asChild>
          <Button>
            <UserPlus aria-hidden="true" /> Add user
          </Button>
        </DialogTrigger>
        <DialogContent>
          <form onSubmit={onSubmit} noValidate className="grid gap-4">
            <DialogHeader>
              <DialogTitle>Add a user</DialogTitle>
              <DialogDescription>They get access to this clinic with the role you choose.</DialogDescription>
            </DialogHeader>
            {formError && (
              <Alert variant="destructive">
                <AlertDescription>{formError}</AlertDescription>
              </Alert>
            )}
            <FormField label="Full name" htmlFor="member-name" error={error("name")} required>
              <Input {...fieldControlProps("member-name", { error: error("name"), required: true })} name="name" autoComplete="off" />
            </FormField>
            <FormField label="Email" htmlFor="member-email" error={error("email")} required>
              <Input {...fieldControlProps("member-email", { error: error("email"), required: true })} name="email" type="email" autoComplete="off" />
            </FormField>
            <FormField label="Role" htmlFor="member-role" error={error("role")} required>
              <Select {...fieldControlProps("member-role", { error: error("role"), required: true })} name="role" defaultValue="billing">
                {ROLES.map((role) => (
                  <option key={role} value={role}>
                    {ROLE_LABELS[role]}
                  </option>
                ))}
              </Select>
            </FormField>
            <FormField label="Temporary password" htmlFor="member-password" error={error("password")} hint={PASSWORD_HINT} required>
              <Input
                {...fieldControlProps("member-password", { error: error("password"), hint: PASSWORD_HINT, required: true })}
                name="password"
                type="password"
                autoComplete="new-password"
              />
            </FormField>
            <DialogFooter>
              <Button type="submit" loading={pending}>
                Add user
              </Button>
            </DialogFooter>
          </form>
        </DialogContent>
      </Dialog>
      {notice && (
        <p role="status" className="text-sm text-muted-foreground">
          {notice}
        </p>
      )}
    </div>
  );
}
