"use client";

import { toast } from "sonner";
import { useState, useTransition, type FormEvent } from "react";
import { UserPlus } from "lucide-react";
import { ROLE_LABELS, ROLES, type Role } from "@/lib/auth/roles";
import type { FieldErrors } from "@/lib/errors";
import type { ActionResult } from "@/lib/http/action";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { FormField, fieldControlProps } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";

type InviteMember = (input: { name: string; email: string; role: Role }) => Promise<ActionResult<void>>;

/** Invites by email: the person joins by accepting the link, with their own password. */
export function AddMemberDialog({ inviteMember }: { inviteMember: InviteMember }) {
  const [open, setOpen] = useState(false);
  const [fields, setFields] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
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
      const email = String(form.get("email") ?? "");
      const result = await inviteMember({ name: String(form.get("name") ?? ""), email, role: String(form.get("role") ?? "") as Role });
      if (result.ok) {
        setOpen(false);
        toast.success(`Invitation sent to ${email.trim().toLowerCase()}. They join when they accept it from their email.`);
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
          if (next) reset();
        }}
      >
        <DialogTrigger asChild>
          <Button>
            <UserPlus aria-hidden="true" /> Invite user
          </Button>
        </DialogTrigger>
        <DialogContent>
          <form onSubmit={onSubmit} noValidate className="grid gap-4">
            <DialogHeader>
              <DialogTitle>Invite a user</DialogTitle>
              <DialogDescription>We email them a link, valid for 7 days. They join this clinic with the role you choose once they accept it.</DialogDescription>
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
            <DialogFooter>
              <Button type="submit" loading={pending}>
                Send invitation
              </Button>
            </DialogFooter>
          </form>
        </DialogContent>
      </Dialog>
    </div>
  );
}
