import Link from "next/link";
import { ClipboardPlus, Stethoscope } from "lucide-react";
import type { VisitView } from "@/lib/claims/claims.types";
import { formatMoney } from "@/lib/money/currency";
import { formatIsoDate } from "@/components/invoices/invoice-format";
import { buttonVariants } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { ClaimStatusBadge } from "./claim-status-badge";

/**
 * The patient page's visits and their insurance claims, newest first: each visit's date, codes and
 * total, and the state of every claim made from it. Staff record a visit from here.
 */
export function PatientVisitsCard({
  patientId,
  visits,
  statusLabels,
  canRecord,
  className,
}: {
  patientId: string;
  visits: VisitView[];
  statusLabels: Record<string, string>;
  canRecord: boolean;
  className?: string;
}) {
  const recordHref = `/app/patients/${patientId}/visits/new`;
  return (
    <Card className={className} data-testid="patient-visits">
      <CardHeader className="flex flex-row flex-wrap items-center justify-between gap-2">
        <div className="grid gap-1.5">
          <CardTitle>Visits and claims</CardTitle>
          <CardDescription>Diagnoses and charges, billed to the patient&apos;s insurance as claims.</CardDescription>
        </div>
        {canRecord && visits.length > 0 && (
          <Link href={recordHref} className={buttonVariants({ variant: "outline", size: "sm" })}>
            <ClipboardPlus aria-hidden="true" /> Record a visit
          </Link>
        )}
      </CardHeader>
      <CardContent>
        {visits.length === 0 ? (
          <EmptyState
            icon={Stethoscope}
            title="No visits recorded"
            description={canRecord ? "Record a visit's diagnoses and charges to bill the patient's insurance." : undefined}
            action={
              canRecord && (
                <Link href={recordHref} className={buttonVariants({ variant: "outline" })}>
                  <ClipboardPlus aria-hidden="true" /> Record a visit
                </Link>
              )
            }
          />
        ) : (
          <ul className="grid gap-3 text-sm">
            {visits.map((visit) => (
              <li key={visit.id} className="grid gap-1 border-t pt-3 first:border-t-0 first:pt-0" data-testid="patient-visit">
                <div className="flex flex-wrap items-center justify-between gap-2">
                  <Link href={`/app/visits/${visit.id}`} className="font-medium text-primary underline-offset-4 hover:underline">
                    Visit of {formatIsoDate(visit.serviceDate)}
                  </Link>
                  <span className="tabular-nums">{formatMoney(visit.totalCharge, visit.currency)}</span>
                </div>
                <p className="break-words text-muted-foreground">
                  <span className="font-mono">{visit.charges.map((charge) => charge.procedureCode).join(", ")}</span> ·{" "}
                  <span className="font-mono">{visit.diagnoses.join(", ")}</span>
                </p>
                <div className="flex flex-wrap items-center gap-2">
                  {visit.claims.length === 0 ? (
                    <span className="text-muted-foreground">No claim yet</span>
                  ) : (
                    visit.claims.map((claim) => (
                      <Link key={claim.id} href={`/app/claims/${claim.id}`} className="inline-flex items-center gap-1.5 underline-offset-4 hover:underline">
                        <span className="text-primary">{claim.displayNumber}</span>
                        <ClaimStatusBadge status={claim.status} label={statusLabels[claim.status] ?? claim.status} />
                      </Link>
                    ))
                  )}
                </div>
              </li>
            ))}
          </ul>
        )}
      </CardContent>
    </Card>
  );
}
