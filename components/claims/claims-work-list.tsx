"use client";

import { useState, useTransition } from "react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { Send } from "lucide-react";
import type { ClaimSummaryView } from "@/lib/claims/claims.types";
import type { ActionResult } from "@/lib/http/action";
import { formatMoney } from "@/lib/money/currency";
import { formatIsoDate } from "@/components/invoices/invoice-format";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { ClaimStatusBadge } from "./claim-status-badge";

export type SubmitClaimsResult = { batchId: string; fileName: string; channel: "download" | "sftp"; claimCount: number };

/** Starts the 837 file's download (the batch route answers it as an attachment). */
export function download837(batchId: string) {
  const link = document.createElement("a");
  link.href = `/app/claims/batches/${batchId}/file`;
  link.download = "";
  document.body.append(link);
  link.click();
  link.remove();
}

/**
 * The claims work list: each claim's number, patient, payer, state, age and total. Ready claims
 * can be selected and submitted together as one 837 file, downloaded or sent by SFTP as the
 * clinic's clearinghouse settings say (the button says which).
 */
export function ClaimsWorkList(props: {
  claims: ClaimSummaryView[];
  canSubmit: boolean;
  channel: "download" | "sftp" | null;
  submit: (input: { claimIds: string[] }) => Promise<ActionResult<SubmitClaimsResult>>;
}) {
  const router = useRouter();
  const [selected, setSelected] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const ready = props.claims.filter((claim) => claim.status === "ready");
  const selectable = props.canSubmit && ready.length > 0;
  const chosen = selected.filter((id) => ready.some((claim) => claim.id === id));
  const allChosen = ready.length > 0 && chosen.length === ready.length;

  function toggle(id: string) {
    setSelected((current) => (current.includes(id) ? current.filter((value) => value !== id) : [...current, id]));
  }

  function submit() {
    setError(null);
    startTransition(async () => {
      const result = await props.submit({ claimIds: chosen });
      if (!result.ok) {
        setError(Object.values(result.error.fields ?? {})[0]?.[0] ?? result.error.message);
        return;
      }
      const { batchId, channel, claimCount, fileName } = result.data;
      const claims = `${claimCount} ${claimCount === 1 ? "claim" : "claims"}`;
      if (channel === "download") {
        download837(batchId);
        toast.success(`${claims} submitted: ${fileName} is downloading. Upload it to the clearinghouse.`);
      } else toast.success(`${claims} submitted: ${fileName} is sent to the clearinghouse by SFTP within a few minutes.`);
      setSelected([]);
      router.refresh();
    });
  }

  return (
    <div className="grid gap-4">
      {selectable && (
        <div className="flex flex-wrap items-center gap-3 rounded-md bg-muted px-3 py-2">
          <p className="text-sm" aria-live="polite">
            {chosen.length === 0
              ? "Select ready claims to submit them."
              : `${chosen.length} of ${ready.length} ready ${ready.length === 1 ? "claim" : "claims"} selected.`}
          </p>
          <Button type="button" size="sm" onClick={submit} disabled={chosen.length === 0} loading={pending} className="ml-auto">
            <Send aria-hidden="true" /> {props.channel === "sftp" ? "Submit by SFTP" : "Submit and download 837"}
          </Button>
        </div>
      )}
      {error && (
        <Alert variant="destructive">
          <AlertDescription>{error}</AlertDescription>
        </Alert>
      )}
      <Table className="[&_td]:px-2 [&_th]:px-2 sm:[&_td]:px-3 sm:[&_th]:px-3" data-testid="claims-table">
        <TableHeader>
          <TableRow>
            {selectable && (
              <TableHead className="w-8">
                <input
                  type="checkbox"
                  aria-label="Select every ready claim"
                  className="size-4 accent-primary"
                  checked={allChosen}
                  onChange={() => setSelected(allChosen ? [] : ready.map((claim) => claim.id))}
                />
              </TableHead>
            )}
            <TableHead>Claim</TableHead>
            <TableHead className="hidden md:table-cell">Payer</TableHead>
            <TableHead className="hidden sm:table-cell">State</TableHead>
            <TableHead className="hidden lg:table-cell">Service date</TableHead>
            <TableHead className="hidden lg:table-cell text-right">Age</TableHead>
            <TableHead className="text-right">Total</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {props.claims.map((claim) => (
            <TableRow key={claim.id} data-testid="claim-row">
              {selectable && (
                <TableCell>
                  {claim.status === "ready" && (
                    <input
                      type="checkbox"
                      aria-label={`Select ${claim.displayNumber}`}
                      className="size-4 accent-primary"
                      checked={chosen.includes(claim.id)}
                      onChange={() => toggle(claim.id)}
                    />
                  )}
                </TableCell>
              )}
              <TableCell className="min-w-0">
                <Link href={`/app/claims/${claim.id}`} className="font-medium text-primary underline-offset-4 hover:underline">
                  {claim.displayNumber}
                </Link>
                {claim.frequencyCode !== "1" && (
                  <span className="ml-1 text-xs text-muted-foreground">{claim.frequencyCode === "7" ? "corrected" : "void"}</span>
                )}
                <span className="block break-words">{claim.patient.name}</span>
                <span className="block text-muted-foreground md:hidden">{claim.payer.name}</span>
                <span className="mt-1 flex flex-wrap items-center gap-2 sm:hidden">
                  <ClaimStatusBadge status={claim.status} label={claim.statusLabel} />
                  <span className="text-xs text-muted-foreground">{claim.ageDays} days</span>
                </span>
              </TableCell>
              <TableCell className="hidden md:table-cell">{claim.payer.name}</TableCell>
              <TableCell className="hidden sm:table-cell">
                <ClaimStatusBadge status={claim.status} label={claim.statusLabel} />
              </TableCell>
              <TableCell className="hidden whitespace-nowrap lg:table-cell">{formatIsoDate(claim.serviceDate)}</TableCell>
              <TableCell className="hidden text-right tabular-nums lg:table-cell">{claim.ageDays} d</TableCell>
              <TableCell className="text-right whitespace-nowrap tabular-nums">{formatMoney(claim.totalCharge, claim.currency)}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}
