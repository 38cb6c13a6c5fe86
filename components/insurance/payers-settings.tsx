"use client";

import { useState, useTransition, type FormEvent } from "react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { Archive, Landmark, ListChecks, Pencil, Plus } from "lucide-react";
import type { ActionResult } from "@/lib/http/action";
import type { PayerView } from "@/lib/insurance/insurance.types";
import type { TPayerInput } from "@/lib/insurance/payers";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button, buttonVariants } from "@/components/ui/button";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { Dialog, DialogClose, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { EmptyState } from "@/components/ui/empty-state";
import { AddressFields, addressValues, optionalAddress, SelectField, TextField, useFieldErrors, type AddressValues } from "./form-bits";
import { CLAIM_FILING_INDICATOR_OPTIONS } from "./insurance-options";

type Result = ActionResult<unknown>;

export type PayerActions = {
  create: (input: TPayerInput) => Promise<Result>;
  update: (input: TPayerInput & { id: string }) => Promise<Result>;
  archive: (input: { id: string }) => Promise<Result>;
};

const plural = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;

/**
 * The insurers the clinic bills, each with the payer id its clearinghouse knows it by and the kind
 * of plan (SBR09). Admins add, edit and archive them; everyone else reads the list. Each payer's
 * fee schedule (what it allows per code) has a page of its own.
 */
export function PayersSettings({ payers, actions }: { payers: PayerView[]; actions?: PayerActions }) {
  const router = useRouter();
  const [editing, setEditing] = useState<PayerView | "new" | null>(null);
  const live = payers.filter((payer) => payer.archivedAt === null);
  const archived = payers.filter((payer) => payer.archivedAt !== null);
  const addButton = actions && (
    <Button type="button" onClick={() => setEditing("new")}>
      <Plus aria-hidden="true" /> Add payer
    </Button>
  );

  return (
    <div className="grid gap-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <p className="text-sm text-muted-foreground">
          Insurers you send claims to. The payer id is the one your clearinghouse lists for them; archived payers stay on existing coverages.
        </p>
        {payers.length > 0 && addButton}
      </div>
      {!actions && (
        <Alert data-testid="payers-read-only">
          <AlertDescription>Only admins can add or change payers.</AlertDescription>
        </Alert>
      )}
      {payers.length === 0 ? (
        <EmptyState
          icon={Landmark}
          title="No payers yet"
          description={actions ? "Add the insurers your patients have, with the payer id from your clearinghouse's list." : "An admin can add them."}
          action={addButton}
        />
      ) : (
        <ul className="grid gap-3" data-testid="payers">
          {[...live, ...archived].map((payer) => (
            <li key={payer.id} data-testid="payer" className="grid gap-3 rounded-lg border bg-card p-4 sm:flex sm:items-start sm:justify-between">
              <div className="grid min-w-0 gap-1">
                <p className="flex flex-wrap items-center gap-2 font-medium">
                  <span className="break-words">{payer.name}</span>
                  {payer.archivedAt && <Badge variant="secondary">Archived</Badge>}
                </p>
                <p className="text-sm">
                  Payer id <span className="font-mono">{payer.payerId}</span>
                  <span className="text-muted-foreground"> · {payer.claimFilingIndicatorLabel}</span>
                </p>
                <p className="text-sm text-muted-foreground">
                  {plural(payer.coverageCount, "coverage", "coverages")}
                  {payer.address && ` · ${payer.address.city}, ${payer.address.state}`}
                </p>
              </div>
              <div className="flex flex-wrap gap-2 sm:shrink-0 sm:justify-end">
                <Link
                  href={`/app/settings/payers/${payer.id}/fee-schedule`}
                  className={buttonVariants({ variant: "outline", size: "sm" })}
                  aria-label={`Fee schedule of ${payer.name}`}
                >
                  <ListChecks aria-hidden="true" /> Fee schedule
                </Link>
                {actions && payer.archivedAt === null && (
                  <>
                    <Button type="button" variant="outline" size="sm" onClick={() => setEditing(payer)} aria-label={`Edit ${payer.name}`}>
                      <Pencil aria-hidden="true" /> Edit
                    </Button>
                    <ConfirmButton
                      title={`Archive ${payer.name}?`}
                      description={
                        payer.coverageCount > 0
                          ? `New coverages cannot name it. Its ${plural(payer.coverageCount, "coverage stays", "coverages stay")} as they are, and their claims can still be sent.`
                          : "New coverages cannot name it."
                      }
                      confirmLabel="Archive payer"
                      pendingLabel="Archiving…"
                      destructive
                      onConfirm={async () => {
                        const result = await actions.archive({ id: payer.id });
                        if (result.ok) {
                          toast.success(`${payer.name} archived.`);
                          router.refresh();
                        }
                        return result;
                      }}
                    >
                      <Archive aria-hidden="true" /> Archive
                    </ConfirmButton>
                  </>
                )}
              </div>
            </li>
          ))}
        </ul>
      )}
      {actions && editing !== null && (
        <PayerDialog
          key={editing === "new" ? "new" : editing.id}
          payer={editing === "new" ? null : editing}
          onClose={() => setEditing(null)}
          onSave={(values) => (editing === "new" ? actions.create(values) : actions.update({ ...values, id: editing.id }))}
          onSaved={() => {
            toast.success(editing === "new" ? "Payer added." : "Payer saved.");
            setEditing(null);
            router.refresh();
          }}
        />
      )}
    </div>
  );
}

function PayerDialog(props: { payer: PayerView | null; onClose: () => void; onSave: (values: TPayerInput) => Promise<Result>; onSaved: () => void }) {
  const { payer } = props;
  const [name, setName] = useState(payer?.name ?? "");
  const [payerId, setPayerId] = useState(payer?.payerId ?? "");
  const [claimFilingIndicator, setClaimFilingIndicator] = useState(payer?.claimFilingIndicator ?? "CI");
  const [address, setAddress] = useState<AddressValues>(() => addressValues(payer?.address ?? null));
  const [pending, startTransition] = useTransition();
  const fieldErrors = useFieldErrors((field) => ["name", "payerId", "claimFilingIndicator"].includes(field) || field.startsWith("address."));
  const { error } = fieldErrors;

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    fieldErrors.clear();
    startTransition(async () => {
      const result = await props.onSave({
        name: name.trim(),
        payerId: payerId.trim(),
        claimFilingIndicator: claimFilingIndicator as TPayerInput["claimFilingIndicator"],
        address: optionalAddress(address) ?? null,
      });
      if (result.ok) return props.onSaved();
      fieldErrors.show(result);
    });
  }

  return (
    <Dialog open onOpenChange={(open) => !open && !pending && props.onClose()}>
      <DialogContent className="sm:max-w-2xl">
        <form onSubmit={submit} noValidate className="grid gap-4">
          <DialogHeader>
            <DialogTitle>{payer ? `Edit ${payer.name}` : "Add a payer"}</DialogTitle>
            <DialogDescription>Claims to this payer carry its payer id and plan type.</DialogDescription>
          </DialogHeader>
          {fieldErrors.formError && (
            <Alert variant="destructive">
              <AlertDescription>{fieldErrors.formError}</AlertDescription>
            </Alert>
          )}
          <TextField id="payer-name" label="Name" required maxLength={60} error={error("name")} value={name} onChange={setName} />
          <div className="grid gap-4 sm:grid-cols-2">
            <TextField
              id="payer-id"
              label="Payer id"
              required
              maxLength={80}
              hint="From your clearinghouse's payer list, such as 60054."
              error={error("payerId")}
              value={payerId}
              onChange={setPayerId}
            />
            <SelectField
              id="payer-claim-filing"
              label="Plan type"
              required
              hint="Claim filing indicator (SBR09)."
              error={error("claimFilingIndicator")}
              value={claimFilingIndicator}
              onChange={setClaimFilingIndicator}
            >
              {CLAIM_FILING_INDICATOR_OPTIONS.map((option) => (
                <option key={option.code} value={option.code}>
                  {option.label} ({option.code})
                </option>
              ))}
            </SelectField>
          </div>
          <fieldset className="grid gap-4">
            <legend className="mb-2 text-sm font-semibold">Claims address (optional)</legend>
            <AddressFields idPrefix="payer-address" errorPrefix="address" value={address} onChange={setAddress} error={error} />
          </fieldset>
          <DialogFooter>
            <DialogClose asChild>
              <Button type="button" variant="outline" disabled={pending}>
                Cancel
              </Button>
            </DialogClose>
            <Button type="submit" loading={pending}>
              {payer ? "Save payer" : "Add payer"}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
