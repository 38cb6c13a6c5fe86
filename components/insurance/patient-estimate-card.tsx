import type { ReactNode } from "react";
import Link from "next/link";
import type { PatientEstimate } from "@/lib/insurance/estimate";
import { formatMoney } from "@/lib/money/currency";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Select } from "@/components/ui/select";

/**
 * "Estimated patient responsibility" at check-in: each part of the estimate in words with its
 * amount, the total, what it is based on (the coverage and when its benefits were verified), the
 * visit type the co-pay is chosen by (a plain GET form: works without script), the patient's credit
 * and, for billing staff, the "Collect estimate" dialog passed in as `collect`.
 */
export function PatientEstimateCard(props: {
  estimate: PatientEstimate;
  patientId: string;
  /** The co-pay's visit types with their words; `visitType` the one chosen (none: no co-pay). */
  visitTypes: Record<string, string>;
  visitType: string | undefined;
  /** The patient's credit now, in the estimate's currency (prepayments waiting to be settled included). */
  credit: number;
  collect?: ReactNode;
}) {
  const { estimate } = props;
  const money = (amount: number) => formatMoney(amount, estimate.currency);
  return (
    <Card data-testid="patient-estimate">
      <CardHeader>
        <CardTitle>Estimated patient responsibility</CardTitle>
        <CardDescription>
          {estimate.status === "no_coverage" ? estimate.message : `${estimate.basis.payerName} (member ${estimate.basis.memberId}). ${estimate.basis.words}`}
        </CardDescription>
      </CardHeader>
      <CardContent className="grid gap-4">
        {estimate.status !== "no_coverage" && (
          <form method="get" className="flex flex-wrap items-end gap-2" data-testid="estimate-visit-type">
            <label className="grid min-w-0 flex-1 gap-1 text-sm">
              <span className="text-muted-foreground">Visit type (for the co-pay)</span>
              <Select name="visitType" defaultValue={props.visitType ?? ""}>
                <option value="">Not chosen: no co-pay</option>
                {Object.entries(props.visitTypes).map(([value, label]) => (
                  <option key={value} value={value}>
                    {label}
                  </option>
                ))}
              </Select>
            </label>
            <Button type="submit" variant="outline">
              Estimate
            </Button>
          </form>
        )}
        {estimate.status === "benefits_unknown" && (
          <p className="text-sm" data-testid="estimate-unknown">
            {estimate.message}{" "}
            <Link href={`/app/patients/${props.patientId}#insurance`} className="text-primary underline underline-offset-4">
              Verify the benefits
            </Link>
            .
          </p>
        )}
        {estimate.status === "estimated" && (
          <>
            <ul className="grid gap-2 text-sm" data-testid="estimate-parts">
              {estimate.parts.map((part) => (
                <li key={part.kind} className="flex items-start justify-between gap-3">
                  <span className="min-w-0">{part.words}</span>
                  <span className="shrink-0 whitespace-nowrap tabular-nums">
                    {part.amount < 0 ? "−" : ""}
                    {money(Math.abs(part.amount))}
                  </span>
                </li>
              ))}
              <li className="flex items-start justify-between gap-3 border-t pt-2 font-medium">
                <span>Estimated total</span>
                <span className="shrink-0 whitespace-nowrap tabular-nums" data-testid="estimate-total">
                  {money(estimate.total)}
                </span>
              </li>
            </ul>
            <p className="text-xs text-muted-foreground">
              On allowed amounts of {money(estimate.allowedTotal)} (the payer&apos;s fee schedule, else the charge). An estimate: the payer&apos;s remittance
              decides what the patient owes.
            </p>
          </>
        )}
        {estimate.status !== "no_coverage" && (
          <div className="grid gap-3">
            <p className="text-sm">
              Credit on file: <span className="font-medium tabular-nums">{money(props.credit)}</span>. It pays the patient&apos;s share when the remittance is
              posted; what is left stays as credit, or is refunded from the{" "}
              <Link href={`/app/patients/${props.patientId}`} className="text-primary underline underline-offset-4">
                patient&apos;s page
              </Link>{" "}
              (Refund credit) if the patient prefers.
            </p>
            {props.collect}
          </div>
        )}
      </CardContent>
    </Card>
  );
}
