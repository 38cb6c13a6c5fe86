"use client";

import { useState, useTransition, type FormEvent } from "react";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { FileOutput } from "lucide-react";
import type { ActionResult } from "@/lib/http/action";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { FormField, fieldControlProps } from "@/components/ui/form-field";
import { Select } from "@/components/ui/select";

export type CoverageOption = { id: string; label: string };

/**
 * "Create claim" on a visit: for the coverage chosen, or (the default) the primary coverage in
 * force on the date of service, which the server finds. Refusals (no coverage in force, a live
 * claim already) are shown in words.
 */
export function CreateClaimForm(props: {
  visitId: string;
  coverages: CoverageOption[];
  create: (input: { visitId: string; coverageId?: string }) => Promise<ActionResult<{ id: string; displayNumber: string }>>;
}) {
  const router = useRouter();
  const [coverageId, setCoverageId] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setError(null);
    startTransition(async () => {
      const result = await props.create({ visitId: props.visitId, ...(coverageId ? { coverageId } : {}) });
      if (result.ok) {
        toast.success(`Claim ${result.data.displayNumber} created as a draft: validate it next.`);
        router.push(`/app/claims/${result.data.id}`);
        return;
      }
      const fields = result.error.fields ?? {};
      setError(Object.values(fields)[0]?.[0] ?? result.error.message);
    });
  }

  return (
    <form className="grid gap-3" onSubmit={submit} noValidate>
      {props.coverages.length > 1 && (
        <FormField label="Bill to" htmlFor="claim-coverage">
          <Select {...fieldControlProps("claim-coverage", {})} value={coverageId} onChange={(event) => setCoverageId(event.target.value)}>
            <option value="">The primary coverage in force on the date of service</option>
            {props.coverages.map((coverage) => (
              <option key={coverage.id} value={coverage.id}>
                {coverage.label}
              </option>
            ))}
          </Select>
        </FormField>
      )}
      {error && (
        <Alert variant="destructive">
          <AlertDescription data-testid="create-claim-error">{error}</AlertDescription>
        </Alert>
      )}
      <Button type="submit" loading={pending} className="w-fit">
        <FileOutput aria-hidden="true" /> Create claim
      </Button>
    </form>
  );
}
