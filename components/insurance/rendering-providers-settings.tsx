"use client";

import { useState, useTransition, type FormEvent } from "react";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { Archive, Pencil, Plus, Stethoscope } from "lucide-react";
import type { ActionResult } from "@/lib/http/action";
import type { RenderingProviderView } from "@/lib/insurance/insurance.types";
import type { TRenderingProviderInput } from "@/lib/insurance/rendering-providers";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { Dialog, DialogClose, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { EmptyState } from "@/components/ui/empty-state";
import { TextField, useFieldErrors } from "./form-bits";

type Result = ActionResult<unknown>;

export type RenderingProviderActions = {
  create: (input: TRenderingProviderInput) => Promise<Result>;
  update: (input: TRenderingProviderInput & { renderingProviderId: string }) => Promise<Result>;
  archive: (input: { renderingProviderId: string }) => Promise<Result>;
};

const providerName = (provider: Pick<RenderingProviderView, "firstName" | "lastName">) => `${provider.firstName} ${provider.lastName}`;

/**
 * The clinicians whose services the practice bills (each with their own type 1 NPI). Admins add,
 * edit and archive them; archived ones stay on past claims but are not offered for new visits.
 */
export function RenderingProvidersSettings({ providers, actions }: { providers: RenderingProviderView[]; actions?: RenderingProviderActions }) {
  const router = useRouter();
  const [editing, setEditing] = useState<RenderingProviderView | "new" | null>(null);
  const live = providers.filter((provider) => provider.archivedAt === null);
  const archived = providers.filter((provider) => provider.archivedAt !== null);
  const addButton = actions && (
    <Button type="button" variant="outline" onClick={() => setEditing("new")}>
      <Plus aria-hidden="true" /> Add provider
    </Button>
  );

  return (
    <Card data-testid="rendering-providers">
      <CardHeader className="flex flex-row flex-wrap items-start justify-between gap-3">
        <div className="grid gap-1.5">
          <CardTitle>Rendering providers</CardTitle>
          <CardDescription>The clinicians who see patients. A claim names one when their NPI differs from the practice&apos;s.</CardDescription>
        </div>
        {providers.length > 0 && addButton}
      </CardHeader>
      <CardContent>
        {providers.length === 0 ? (
          <EmptyState
            icon={Stethoscope}
            title="No rendering providers yet"
            description={actions ? "Add each clinician with their own NPI." : "An admin can add them."}
            action={addButton}
          />
        ) : (
          <ul className="grid gap-3">
            {[...live, ...archived].map((provider) => (
              <li key={provider.id} data-testid="rendering-provider" className="grid gap-3 rounded-lg border p-3 sm:flex sm:items-center sm:justify-between">
                <div className="grid min-w-0 gap-0.5">
                  <p className="flex flex-wrap items-center gap-2 font-medium">
                    <span className="break-words">{providerName(provider)}</span>
                    {provider.archivedAt && <Badge variant="secondary">Archived</Badge>}
                  </p>
                  <p className="text-sm text-muted-foreground tabular-nums">
                    NPI {provider.npi}
                    {provider.taxonomyCode && ` · Taxonomy ${provider.taxonomyCode}`}
                  </p>
                </div>
                {actions && provider.archivedAt === null && (
                  <div className="flex flex-wrap gap-2 sm:shrink-0">
                    <Button type="button" variant="outline" size="sm" onClick={() => setEditing(provider)} aria-label={`Edit ${providerName(provider)}`}>
                      <Pencil aria-hidden="true" /> Edit
                    </Button>
                    <ConfirmButton
                      title={`Archive ${providerName(provider)}?`}
                      description="They stay on the claims already made, but new visits cannot name them."
                      confirmLabel="Archive provider"
                      pendingLabel="Archiving…"
                      destructive
                      onConfirm={async () => {
                        const result = await actions.archive({ renderingProviderId: provider.id });
                        if (result.ok) {
                          toast.success(`${providerName(provider)} archived.`);
                          router.refresh();
                        }
                        return result;
                      }}
                    >
                      <Archive aria-hidden="true" /> Archive
                    </ConfirmButton>
                  </div>
                )}
              </li>
            ))}
          </ul>
        )}
      </CardContent>
      {actions && editing !== null && (
        <RenderingProviderDialog
          key={editing === "new" ? "new" : editing.id}
          provider={editing === "new" ? null : editing}
          onClose={() => setEditing(null)}
          onSave={(values) => (editing === "new" ? actions.create(values) : actions.update({ ...values, renderingProviderId: editing.id }))}
          onSaved={() => {
            toast.success(editing === "new" ? "Rendering provider added." : "Rendering provider saved.");
            setEditing(null);
            router.refresh();
          }}
        />
      )}
    </Card>
  );
}

function RenderingProviderDialog(props: {
  provider: RenderingProviderView | null;
  onClose: () => void;
  onSave: (values: TRenderingProviderInput) => Promise<Result>;
  onSaved: () => void;
}) {
  const { provider } = props;
  const [values, setValues] = useState({
    firstName: provider?.firstName ?? "",
    lastName: provider?.lastName ?? "",
    npi: provider?.npi ?? "",
    taxonomyCode: provider?.taxonomyCode ?? "",
  });
  const [pending, startTransition] = useTransition();
  const fieldErrors = useFieldErrors((field) => field in values);
  const { error } = fieldErrors;
  const set = (key: keyof typeof values) => (value: string) => setValues((current) => ({ ...current, [key]: value }));

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    fieldErrors.clear();
    startTransition(async () => {
      const result = await props.onSave({
        firstName: values.firstName.trim(),
        lastName: values.lastName.trim(),
        npi: values.npi.trim(),
        taxonomyCode: values.taxonomyCode.trim(),
      });
      if (result.ok) return props.onSaved();
      fieldErrors.show(result);
    });
  }

  return (
    <Dialog open onOpenChange={(open) => !open && !pending && props.onClose()}>
      <DialogContent>
        <form onSubmit={submit} noValidate className="grid gap-4">
          <DialogHeader>
            <DialogTitle>{provider ? `Edit ${providerName(provider)}` : "Add a rendering provider"}</DialogTitle>
            <DialogDescription>The clinician&apos;s own (type 1) NPI, as on their claims.</DialogDescription>
          </DialogHeader>
          {fieldErrors.formError && (
            <Alert variant="destructive">
              <AlertDescription>{fieldErrors.formError}</AlertDescription>
            </Alert>
          )}
          <div className="grid gap-4 sm:grid-cols-2">
            <TextField
              id="provider-first-name"
              label="First name"
              required
              maxLength={35}
              error={error("firstName")}
              value={values.firstName}
              onChange={set("firstName")}
            />
            <TextField
              id="provider-last-name"
              label="Last name"
              required
              maxLength={60}
              error={error("lastName")}
              value={values.lastName}
              onChange={set("lastName")}
            />
          </div>
          <div className="grid gap-4 sm:grid-cols-2">
            <TextField
              id="provider-npi"
              label="NPI"
              required
              inputMode="numeric"
              maxLength={12}
              error={error("npi")}
              value={values.npi}
              onChange={set("npi")}
            />
            <TextField
              id="provider-taxonomy"
              label="Taxonomy code"
              maxLength={10}
              hint="Optional, such as 207Q00000X."
              error={error("taxonomyCode")}
              value={values.taxonomyCode}
              onChange={set("taxonomyCode")}
            />
          </div>
          <DialogFooter>
            <DialogClose asChild>
              <Button type="button" variant="outline" disabled={pending}>
                Cancel
              </Button>
            </DialogClose>
            <Button type="submit" loading={pending}>
              {provider ? "Save provider" : "Add provider"}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
