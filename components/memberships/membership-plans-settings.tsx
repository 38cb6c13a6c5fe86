"use client";

import { useState, useTransition, type FormEvent } from "react";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { Archive, ArchiveRestore, BadgeCheck, Pencil, Plus } from "lucide-react";
import type { FieldErrors } from "@/lib/errors";
import type { ActionResult } from "@/lib/http/action";
import type { MembershipPlanView } from "@/lib/memberships/memberships.types";
import { formatMoney, parseMoneyInput, toDecimalString } from "@/lib/money/currency";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { Dialog, DialogClose, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { EmptyState } from "@/components/ui/empty-state";
import { FormField, fieldControlProps } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { Textarea } from "@/components/ui/textarea";
import { perInterval } from "./membership-status-badge";

export type MembershipPlanInputValues = { name: string; description?: string; amount: number; interval: "monthly" | "yearly" };
type PlanIdResult = ActionResult<{ id: string }>;

export type MembershipPlanSettingsActions = {
  create: (input: MembershipPlanInputValues) => Promise<PlanIdResult>;
  update: (input: MembershipPlanInputValues & { membershipPlanId: string }) => Promise<PlanIdResult>;
  archive: (input: { membershipPlanId: string }) => Promise<PlanIdResult>;
  unarchive: (input: { membershipPlanId: string }) => Promise<PlanIdResult>;
};

/**
 * The clinic's membership plans: admins create, edit (a new price applies to periods invoiced
 * afterwards), archive and restore them; everyone else reads the list.
 */
export function MembershipPlansSettings({
  plans,
  currency,
  canEdit,
  actions,
}: {
  plans: MembershipPlanView[];
  /** The clinic's currency: new plans are priced in it. */
  currency: string;
  canEdit: boolean;
  actions?: MembershipPlanSettingsActions;
}) {
  const router = useRouter();
  const [editing, setEditing] = useState<MembershipPlanView | "new" | null>(null);
  const live = plans.filter((plan) => plan.archivedAt === null);
  const archived = plans.filter((plan) => plan.archivedAt !== null);
  const editable = canEdit && actions !== undefined;

  const newButton = editable && (
    <Button type="button" onClick={() => setEditing("new")}>
      <Plus aria-hidden="true" /> New plan
    </Button>
  );

  return (
    <div className="grid gap-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <p className="text-sm text-muted-foreground">
          Patients pay a fixed price every month or year, charged to their card on file. Archived plans take no new members; existing members carry on.
        </p>
        {plans.length > 0 && newButton}
      </div>
      {plans.length === 0 ? (
        <EmptyState
          icon={BadgeCheck}
          title="No membership plans yet — create one"
          description={editable ? "For example a $49 monthly wellness membership or a yearly check-up plan." : "An admin can create them in Settings."}
          action={newButton}
        />
      ) : (
        <ul className="grid gap-3" data-testid="membership-plans">
          {[...live, ...archived].map((plan) => (
            <li key={plan.id} data-testid="membership-plan" className="grid gap-3 rounded-lg border bg-card p-4 sm:flex sm:items-start sm:justify-between">
              <div className="grid min-w-0 gap-1">
                <p className="flex flex-wrap items-center gap-2 font-medium">
                  <span className="break-words">{plan.name}</span>
                  {plan.archivedAt && <Badge variant="secondary">Archived</Badge>}
                </p>
                <p className="text-sm tabular-nums">
                  {perInterval(formatMoney(plan.amount, plan.currency), plan.interval)}
                  <span className="text-muted-foreground">
                    {" "}
                    · {plan.activeMembers} {plan.activeMembers === 1 ? "member" : "members"}
                  </span>
                </p>
                {plan.description && <p className="text-sm break-words whitespace-pre-line text-muted-foreground">{plan.description}</p>}
              </div>
              {editable && (
                <div className="flex flex-wrap gap-2 sm:shrink-0 sm:justify-end">
                  <Button type="button" variant="outline" size="sm" onClick={() => setEditing(plan)} aria-label={`Edit ${plan.name}`}>
                    <Pencil aria-hidden="true" /> Edit
                  </Button>
                  {plan.archivedAt ? (
                    <ConfirmButton
                      title={`Restore ${plan.name}?`}
                      description="Staff can enroll patients in it again."
                      confirmLabel="Restore plan"
                      pendingLabel="Restoring…"
                      onConfirm={async () => {
                        const result = await actions.unarchive({ membershipPlanId: plan.id });
                        if (result.ok) {
                          toast.success(`${plan.name} restored.`);
                          router.refresh();
                        }
                        return result;
                      }}
                    >
                      <ArchiveRestore aria-hidden="true" /> Restore
                    </ConfirmButton>
                  ) : (
                    <ConfirmButton
                      title={`Archive ${plan.name}?`}
                      description={
                        plan.activeMembers > 0
                          ? `No one new can join. Its ${plan.activeMembers} current ${plan.activeMembers === 1 ? "member keeps" : "members keep"} their membership and are still charged until they cancel.`
                          : "No one new can join. You can restore it later."
                      }
                      confirmLabel="Archive plan"
                      pendingLabel="Archiving…"
                      destructive
                      onConfirm={async () => {
                        const result = await actions.archive({ membershipPlanId: plan.id });
                        if (result.ok) {
                          toast.success(`${plan.name} archived.`);
                          router.refresh();
                        }
                        return result;
                      }}
                    >
                      <Archive aria-hidden="true" /> Archive
                    </ConfirmButton>
                  )}
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
      {editable && editing !== null && (
        <MembershipPlanDialog
          key={editing === "new" ? "new" : editing.id}
          plan={editing === "new" ? null : editing}
          currency={editing === "new" ? currency : editing.currency}
          onClose={() => setEditing(null)}
          onSave={async (values) => (editing === "new" ? actions.create(values) : actions.update({ ...values, membershipPlanId: editing.id }))}
          onSaved={() => {
            toast.success(editing === "new" ? "Membership plan created." : "Membership plan saved.");
            setEditing(null);
            router.refresh();
          }}
        />
      )}
    </div>
  );
}

function MembershipPlanDialog(props: {
  plan: MembershipPlanView | null;
  currency: string;
  onClose: () => void;
  onSave: (values: MembershipPlanInputValues) => Promise<PlanIdResult>;
  onSaved: () => void;
}) {
  const { plan, currency } = props;
  const [name, setName] = useState(plan?.name ?? "");
  const [price, setPrice] = useState(plan ? toDecimalString(plan.amount, currency) : "");
  const [interval, setInterval] = useState<"monthly" | "yearly">(plan?.interval ?? "monthly");
  const [description, setDescription] = useState(plan?.description ?? "");
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const error = (field: string) => errors[field]?.[0];
  const priceHint = plan && plan.activeMembers > 0 ? "A new price applies from each member's next period; periods already invoiced keep theirs." : undefined;

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const amount = parseMoneyInput(price, currency);
    const found: FieldErrors = {};
    if (name.trim() === "") found.name = ["Give the plan a name."];
    if (price.trim() === "") found.amount = ["Enter the price per period."];
    else if (amount === null) found.amount = [`Enter an amount like ${toDecimalString(4900, currency)}.`];
    setErrors(found);
    setFormError(null);
    if (Object.keys(found).length > 0 || amount === null) return;
    startTransition(async () => {
      const result = await props.onSave({ name: name.trim(), amount, interval, ...(description.trim() ? { description: description.trim() } : {}) });
      if (result.ok) return props.onSaved();
      const fields = result.error.fields ?? {};
      setErrors(fields);
      if (!["name", "amount", "interval", "description"].some((field) => fields[field])) setFormError(result.error.message);
    });
  }

  return (
    <Dialog
      open
      onOpenChange={(open) => {
        if (!open && !pending) props.onClose();
      }}
    >
      <DialogContent>
        <form onSubmit={submit} noValidate className="grid gap-4">
          <DialogHeader>
            <DialogTitle>{plan ? `Edit ${plan.name}` : "New membership plan"}</DialogTitle>
            <DialogDescription>Members are charged this price at the start of every period, to their card on file.</DialogDescription>
          </DialogHeader>
          {formError && (
            <Alert variant="destructive">
              <AlertDescription>{formError}</AlertDescription>
            </Alert>
          )}
          <FormField label="Name" htmlFor="plan-name" error={error("name")} required>
            <Input
              {...fieldControlProps("plan-name", { error: error("name"), required: true })}
              maxLength={120}
              autoComplete="off"
              value={name}
              onChange={(event) => setName(event.target.value)}
            />
          </FormField>
          <div className="grid gap-4 sm:grid-cols-2">
            <FormField label={`Price (${currency})`} htmlFor="plan-price" error={error("amount")} hint={priceHint} required>
              <Input
                {...fieldControlProps("plan-price", { error: error("amount"), hint: priceHint, required: true })}
                inputMode="decimal"
                autoComplete="off"
                placeholder={toDecimalString(4900, currency)}
                value={price}
                onChange={(event) => setPrice(event.target.value)}
              />
            </FormField>
            <FormField label="Billed" htmlFor="plan-interval" error={error("interval")} required>
              <Select
                {...fieldControlProps("plan-interval", { error: error("interval"), required: true })}
                value={interval}
                onChange={(event) => setInterval(event.target.value as "monthly" | "yearly")}
              >
                <option value="monthly">Monthly</option>
                <option value="yearly">Yearly</option>
              </Select>
            </FormField>
          </div>
          <FormField label="Description" htmlFor="plan-description" error={error("description")} hint="Optional: what the membership includes.">
            <Textarea
              {...fieldControlProps("plan-description", { error: error("description"), hint: "Optional: what the membership includes." })}
              rows={3}
              maxLength={1000}
              value={description}
              onChange={(event) => setDescription(event.target.value)}
            />
          </FormField>
          <DialogFooter>
            <DialogClose asChild>
              <Button type="button" variant="outline" disabled={pending}>
                Cancel
              </Button>
            </DialogClose>
            <Button type="submit" loading={pending}>
              {plan ? "Save plan" : "Create plan"}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
